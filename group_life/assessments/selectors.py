"""Reads of shared assessments: tools, self-assessments and reviews a person may see, the
benchmark between organisations, cohorts and rounds, and positive-deviance suggestions."""

from __future__ import annotations

import string
from collections import defaultdict
from dataclasses import dataclass
from statistics import mean
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from peerlearn.aggregates import scalar
from peerlearn.roles import Role, roles_in
from programmes import selectors as programmes

from .models import (
    AssessmentTool,
    Criterion,
    CriterionScore,
    Review,
    ReviewComment,
    SelfAssessment,
)

if TYPE_CHECKING:
    from programmes.models import Organisation, Programme

#: A peer's organisation does "markedly better" on a criterion when it scores at least this many
#: levels higher.
MARKEDLY_BETTER = 1

BY_ORGANISATION = "organisation"
BY_COHORT = "cohort"
BY_ROUND = "round"
COMPARISONS = (BY_ORGANISATION, BY_COHORT, BY_ROUND)


def tools_of(programme: Programme) -> QuerySet[AssessmentTool]:
    return AssessmentTool.objects.filter(programme=programme).prefetch_related("criteria__levels")


def get_tool(programme: Programme, tool_id: int) -> AssessmentTool:
    tool = tools_of(programme).filter(pk=tool_id).first()
    if tool is None:
        raise Http404
    return tool


def _is_staff(user: Any, programme: Programme) -> bool:
    roles = roles_in(user, programme)
    return bool(user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles)


def own_organisation(user: Any, programme: Programme) -> Organisation | None:
    """The organisation a peer represents in the programme."""
    if Role.PEER not in roles_in(user, programme):
        return None
    return programmes.member_organisation(user, programme)


def assessments_visible_to(user: Any, tool: AssessmentTool) -> QuerySet[SelfAssessment]:
    """Submitted self-assessments for every member who may see assessments; drafts for the
    peers of the organisation and for staff."""
    base = SelfAssessment.objects.filter(tool=tool).select_related("organisation", "cohort")
    if _is_staff(user, tool.programme):
        return base
    organisation = own_organisation(user, tool.programme)
    condition = Q(submitted_at__isnull=False)
    if organisation is not None:
        condition |= Q(organisation=organisation)
    return base.filter(condition)


def get_assessment(user: Any, tool: AssessmentTool, assessment_id: int) -> SelfAssessment:
    assessment = assessments_visible_to(user, tool).filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    return assessment


def draft_of(
    tool: AssessmentTool, organisation: Organisation, round_number: int
) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(tool=tool, organisation=organisation, round=round_number)
        .prefetch_related("scores")
        .first()
    )


def latest_round_of(tool: AssessmentTool, organisation: Organisation) -> int | None:
    """The latest round the organisation submitted with the tool, if any."""
    return (
        SelfAssessment.objects.filter(
            tool=tool, organisation=organisation, submitted_at__isnull=False
        )
        .order_by("-round")
        .values_list("round", flat=True)
        .first()
    )


def scores_of(assessment: SelfAssessment) -> dict[int, CriterionScore]:
    return {score.criterion_id: score for score in assessment.scores.all()}


def reviews_of(assessment: SelfAssessment) -> QuerySet[Review]:
    return assessment.reviews.select_related("reviewer").prefetch_related(
        Prefetch("comments", queryset=ReviewComment.objects.select_related("criterion"))
    )


def rounds_of(tool: AssessmentTool) -> list[int]:
    return sorted(
        set(
            SelfAssessment.objects.filter(tool=tool, submitted_at__isnull=False).values_list(
                "round", flat=True
            )
        )
    )


def _score_of(assessment: SelfAssessment, criterion: Criterion | None) -> float | None:
    values = [
        s.score
        for s in assessment.scores.all()
        if criterion is None or s.criterion_id == criterion.pk
    ]
    return mean(values) if values else None


@dataclass(frozen=True)
class Position:
    label: str
    value: float
    own: bool = False
    organisation_id: int | None = None


def _letters() -> list[str]:
    letters = list(string.ascii_uppercase)
    return letters + [a + b for a in letters for b in letters]


def anonymous_labels(tool: AssessmentTool) -> dict[int, str]:
    """The name each submitted self-assessment goes by for those who may not see the
    organisation's name: a letter in the order of submission within its round."""
    labels: dict[int, str] = {}
    per_round: dict[int, int] = defaultdict(int)
    letters = _letters()
    rows = (
        SelfAssessment.objects.filter(tool=tool, submitted_at__isnull=False)
        .order_by("pk")
        .values_list("pk", "round")
    )
    for pk, round_number in rows:
        index = per_round[round_number]
        per_round[round_number] += 1
        letter = letters[index] if index < len(letters) else str(index + 1)
        labels[pk] = _("Organisation %(letter)s") % {"letter": letter}
    return labels


def label_for(
    assessment: SelfAssessment, labels: dict[int, str], *, own_id: int | None, staff: bool
) -> str:
    """An organisation's name for its own peers (``own_id``), for staff and when it consented;
    else its letter."""
    if staff or assessment.named_consent or assessment.organisation_id == own_id:
        return assessment.organisation.name
    return labels.get(assessment.pk, _("Organisation (draft)"))


def benchmark(
    user: Any,
    tool: AssessmentTool,
    *,
    criterion: Criterion | None = None,
    by: str = BY_ORGANISATION,
    round_number: int | None = None,
) -> list[Position]:
    """Positions on ``criterion`` (the mean of every criterion when ``None``) of the submitted
    self-assessments: by organisation in one round (the latest by default), by cohort in that
    round, or by round. Organisations are named only when they consented; the viewer's own is
    marked and named."""
    submitted = (
        SelfAssessment.objects.filter(tool=tool, submitted_at__isnull=False)
        .select_related("organisation", "cohort")
        .prefetch_related("scores")
        .order_by("pk")
    )
    own = own_organisation(user, tool.programme)
    rounds = sorted({a.round for a in submitted})
    if by == BY_ROUND:
        per_round: dict[int, list[float]] = defaultdict(list)
        for assessment in submitted:
            value = _score_of(assessment, criterion)
            if value is not None:
                per_round[assessment.round].append(value)
        return [
            Position(_("Round %(number)s") % {"number": number}, mean(values))
            for number, values in sorted(per_round.items())
        ]
    chosen = round_number if round_number in rounds else (rounds[-1] if rounds else None)
    in_round = [a for a in submitted if a.round == chosen]
    if by == BY_COHORT:
        per_cohort: dict[str, list[float]] = defaultdict(list)
        for assessment in in_round:
            value = _score_of(assessment, criterion)
            if value is not None:
                name = assessment.cohort.name if assessment.cohort else _("No cohort")
                per_cohort[name].append(value)
        return [Position(name, mean(values)) for name, values in sorted(per_cohort.items())]
    letters = anonymous_labels(tool)
    positions = []
    for assessment in in_round:
        value = _score_of(assessment, criterion)
        if value is None:
            continue
        is_own = own is not None and assessment.organisation_id == own.pk
        if is_own:
            label = _("%(name)s (yours)") % {"name": assessment.organisation.name}
        elif assessment.named_consent:
            label = assessment.organisation.name
        else:
            label = letters[assessment.pk]
        positions.append(Position(label, value, is_own, assessment.organisation_id))
    return positions


@dataclass(frozen=True)
class Suggestion:
    peer: Any  # a user
    organisation: Organisation
    their_score: float
    our_score: float | None


def latest_scores(tool: AssessmentTool, criterion: Criterion) -> dict[int, float]:
    """Each organisation's score on ``criterion`` in its latest submitted round."""
    latest: dict[int, tuple[int, float]] = {}
    rows = CriterionScore.objects.filter(
        criterion=criterion, assessment__tool=tool, assessment__submitted_at__isnull=False
    ).values_list("assessment__organisation_id", "assessment__round", "score")
    for organisation_id, round_number, score in rows:
        if organisation_id not in latest or latest[organisation_id][0] < round_number:
            latest[organisation_id] = (round_number, float(score))
    return {organisation_id: score for organisation_id, (_r, score) in latest.items()}


def deviance_suggestions(user: Any, tool: AssessmentTool, criterion: Criterion) -> list[Suggestion]:
    """Peers the user may pair with whose organisation scores markedly better on ``criterion``
    than the user's own, best first (none when the user's organisation has not assessed)."""
    own = own_organisation(user, tool.programme)
    scores = latest_scores(tool, criterion)
    if own is None or own.pk not in scores:
        return []
    ours = scores[own.pk]
    suggestions = [
        Suggestion(m.user, m.organisation, scores[m.organisation.pk], ours)
        for m in programmes.cohort_mates(user, tool.programme).select_related("organisation")
        if m.organisation is not None
        and m.organisation.pk in scores
        and m.organisation.pk != own.pk
        and scores[m.organisation.pk] >= ours + MARKEDLY_BETTER
    ]
    return sorted(suggestions, key=lambda s: (-s.their_score, str(s.peer)))


def deviance_pairs(
    tool: AssessmentTool, criterion: Criterion
) -> list[tuple[Any, Any, float, float]]:
    """For facilitators: (peer of a lower-scoring organisation, peer of a markedly better one
    of the same cohort, their scores), for every cohort."""
    scores = latest_scores(tool, criterion)
    peers = list(
        programmes.all_memberships()
        .filter(programme=tool.programme, role=Role.PEER, organisation_id__in=list(scores))
        .select_related("user", "organisation")
    )
    score_of = {m.pk: scores[m.organisation_id] for m in peers if m.organisation_id is not None}
    pairs = []
    for low in peers:
        for high in peers:
            if (
                low.cohort_id is not None
                and low.cohort_id == high.cohort_id
                and low.organisation_id != high.organisation_id
                and score_of[high.pk] >= score_of[low.pk] + MARKEDLY_BETTER
            ):
                pairs.append((low.user, high.user, score_of[low.pk], score_of[high.pk]))
    return sorted(pairs, key=lambda p: (p[2], -p[3], str(p[0]), str(p[1])))


def _self_assessed(programme: Programme) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(
        tool__programme=programme, submitted_at__isnull=False, submitted_by__isnull=False
    )


def _reviewed(programme: Programme) -> QuerySet[Review]:
    return Review.objects.filter(assessment__tool__programme=programme, reviewer__isnull=False)


def benchmarking_users(programme: Programme) -> set[int]:
    """Peers who used a benchmarking tool: submitted their organisation's self-assessment or
    reviewed another's."""
    submitted = _self_assessed(programme).order_by().values_list("submitted_by_id", flat=True)
    reviewed = _reviewed(programme).order_by().values_list("reviewer_id", flat=True)
    return set(submitted.union(reviewed))


def used_benchmarking(programme: Programme, user: Any) -> Q:
    """Whether ``user`` (a user, an id or ``OuterRef("user_id")``) is among
    :func:`benchmarking_users`, as a condition to annotate rows of people with."""
    return Q(Exists(_self_assessed(programme).filter(submitted_by=user))) | Q(
        Exists(_reviewed(programme).filter(reviewer=user))
    )


def benchmarking_version(programme: Programme) -> dict[str, QuerySet[Any]]:
    """Scalar queries whose values change whenever :func:`benchmarking_users` may, to be read
    together with others in one query (``peerlearn.aggregates.one_row``)."""
    submitted, reviewed = _self_assessed(programme), _reviewed(programme)
    return {
        "assessments": scalar(submitted, Count("pk")),
        "assessments_by": scalar(submitted, Sum("submitted_by_id", distinct=True)),
        "assessments_at": scalar(submitted, Max("submitted_at")),
        "reviews": scalar(reviewed, Count("pk")),
        "reviewers": scalar(reviewed, Sum("reviewer_id", distinct=True)),
    }
