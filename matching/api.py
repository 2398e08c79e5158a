"""REST endpoints of matching (``/api/v1/``), registered on the shared router."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from peerlearn.api import RulesPermission, router
from peerlearn.http import AuthenticatedRequest
from programmes.selectors import all_cohorts, programmes_for

from . import engine, selectors, services
from .models import (
    CHALLENGE_MAX_LENGTH,
    Challenge,
    Group,
    GroupMember,
    IntakeResponse,
    MatchingRun,
    Theme,
)


class IntakeResponseSerializer(serializers.ModelSerializer[IntakeResponse]):
    cohort = serializers.IntegerField(source="survey.cohort_id", read_only=True)
    programme = serializers.IntegerField(source="survey.cohort.programme_id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    challenges = serializers.SerializerMethodField()

    class Meta:
        model = IntakeResponse
        fields = (
            "id",
            "programme",
            "cohort",
            "email",
            "answers",
            "challenges",
            "submitted_at",
        )

    def get_challenges(self, response: IntakeResponse) -> list[str]:
        return [c.text for c in response.challenges.all()]


class IntakeSubmitSerializer(serializers.Serializer[Any]):
    programme = serializers.IntegerField()
    challenges = serializers.ListField(
        child=serializers.CharField(max_length=CHALLENGE_MAX_LENGTH, allow_blank=True),
        max_length=20,
    )
    answers = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True), required=False
    )


class IntakeResponseViewSet(viewsets.ReadOnlyModelViewSet[IntakeResponse]):
    """Intake answers: a peer sees their own; facilitators see their programmes' answers.
    A peer submits (or revises) their own answers with ``submit``."""

    serializer_class = IntakeResponseSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "matching.view_intake"}
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[IntakeResponse]:
        return selectors.responses_visible_to(self.request.user).prefetch_related("challenges")

    @extend_schema(request=IntakeSubmitSerializer, responses=IntakeResponseSerializer)
    @action(detail=False, methods=["post"])
    def submit(self, request: AuthenticatedRequest) -> Response:
        data = IntakeSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        programme = programmes_for(request.user).filter(pk=data.validated_data["programme"]).first()
        if programme is None:
            raise ValidationError({"programme": ["Unknown programme."]})
        if not request.user.has_perm("matching.fill_intake", programme):
            raise PermissionDenied("Only the programme's peers fill in the intake.")
        cohort = selectors.peer_cohort(request.user, programme)
        if cohort is None:
            raise ValidationError({"programme": ["You are not in a cohort of this programme."]})
        survey = services.ensure_survey(cohort=cohort)
        asked = set(survey.factors or [])
        extra = {k: v for k, v in data.validated_data.get("answers", {}).items() if k in asked}
        response = services.submit_intake(
            survey=survey,
            user=request.user,
            answers={**extra, "challenges": data.validated_data["challenges"]},
        )
        return Response(IntakeResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class ThemeSerializer(serializers.ModelSerializer[Theme]):
    cohort = serializers.IntegerField(source="survey.cohort_id", read_only=True)
    statement_count = serializers.IntegerField(read_only=True)
    statements = serializers.SerializerMethodField()

    class Meta:
        model = Theme
        fields = ("id", "cohort", "name", "statement_count", "statements")

    def get_statements(self, theme: Theme) -> str:
        """The address of the theme's statements (a paginated list)."""
        request = self.context.get("request")
        path = reverse("matching-theme-statements", args=[theme.pk])
        return request.build_absolute_uri(path) if request is not None else path


class StatementSerializer(serializers.ModelSerializer[Challenge]):
    class Meta:
        model = Challenge
        fields = ("id", "text", "language")


class ThemeViewSet(viewsets.ReadOnlyModelViewSet[Theme]):
    """Problem themes of the cohorts a user facilitates or manages, a page at a time, each with
    its number of statements; the statements of a theme are listed a page at a time too."""

    serializer_class = ThemeSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "matching.view_themes", "statements": "matching.view_themes"}

    def get_queryset(self) -> QuerySet[Theme]:
        user = self.request.user
        visible = selectors.themes_visible_to(user)
        allowed = [p.pk for p in programmes_for(user) if user.has_perm("matching.view_themes", p)]
        return (
            visible.filter(survey__cohort__programme__in=allowed)
            .annotate(
                statement_count=Count(
                    "challenges", filter=Q(challenges__response__submitted_at__isnull=False)
                )
            )
            .order_by("survey__cohort_id", "name", "pk")
        )

    @extend_schema(responses=StatementSerializer(many=True))
    @action(detail=True, methods=["get"])
    def statements(self, request: Request, pk: str | None = None) -> Response:
        theme = self.get_object()
        statements = theme.challenges.filter(response__submitted_at__isnull=False).order_by("pk")
        pages = PageNumberPagination()
        page = pages.paginate_queryset(statements, request, view=self)
        return pages.get_paginated_response(StatementSerializer(page, many=True).data)


class RunSerializer(serializers.ModelSerializer[MatchingRun]):
    programme = serializers.IntegerField(source="cohort.programme_id", read_only=True)
    cohort = serializers.IntegerField(source="cohort_id")
    strategy = serializers.ChoiceField(choices=list(engine.STRATEGIES), default="problem")
    weights = serializers.DictField(
        child=serializers.FloatField(min_value=0), required=False, write_only=True
    )
    min_size = serializers.IntegerField(min_value=2, default=5, write_only=True)
    max_size = serializers.IntegerField(min_value=2, default=6, write_only=True)
    pairs = serializers.BooleanField(default=False, write_only=True)
    seed = serializers.IntegerField(min_value=0, default=0, write_only=True)
    one_per_organisation = serializers.BooleanField(default=True, write_only=True)
    max_per_country = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, write_only=True
    )

    class Meta:
        model = MatchingRun
        fields = (
            "id",
            "programme",
            "cohort",
            "strategy",
            "weights",
            "min_size",
            "max_size",
            "pairs",
            "seed",
            "one_per_organisation",
            "max_per_country",
            "options",
            "status",
            "progress",
            "score",
            "report",
            "warnings",
            "peer_count",
            "created_at",
            "finished_at",
            "published_at",
        )
        read_only_fields = (
            "options",
            "status",
            "progress",
            "score",
            "report",
            "warnings",
            "peer_count",
            "created_at",
            "finished_at",
            "published_at",
        )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["engine_options"] = engine.Options(
                strategy=attrs.get("strategy", "problem"),
                weights=attrs.get("weights") if attrs.get("strategy") == "hybrid" else None,
                min_size=attrs.get("min_size", 5),
                max_size=attrs.get("max_size", 6),
                pairs=attrs.get("pairs", False),
                seed=attrs.get("seed", 0),
                constraints=engine.Constraints(
                    one_per_organisation=attrs.get("one_per_organisation", True),
                    max_per_country=attrs.get("max_per_country"),
                ),
            )
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None
        return attrs


class RunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[MatchingRun],
):
    """Matching runs. Facilitators start them (the run goes on in the background)."""

    serializer_class = RunSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "matching.view_runs"}
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[MatchingRun]:
        return selectors.runs_visible_to(self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[MatchingRun]) -> None:
        user = self.request.user
        cohort = (
            all_cohorts()
            .filter(pk=serializer.validated_data["cohort_id"], programme__in=programmes_for(user))
            .select_related("programme")
            .first()
        )
        if cohort is None:
            raise ValidationError({"cohort": ["Unknown cohort."]})
        if not user.has_perm("matching.manage_matching", cohort.programme):
            raise PermissionDenied("Only the programme's facilitators can start a matching run.")
        run = services.start_run(
            cohort=cohort, created_by=user, options=serializer.validated_data["engine_options"]
        )
        run.refresh_from_db()
        serializer.instance = run


class MemberSerializer(serializers.ModelSerializer[GroupMember]):
    name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = GroupMember
        fields = ("user", "name", "email", "locked")


class GroupSerializer(serializers.ModelSerializer[Group]):
    members = MemberSerializer(many=True, read_only=True)
    published = serializers.SerializerMethodField()
    explanation = serializers.CharField(source="explanation_text", read_only=True)

    class Meta:
        model = Group
        fields = (
            "id",
            "run",
            "label",
            "score",
            "normalised_score",
            "explanation",
            "members",
            "published",
        )

    def get_published(self, group: Group) -> bool:
        return group.run.published_at is not None


class GroupViewSet(viewsets.ReadOnlyModelViewSet[Group]):
    """Groups: every group for facilitators and managers; a peer sees their published group."""

    serializer_class = GroupSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "matching.view_group"}

    def get_queryset(self) -> QuerySet[Group]:
        return selectors.groups_visible_to(self.request.user).order_by("run_id", "label")

    @extend_schema(responses=GroupSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


router.register("matching/intake", IntakeResponseViewSet, basename="matching-intake")
router.register("matching/themes", ThemeViewSet, basename="matching-theme")
router.register("matching/runs", RunViewSet, basename="matching-run")
router.register("matching/groups", GroupViewSet, basename="matching-group")
