"""REST endpoints of the reflection journal (``/api/v1/evaluation/reflections/``).

Every entry is filtered by its visibility first: a private entry is returned to its author
only, and no other caller can even find it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from peerlearn.api import RulesPermission, router
from peerlearn.users.models import User
from programmes.selectors import get_programme_for

from . import selectors_reflection as selectors
from . import services_reflection as services
from .models_reflection import ReflectionEntry


class ReflectionSerializer(serializers.ModelSerializer[ReflectionEntry]):
    class Meta:
        model = ReflectionEntry
        fields = (
            "id",
            "programme",
            "author",
            "activity",
            "group",
            "peer",
            "prompt",
            "learned",
            "from_whom",
            "will_act",
            "visibility",
            "created_at",
        )
        read_only_fields = ("author", "group", "created_at", "activity", "peer", "prompt")


class ReflectionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[ReflectionEntry],
):
    """Reflections the caller may read: their own, their group's shared ones, and (for a
    facilitator) those shared with the facilitators. Private entries stay with their author."""

    serializer_class = ReflectionSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "evaluation.view_reflection"}

    def get_queryset(self) -> QuerySet[ReflectionEntry]:
        return selectors.reflections_visible_to(self.request.user).order_by("-created_at", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = get_programme_for(request.user, data["programme"].pk)
        if not request.user.has_perm("evaluation.keep_journal", programme):
            raise PermissionDenied()
        assert isinstance(request.user, User)
        try:
            entry = services.write_reflection(
                programme=programme,
                author=request.user,
                learned=data["learned"],
                from_whom=data.get("from_whom", ""),
                will_act=data.get("will_act", ""),
                visibility=data["visibility"],
            )
        except services.ReflectionError as error:
            raise ValidationError({"detail": str(error)}) from error
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


router.register("evaluation/reflections", ReflectionViewSet, basename="evaluation-reflection")
