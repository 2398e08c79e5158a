"""REST endpoints of diffusion (``/api/v1/diffusion/...``), registered on the shared router.

Lists are scoped to what the caller may see; an object of another programme answers 404, and one
of the caller's programme they may not see answers 403 (the same rules as the pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from peerlearn.api import RulesPermission, id_filter, router
from peerlearn.http import AuthenticatedRequest
from peerlearn.users.models import User
from programmes.selectors import programmes_for

from . import selectors, services
from .models import (
    Chapter,
    ChapterMeeting,
    ChapterMember,
    DiffusionPlan,
    ImpactStory,
    Level,
    Pilot,
    PilotMilestone,
    PilotStep,
    PlannedActivity,
    ReportBack,
)

if TYPE_CHECKING:
    from programmes.models import Organisation, Programme


class ProgrammeInUserScope(serializers.PrimaryKeyRelatedField[Any]):
    def get_queryset(self) -> QuerySet[Programme]:
        return programmes_for(self.context["request"].user)


class ReportBackSerializer(serializers.ModelSerializer[ReportBack]):
    programme = ProgrammeInUserScope()
    peer: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    organisation: serializers.StringRelatedField[Organisation] = serializers.StringRelatedField()
    attendee_emails = serializers.ListField(
        child=serializers.EmailField(), write_only=True, required=False, max_length=500
    )
    submission_key = serializers.UUIDField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="Any new UUID per report-back: sending the same key again logs nothing more "
        "(the answer is then 200 with the report-back logged the first time).",
    )
    people_named = serializers.SerializerMethodField()

    class Meta:
        model = ReportBack
        fields = (
            "id",
            "programme",
            "peer",
            "organisation",
            "title",
            "held_on",
            "audience",
            "audience_size",
            "level",
            "lessons_visible_to_sponsor",
            "attendee_emails",
            "submission_key",
            "people_named",
            "created_at",
        )
        read_only_fields = ("id", "peer", "organisation", "created_at", "people_named")

    def get_people_named(self, report_back: ReportBack) -> int:
        annotated = getattr(report_back, "people_named", None)
        if annotated is not None:
            return int(annotated)
        return report_back.recipients.count()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        emails = {e.lower() for e in attrs.get("attendee_emails", [])}
        if len(emails) > attrs.get("audience_size", 0):
            raise serializers.ValidationError(
                {"attendee_emails": "More attendees named than people present."}
            )
        return attrs


class PlannedActivitySerializer(serializers.ModelSerializer[PlannedActivity]):
    class Meta:
        model = PlannedActivity
        fields = ("audience", "planned_on", "format", "level")


class DiffusionPlanSerializer(serializers.ModelSerializer[DiffusionPlan]):
    peer: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    organisation: serializers.StringRelatedField[Organisation] = serializers.StringRelatedField()
    activities = PlannedActivitySerializer(many=True, read_only=True)

    class Meta:
        model = DiffusionPlan
        fields = (
            "id",
            "programme",
            "peer",
            "organisation",
            "goal",
            "status",
            "time_and_means",
            "confirmed_at",
            "activities",
        )


class ChapterMemberSerializer(serializers.ModelSerializer[ChapterMember]):
    class Meta:
        model = ChapterMember
        fields = ("full_name", "organisation", "joined_on")


class ChapterMeetingSerializer(serializers.ModelSerializer[ChapterMeeting]):
    class Meta:
        model = ChapterMeeting
        fields = ("held_on", "topic", "attendance")


class ChapterSerializer(serializers.ModelSerializer[Chapter]):
    founded_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    members = ChapterMemberSerializer(many=True, read_only=True)
    meetings = ChapterMeetingSerializer(many=True, read_only=True)

    class Meta:
        model = Chapter
        fields = (
            "id",
            "programme",
            "name",
            "country",
            "founded_by",
            "launched_on",
            "purpose",
            "members",
            "meetings",
        )


class PilotStepSerializer(serializers.ModelSerializer[PilotStep]):
    class Meta:
        model = PilotStep
        fields = ("position", "kind", "description")


class PilotMilestoneSerializer(serializers.ModelSerializer[PilotMilestone]):
    class Meta:
        model = PilotMilestone
        fields = ("title", "due_on", "reached_on")


class PilotSerializer(serializers.ModelSerializer[Pilot]):
    lead: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    organisation: serializers.StringRelatedField[Organisation] = serializers.StringRelatedField()
    steps = PilotStepSerializer(many=True, read_only=True)
    milestones = PilotMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Pilot
        fields = (
            "id",
            "programme",
            "lead",
            "organisation",
            "title",
            "goal",
            "starts_on",
            "ends_on",
            "status",
            "outcome",
            "steps",
            "milestones",
        )


class ImpactStorySerializer(serializers.ModelSerializer[ImpactStory]):
    organisation: serializers.StringRelatedField[Organisation] = serializers.StringRelatedField()

    class Meta:
        model = ImpactStory
        fields = (
            "id",
            "programme",
            "title",
            "kind",
            "description",
            "happened_on",
            "organisation",
            "evidence",
            "evidence_url",
            "pilots",
        )


class _ScopedViewSet(viewsets.GenericViewSet[Any]):
    """Lists come from the visibility selector; single objects from the user's programmes so
    that the rule check answers 403 to a member without the right and 404 to anyone else."""

    permission_classes = [IsAuthenticated, RulesPermission]

    def visible(self) -> QuerySet[Any]:
        raise PermissionDenied

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.visible()
        if self.action != "list":
            model = queryset.model
            return selectors.in_my_programmes(self.request.user, model.objects.all())
        programme = id_filter(self.request, "programme")
        if programme is not None:
            queryset = queryset.filter(programme_id=programme)
        return queryset.order_by("pk")


class ReportBackViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ScopedViewSet
):
    """Report-back sessions. Peers log their own; attendees named get a feedback link."""

    request: AuthenticatedRequest
    serializer_class = ReportBackSerializer
    object_permissions = {"retrieve": "diffusion.view_report_back"}

    def visible(self) -> QuerySet[Any]:
        return selectors.report_backs_visible_to(self.request.user)

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().annotate(people_named=Count("recipients", distinct=True))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = data["programme"]
        if not request.user.has_perm("diffusion.log_report_back", programme):
            raise PermissionDenied("Only peers log report-back sessions.")
        try:
            report_back = services.log_report_back(
                programme=programme,
                peer=self.request.user,
                title=data["title"],
                held_on=data["held_on"],
                audience=data["audience"],
                audience_size=data["audience_size"],
                level=data.get("level", Level.TEAM),
                lessons_visible_to_sponsor=data.get("lessons_visible_to_sponsor", False),
                attendee_emails=data.get("attendee_emails", []),
                submission_key=data.get("submission_key"),
            )
        except services.AlreadyLogged as already:
            return Response(
                self.get_serializer(already.report_back).data, status=status.HTTP_200_OK
            )
        output = self.get_serializer(report_back)
        return Response(output.data, status=status.HTTP_201_CREATED)


class DiffusionPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _ScopedViewSet):
    """Diffusion plans: a peer's own, their organisation's for a sponsor, all for staff."""

    serializer_class = DiffusionPlanSerializer
    object_permissions = {"retrieve": "diffusion.view_plan"}

    def visible(self) -> QuerySet[Any]:
        return selectors.plans_visible_to(self.request.user).prefetch_related("activities")


class ChapterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _ScopedViewSet):
    """Domestic chapters of the user's programmes, with members and meetings."""

    serializer_class = ChapterSerializer
    object_permissions = {"retrieve": "diffusion.view_chapter"}

    def visible(self) -> QuerySet[Any]:
        return selectors.chapters_visible_to(self.request.user).prefetch_related(
            "members", "meetings"
        )


class PilotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _ScopedViewSet):
    """Rapid-results pilots with their results chain and milestones."""

    serializer_class = PilotSerializer
    object_permissions = {"retrieve": "diffusion.view_pilot"}

    def visible(self) -> QuerySet[Any]:
        return selectors.pilots_visible_to(self.request.user).prefetch_related(
            "steps", "milestones"
        )


class ImpactStoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _ScopedViewSet):
    """Impact stories: changes in organisations, policies or laws, with evidence."""

    serializer_class = ImpactStorySerializer
    object_permissions = {"retrieve": "diffusion.view_story"}

    def visible(self) -> QuerySet[Any]:
        return selectors.stories_visible_to(self.request.user).prefetch_related("pilots")

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "list":
            return super().get_queryset()
        # another cohort's story does not exist for a peer (404), as on the pages
        return selectors.stories_reachable_by(self.request.user)


class ReachSerializer(serializers.Serializer[dict[str, Any]]):
    programme = serializers.IntegerField()
    peers = serializers.IntegerField()
    peers_diffusing = serializers.IntegerField()
    reach_by_depth = serializers.DictField(child=serializers.IntegerField())
    people_reached = serializers.IntegerField()


class DiffusionReachViewSet(viewsets.GenericViewSet[Any]):
    """How far a programme's lessons travelled: peers diffusing and people reached by depth."""

    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "diffusion.view_diffusion"}
    serializer_class = ReachSerializer

    def get_queryset(self) -> QuerySet[Programme]:
        return programmes_for(self.request.user)

    @extend_schema(responses=ReachSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        programme = self.get_object()
        # a sponsor's figures cover their own organisation's peers only, as on the page
        figures = selectors.reach_figures_for(request.user, programme)
        return Response(
            {
                "programme": programme.pk,
                "peers": figures.peers,
                "peers_diffusing": figures.peers_diffusing,
                "reach_by_depth": {
                    str(depth): count for depth, count in figures.reach_by_depth.items()
                },
                "people_reached": figures.people_reached,
            }
        )


router.register("diffusion/report-backs", ReportBackViewSet, basename="diffusion-report-back")
router.register("diffusion/plans", DiffusionPlanViewSet, basename="diffusion-plan")
router.register("diffusion/chapters", ChapterViewSet, basename="diffusion-chapter")
router.register("diffusion/pilots", PilotViewSet, basename="diffusion-pilot")
router.register("diffusion/stories", ImpactStoryViewSet, basename="diffusion-story")
router.register("diffusion/reach", DiffusionReachViewSet, basename="diffusion-reach")
