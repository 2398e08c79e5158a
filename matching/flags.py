"""Risk flags of matching (stage 1): how peers were matched, and who was left out."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.flags import RiskFlag, Stage
from peerlearn.queries import SubqueryCount

from . import selectors
from .models import MIN_CHALLENGES, Challenge, IntakeResponse, MatchingRun
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
    few_by_cohort, names = _few_challenges_by_cohort(programme)
    published = {run.cohort_id: run for run in selectors.published_runs_with_unplaced(programme)}
    names.update((cohort_id, run.cohort.name) for cohort_id, run in published.items())
    # Only the cohorts with a published run or a peer with few challenges can raise a flag.
    for cohort_id, name in names.items():
        run = published.get(cohort_id)
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
                        % {"cohort": name},
                        subject=name,
                        url=url,
                    )
                )
            unplaced: int = run.unplaced  # type: ignore[attr-defined]
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
                        % {"count": unplaced, "cohort": name},
                        subject=name,
                        url=url,
                    )
                )
        few = few_by_cohort[cohort_id]
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
                    % {"count": few, "cohort": name},
                    subject=name,
                    url=url,
                )
            )
    return flags


def _few_challenges_by_cohort(programme: Programme) -> tuple[Counter[int], dict[int, str]]:
    """Per cohort, how many peers submitted fewer than three challenges or hold a draft with
    fewer: one query for the whole programme (a draft's challenges are counted here, as the
    intake form cleans them), with the names of the cohorts read."""
    named = SubqueryCount(
        Challenge.objects.filter(response=OuterRef("pk"), text__gt="").values("pk")
    )
    few: Counter[int] = Counter()
    names: dict[int, str] = {}
    for cohort_id, name, submitted, draft in (
        IntakeResponse.objects.filter(survey__cohort__programme=programme)
        .annotate(named=named)
        .filter(
            Q(submitted_at__isnull=False, named__lt=MIN_CHALLENGES)
            | (Q(submitted_at__isnull=True) & ~Q(draft={}))
        )
        .order_by()
        .values_list("survey__cohort_id", "survey__cohort__name", "submitted_at", "draft")
    ):
        # A submitted response is here for its few challenges; a draft, for being a draft.
        drafted = len(clean_challenges((draft or {}).get("challenges", [])))
        if submitted is not None or drafted < MIN_CHALLENGES:
            few[cohort_id] += 1
            names[cohort_id] = name
    return few, names
