"""REST endpoints of group life: group workspaces and pairs (``/api/v1/matching/...``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from peerlearn.api import RulesPermission, router
from peerlearn.users.models import User
from programmes.selectors import get_programme_for

from . import selectors_group_life as selectors
from . import services_group_life as services
from .models import Group
from .models_group_life import EndProduct, MeetingSlot, PairRequest, ProblemDraft


class DraftSerializer(serializers.ModelSerializer[ProblemDraft]):
    author = serializers.CharField(source="author.full_name", read_only=True, default="")

    class Meta:
        model = ProblemDraft
        fields = ("id", "text", "author", "created_at")


class SlotSerializer(serializers.ModelSerializer[MeetingSlot]):
    class Meta:
        model = MeetingSlot
        fields = ("id", "every", "weekday", "time", "duration_minutes", "starts_on", "location")


class ProductSerializer(serializers.ModelSerializer[EndProduct]):
    file = serializers.SerializerMethodField()

    class Meta:
        model = EndProduct
        fields = (
            "title",
            "text",
            "file",
            "submitted_at",
            "new_ideas",
            "different_experiences",
            "peer_interaction",
            "rubric_note",
            "scored_at",
        )

    def get_file(self, product: EndProduct) -> str | None:
        """The download address (checked like the workspace), not the storage path."""
        if not product.file:
            return None
        return reverse("matching:product_file", args=[product.programme.pk, product.group_id])


class WorkspaceSerializer(serializers.ModelSerializer[Group]):
    programme = serializers.IntegerField(source="run.cohort.programme_id", read_only=True)
    explanation = serializers.CharField(source="explanation_text", read_only=True)
    members = serializers.SerializerMethodField()
    problem_history = DraftSerializer(source="problem_drafts", many=True, read_only=True)
    distilled = serializers.SerializerMethodField()
    meeting_slots = SlotSerializer(many=True, read_only=True)
    meetings_held = serializers.SerializerMethodField()
    end_product = serializers.SerializerMethodField()
    on_progress_board = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = (
            "id",
            "programme",
            "label",
            "explanation",
            "members",
            "problem_history",
            "distilled",
            "meeting_slots",
            "meetings_held",
            "end_product",
            "on_progress_board",
        )

    def get_members(self, group: Group) -> list[dict[str, Any]]:
        return [
            {"user": m.user_id, "name": m.user.full_name, "email": m.user.email}
            for m in group.members.select_related("user")
        ]

    def get_distilled(self, group: Group) -> int | None:
        workspace = getattr(group, "workspace", None)
        return workspace.distilled_id if workspace else None

    def get_meetings_held(self, group: Group) -> list[str]:
        return [m.held_on.isoformat() for m in group.meetings.all()]

    @extend_schema(responses=ProductSerializer(allow_null=True))
    def get_end_product(self, group: Group) -> dict[str, Any] | None:
        product = EndProduct.objects.filter(group=group).first()
        return dict(ProductSerializer(product, context=self.context).data) if product else None

    def get_on_progress_board(self, group: Group) -> bool:
        workspace = getattr(group, "workspace", None)
        return bool(workspace and workspace.on_progress_board)


class WorkspaceViewSet(viewsets.ReadOnlyModelViewSet[Group]):
    """Workspaces of published groups: a member's own, every one for a facilitator."""

    serializer_class = WorkspaceSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "matching.view_workspace"}

    def get_queryset(self) -> QuerySet[Group]:
        return selectors.workspace_groups_visible_to(self.request.user).order_by("pk")


class PairSerializer(serializers.ModelSerializer[PairRequest]):
    class Meta:
        model = PairRequest
        fields = (
            "id",
            "programme",
            "requested_by",
            "requested_of",
            "purpose",
            "status",
            "created_at",
            "decided_at",
            "visit",
            "learning_agenda",
            "reflection",
            "reflected_at",
        )
        read_only_fields = (
            "requested_by",
            "status",
            "created_at",
            "decided_at",
            "visit",
            "learning_agenda",
            "reflection",
            "reflected_at",
        )


class PairViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[PairRequest],
):
    """Pairs: a peer's own pairs, every pair of the programmes one facilitates. A peer asks
    another peer of their cohort to pair by creating one."""

    serializer_class = PairSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "matching.view_pair"}

    def get_queryset(self) -> QuerySet[PairRequest]:
        return selectors.pairs_visible_to(self.request.user).order_by("-created_at", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = get_programme_for(request.user, data["programme"].pk)
        if not request.user.has_perm("matching.request_pair", programme):
            raise PermissionDenied()
        assert isinstance(request.user, User)
        try:
            pair = services.request_pair(
                programme=programme,
                requested_by=request.user,
                requested_of=get_object_or_404(User, pk=data["requested_of"].pk),
                purpose=data["purpose"],
            )
        except services.GroupLifeError as error:
            raise ValidationError({"detail": str(error)}) from error
        return Response(self.get_serializer(pair).data, status=status.HTTP_201_CREATED)


router.register("matching/workspaces", WorkspaceViewSet, basename="matching-workspace")
router.register("matching/pairs", PairViewSet, basename="matching-pair")
