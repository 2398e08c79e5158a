"""REST endpoints of evaluation (``/api/v1/``), registered on the shared router.

Responses carry only the answers the caller may read (the same visibility rules as the pages);
indicators are answered per programme to its facilitators and programme managers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from peerlearn.api import RulesPermission, id_filter, router
from peerlearn.http import posted_id
from programmes.selectors import get_programme_for

from . import indicators, selectors
from .models import Answer, Instrument, Item, Response, Wave


class ItemSerializer(serializers.ModelSerializer[Item]):
    question = serializers.CharField(read_only=True)

    class Meta:
        model = Item
        fields = (
            "id",
            "position",
            "code",
            "kind",
            "question",
            "text",
            "help",
            "choices",
            "required",
            "visibility",
            "min_value",
            "max_value",
            "cycle",
            "cycle_part",
            "indicator",
        )


class InstrumentSerializer(serializers.ModelSerializer[Instrument]):
    title = serializers.CharField(read_only=True)
    is_builtin = serializers.BooleanField(read_only=True)
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Instrument
        fields = (
            "id",
            "programme",
            "key",
            "family",
            "version",
            "is_current",
            "is_builtin",
            "kind",
            "title",
            "name",
            "description",
            "source",
            "items",
        )


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet[Instrument]):
    """Built-in instruments and those of the caller's programmes, with their items."""

    serializer_class = InstrumentSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "evaluation.view_instrument"}

    def get_queryset(self) -> QuerySet[Instrument]:
        return selectors.instruments_for(self.request.user).prefetch_related("items")


class WaveSerializer(serializers.ModelSerializer[Wave]):
    class Meta:
        model = Wave
        fields = (
            "id",
            "programme",
            "cohort",
            "instrument",
            "kind",
            "title",
            "opens_on",
            "due_on",
            "closes_on",
            "status",
            "max_reminders",
            "reminder_gap_days",
        )


class WaveViewSet(viewsets.ReadOnlyModelViewSet[Wave]):
    """Survey waves: all of a programme's for its staff, their cohort's for a peer."""

    serializer_class = WaveSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "evaluation.view_wave"}

    def get_queryset(self) -> QuerySet[Wave]:
        return selectors.all_waves_for(self.request.user).order_by("opens_on", "pk")


class AnswerSerializer(serializers.ModelSerializer[Answer]):
    code = serializers.CharField(source="item.code", read_only=True)
    kind = serializers.CharField(source="item.kind", read_only=True)
    cycle = serializers.CharField(source="item.cycle", read_only=True)

    class Meta:
        model = Answer
        fields = ("code", "kind", "cycle", "number", "choice", "selected", "text", "visibility")


class ResponseSerializer(serializers.ModelSerializer[Response]):
    respondent = serializers.EmailField(source="respondent.email", read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Response
        fields = (
            "id",
            "wave",
            "instrument",
            "respondent",
            "status",
            "submitted_at",
            "answers",
        )

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, response: Response) -> list[dict[str, Any]]:
        user = self.context["request"].user
        answers = selectors.loaded_answers_visible_to(user, response)
        return list(AnswerSerializer(answers, many=True).data)


class ResponseViewSet(viewsets.ReadOnlyModelViewSet[Response]):
    """Survey responses: a peer's own; all of a programme's for its facilitators and managers.
    Free-text answers are filtered by their visibility (private text never leaves)."""

    serializer_class = ResponseSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "evaluation.view_response"}

    @extend_schema(
        parameters=[OpenApiParameter("wave", int, description="Only the responses of this wave")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Response]:
        queryset = selectors.prefetch_answers(selectors.responses_for(self.request.user)).order_by(
            "pk"
        )
        wave = id_filter(self.request, "wave")
        if wave is not None:
            queryset = queryset.filter(wave_id=wave)
        return queryset


class IndicatorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    tier = serializers.CharField()
    title = serializers.CharField(source="label")
    value = serializers.FloatField(allow_null=True)
    display = serializers.CharField()
    detail = serializers.CharField()
    trend = serializers.ListField(child=serializers.FloatField())


class FunnelStageSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField(source="label")
    count = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True)
    note = serializers.CharField()


class CycleSerializer(serializers.Serializer[Any]):
    cycle = serializers.CharField()
    title = serializers.CharField(source="label")
    answered = serializers.IntegerField()
    reporting = serializers.IntegerField()
    share_of_peers = serializers.FloatField(allow_null=True)
    share_of_respondents = serializers.FloatField(allow_null=True)


class NetworkSerializer(serializers.Serializer[Any]):
    people = serializers.IntegerField()
    ties = serializers.IntegerField()
    density = serializers.FloatField()
    components = serializers.IntegerField()
    largest_component = serializers.IntegerField()
    diameter = serializers.IntegerField(help_text="Of the largest connected component.")
    diameter_exact = serializers.BooleanField()
    mean_degree = serializers.FloatField()
    max_betweenness = serializers.FloatField()
    betweenness_exact = serializers.BooleanField()


class ProgrammeIndicatorsSerializer(serializers.Serializer[Any]):
    programme = serializers.IntegerField()
    indicators = IndicatorSerializer(many=True)
    funnel = FunnelStageSerializer(many=True)
    cycles = CycleSerializer(many=True)
    network = NetworkSerializer()


class IndicatorViewSet(viewsets.ViewSet):
    """A programme's indicators (PEMPAL tiers), funnel, value cycles and network metrics.
    The id is the programme's; for its facilitators and programme managers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=ProgrammeIndicatorsSerializer,
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The programme's id")
        ],
    )
    def retrieve(self, request: Request, pk: str | None = None) -> ApiResponse:
        programme = get_programme_for(request.user, posted_id(pk))
        if not request.user.has_perm("evaluation.view_dashboard", programme):
            raise PermissionDenied("Only the programme's facilitators and managers see this.")
        data = indicators.dashboard(programme)
        payload = {
            "programme": programme.pk,
            "indicators": [item for _tier, _label, items in data.tiers for item in items],
            "funnel": data.funnel,
            "cycles": data.cycles,
            "network": data.metrics,
        }
        return ApiResponse(ProgrammeIndicatorsSerializer(payload).data)


router.register("evaluation/instruments", InstrumentViewSet, basename="evaluation-instrument")
router.register("evaluation/waves", WaveViewSet, basename="evaluation-wave")
router.register("evaluation/responses", ResponseViewSet, basename="evaluation-response")
router.register("evaluation/indicators", IndicatorViewSet, basename="evaluation-indicators")
