"""REST endpoints of group life: group workspaces, pairs and discussions
(``/api/v1/matching/...``) and the reflection journal (``/api/v1/evaluation/reflections/``).

Every reflection is filtered by its visibility first: a private entry is returned to its author
only, and no other caller can even find it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from matching import selectors as matching
from peerlearn.api import RulesPermission, router
from peerlearn.http import AuthenticatedRequest
from programmes.selectors import get_programme_for

from . import selectors, services
from .discussions import markup
from .discussions import selectors as discussion_selectors
from .discussions import services as discussion_services
from .models import (
    EndProduct,
    MeetingSlot,
    PairRequest,
    Post,
    ProblemDraft,
    ReflectionEntry,
    Thread,
)

if TYPE_CHECKING:
    from matching.models import Group


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
        return reverse("group_life:product_file", args=[product.programme.pk, product.group_id])


class WorkspaceListSerializer(serializers.ListSerializer[Any]):
    """A page of workspaces: the explanations of its groups are read together."""

    def to_representation(self, data: Any) -> list[Any]:
        groups = list(data.all() if hasattr(data, "all") else data)
        self.explanations = matching.explanations_of(groups)
        return super().to_representation(groups)


class WorkspaceSerializer(serializers.Serializer[Any]):
    """A published group (of matching) with what it does together."""

    id = serializers.IntegerField(read_only=True)
    programme = serializers.IntegerField(source="run.cohort.programme_id", read_only=True)
    explanation = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    problem_history = DraftSerializer(source="problem_drafts", many=True, read_only=True)
    distilled = serializers.SerializerMethodField()
    meeting_slots = SlotSerializer(many=True, read_only=True)
    meetings_held = serializers.SerializerMethodField()
    end_product = serializers.SerializerMethodField()
    on_progress_board = serializers.SerializerMethodField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["label"] = serializers.CharField(read_only=True)
        order = ["id", "programme", "label"]
        return {name: fields[name] for name in [*order, *(f for f in fields if f not in order)]}

    class Meta:
        list_serializer_class = WorkspaceListSerializer

    def get_explanation(self, group: Any) -> str:
        explanations = getattr(self.parent, "explanations", None) or {}
        if group.pk in explanations:
            return str(explanations[group.pk])
        return str(group.explanation_text)

    def get_members(self, group: Any) -> list[dict[str, Any]]:
        return [
            {"user": m.user_id, "name": m.user.full_name, "email": m.user.email}
            for m in group.members.all()
        ]

    def get_distilled(self, group: Any) -> int | None:
        workspace = getattr(group, "workspace", None)
        return workspace.distilled_id if workspace else None

    def get_meetings_held(self, group: Any) -> list[str]:
        return [m.held_on.isoformat() for m in group.meetings.all()]

    @extend_schema(responses=ProductSerializer(allow_null=True))
    def get_end_product(self, group: Any) -> dict[str, Any] | None:
        product = getattr(group, "end_product", None)
        return dict(ProductSerializer(product, context=self.context).data) if product else None

    def get_on_progress_board(self, group: Any) -> bool:
        workspace = getattr(group, "workspace", None)
        return bool(workspace and workspace.on_progress_board)


@extend_schema_view(
    retrieve=extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
)
class WorkspaceViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Workspaces of published groups: a member's own, every one for a facilitator."""

    serializer_class = WorkspaceSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "group_life.view_workspace"}
    request: AuthenticatedRequest

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
    object_permissions = {"retrieve": "group_life.view_pair"}
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[PairRequest]:
        return selectors.pairs_visible_to(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer: serializers.BaseSerializer[PairRequest]) -> None:
        data = serializer.validated_data
        user = self.request.user
        programme = get_programme_for(user, data["programme"].pk)
        if not user.has_perm("group_life.request_pair", programme):
            raise PermissionDenied()
        serializer.instance = services.request_pair(
            programme=programme,
            requested_by=user,
            requested_of=data["requested_of"],
            purpose=data["purpose"],
        )


router.register("matching/workspaces", WorkspaceViewSet, basename="matching-workspace")
router.register("matching/pairs", PairViewSet, basename="matching-pair")


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
    object_permissions = {"retrieve": "group_life.view_reflection"}
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[ReflectionEntry]:
        return selectors.reflections_visible_to(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer: serializers.BaseSerializer[ReflectionEntry]) -> None:
        data = serializer.validated_data
        user = self.request.user
        programme = get_programme_for(user, data["programme"].pk)
        if not user.has_perm("group_life.keep_journal", programme):
            raise PermissionDenied()
        serializer.instance = services.write_reflection(
            programme=programme,
            author=user,
            learned=data["learned"],
            from_whom=data.get("from_whom", ""),
            will_act=data.get("will_act", ""),
            visibility=data["visibility"],
        )


router.register("evaluation/reflections", ReflectionViewSet, basename="evaluation-reflection")


class PostSerializer(serializers.ModelSerializer[Post]):
    author = serializers.CharField(source="author.full_name", read_only=True, default="")
    html = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ("id", "author", "body", "html", "attachment", "created_at")
        read_only_fields = ("id", "author", "html", "attachment", "created_at")

    def get_html(self, post: Post) -> str:
        return markup.render(post.body)


class ThreadSerializer(serializers.ModelSerializer[Thread]):
    class Meta:
        model = Thread
        fields = (
            "id",
            "programme",
            "space",
            "group",
            "pair",
            "cohort",
            "sub_group",
            "title",
            "created_at",
            "last_post_at",
            "locked",
            "hidden",
        )


class ThreadDetailSerializer(ThreadSerializer):
    posts = PostSerializer(many=True, read_only=True)

    class Meta:
        model = Thread
        fields: tuple[str, ...] = (*ThreadSerializer.Meta.fields, "posts")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words in the title or a message"),
        ]
    )
)
class ThreadViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Thread]
):
    """Discussion threads the caller may read (the spaces they belong to; every thread of the
    programmes they facilitate). A thread of another group is not found."""

    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {
        "retrieve": "group_life.read_thread",
        "reply": "group_life.reply_in_thread",
    }
    request: AuthenticatedRequest

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return ThreadDetailSerializer
        if self.action == "reply":
            return PostSerializer
        return ThreadSerializer

    def get_queryset(self) -> QuerySet[Thread]:
        threads = discussion_selectors.threads_visible_to(self.request.user)
        query = self.request.query_params.get("q", "").strip()
        if query and self.action == "list":
            threads = threads.filter(
                Q(title__icontains=query) | Q(posts__body__icontains=query)
            ).distinct()
        return threads.order_by("-last_post_at", "-pk")

    @action(detail=True, methods=["post"])
    def reply(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        thread = self.get_object()
        serializer = PostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = discussion_services.reply(
            thread=thread, author=request.user, body=serializer.validated_data["body"]
        )
        return Response(PostSerializer(post).data, status=201)


router.register("matching/discussions", ThreadViewSet, basename="discussion-thread")
