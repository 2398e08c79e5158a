"""Project-wide views: the current user's API profile."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from peerlearn.users.models import User
from programmes.selectors import roles_by_programme


class MeSerializer(serializers.ModelSerializer[User]):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "email", "full_name", "preferred_language", "roles")

    def get_roles(self, user: User) -> dict[str, list[str]]:
        return {str(k): v for k, v in roles_by_programme(user).items()}


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The signed-in person and their roles per programme."""
    user = cast(User, request.user)
    return Response(MeSerializer(user).data)
