"""Risk flags of matching (stage 1): how peers were matched, and who was left out."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.flags import RiskFlag, Stage
from peerlearn.roles import Role
from programmes.selectors import all_memberships

from .models import MIN_CHALLENGES, GroupMember, IntakeResponse, MatchingRun
from .services import clean_challenges

if TYPE_CHECKING:
    from programmes.models import Programme


def _weights(run: MatchingRun) -> dict[str, float]:
    options = run.options or {}
    if run.strategy == "hybrid":
        weights = options.get("weights") or {}
        return {k: float(v) for k, v in weights.items() if float(v) > 0}
    return {run.strategy: 1.0}


def flags_for(programme: Programme) -> list[RiskFlag]:
    flags: list[RiskFlag] = []
    url = reverse("matching:overview", kwargs={"pk": programme.pk})
    few_by_cohort = _few_challenges_by_cohort(programme)
    published = {
        run.cohort_id: run
        for run in MatchingRun.objects.filter(
            cohort__programme=programme, published_at__isnull=False
        ).select_related("cohort")
    }
    unplaced_by_cohort = _unplaced_by_cohort(list(published.values()))
    for cohort in programme.cohorts.all():
        run = published.get(cohort.pk)
        if run is not None:
            components = set(_weights(run))
            if components and components <= {"role", "task"}:
                flags.append(
                    RiskFlag(
                        stage=Stage.FOUNDATION,
                        code="matching-by-position-or-task",
                        message=_(
                            "The groups of %(cohort)s were matched by formal role or task only, "
                            "not by shared problems; peers learn most from those who face the "
                            "same problems."
                        )
                        % {"cohort": cohort.name},
                        subject=cohort.name,
                        url=url,
                    )
                )
            unplaced = unplaced_by_cohort[cohort.pk]
            if unplaced:
                flags.append(
                    RiskFlag(
                        stage=Stage.FOUNDATION,
                        code="peers-without-group",
                        message=ngettext(
                            "%(count)d peer of %(cohort)s completed intake but has no group "
                            "after publication.",
                            "%(count)d peers of %(cohort)s completed intake but have no group "
                            "after publication.",
                            unplaced,
                        )
                        % {"count": unplaced, "cohort": cohort.name},
                        subject=cohort.name,
                        url=url,
                    )
                )
        few = few_by_cohort[cohort.pk]
        if few:
            flags.append(
                RiskFlag(
                    stage=Stage.FOUNDATION,
                    code="fewer-than-three-challenges",
                    message=ngettext(
                        "%(count)d peer of %(cohort)s has named fewer than three challenges.",
                        "%(count)d peers of %(cohort)s have named fewer than three challenges.",
                        few,
                    )
                    % {"count": few, "cohort": cohort.name},
                    subject=cohort.name,
                    url=url,
                )
            )
    return flags


def _unplaced_by_cohort(runs: list[MatchingRun]) -> Counter[int]:
    """Per cohort, how many of its peers completed the intake but have no group in its
    published run (``runs``, one per cohort): one query for every cohort."""
    if not runs:
        return Counter()
    done = IntakeResponse.objects.filter(
        survey__cohort=OuterRef("cohort"), submitted_at__isnull=False, user=OuterRef("user")
    )
    placed = GroupMember.objects.filter(
        run_id__in=[run.pk for run in runs], run__cohort=OuterRef("cohort"), user=OuterRef("user")
    )
    return Counter(
        dict(
            all_memberships()
            .filter(cohort_id__in=[run.cohort_id for run in runs], role=Role.PEER)
            .filter(Exists(done))
            .exclude(Exists(placed))
            .order_by()
            .values("cohort_id")
            .annotate(n=Count("pk"))
            .values_list("cohort_id", "n")
        )
    )


def _few_challenges_by_cohort(programme: Programme) -> Counter[int]:
    """Per cohort, how many peers submitted fewer than three challenges or hold a draft with
    fewer: two queries for the whole programme."""
    few: Counter[int] = Counter(
        IntakeResponse.objects.filter(
            survey__cohort__programme=programme, submitted_at__isnull=False
        )
        .annotate(n=Count("challenges", filter=Q(challenges__text__gt="")))
        .filter(n__lt=MIN_CHALLENGES)
        .values_list("survey__cohort_id", flat=True)
    )
    for cohort_id, draft in (
        IntakeResponse.objects.filter(
            survey__cohort__programme=programme, submitted_at__isnull=True
        )
        .exclude(draft={})
        .values_list("survey__cohort_id", "draft")
    ):
        if len(clean_challenges((draft or {}).get("challenges", []))) < MIN_CHALLENGES:
            few[cohort_id] += 1
    return few
