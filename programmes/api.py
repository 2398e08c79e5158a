"""REST endpoints of programmes (``/api/v1/``)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from peerlearn.api import RulesPermission, router
from peerlearn.permissions import roles_in

from . import selectors
from .models import Cohort, Membership, Organisation, Programme


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    my_roles = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = (
            "id",
            "name",
            "domain",
            "description",
            "working_languages",
            "starts_on",
            "ends_on",
            "my_roles",
        )
        read_only_fields = ("id", "my_roles")

    def get_my_roles(self, programme: Programme) -> list[str]:
        return sorted(roles_in(self.context["request"].user, programme))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": "The end date is before the start date."})
        return attrs


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    organisation: serializers.StringRelatedField[Organisation] = serializers.StringRelatedField()
    cohort: serializers.StringRelatedField[Cohort] = serializers.StringRelatedField()

    class Meta:
        model = Membership
        fields = ("id", "email", "full_name", "role", "organisation", "cohort", "joined_at")


class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Programme],
):
    """Programmes the user holds a role in. Facilitators may edit them."""

    serializer_class = ProgrammeSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {
        "retrieve": "programmes.view_programme",
        "update": "programmes.change_programme",
        "partial_update": "programmes.change_programme",
        "members": "programmes.view_programme",
    }

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes_for(self.request.user)

    @extend_schema(responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request: Request, pk: str | None = None) -> Response:
        programme = self.get_object()
        memberships = selectors.memberships_visible_to(request.user, programme)
        page = self.paginator.paginate_queryset(memberships, request, view=self)  # type: ignore[union-attr]
        serializer = MembershipSerializer(page, many=True)
        return self.get_paginated_response(serializer.data)


router.register("programmes", ProgrammeViewSet, basename="programme")
