"""Proposals and versions of a cohort's problem themes.

A facilitator asks for a proposal (:func:`request_proposal`): a :class:`ThemeSet` is queued
and the theme pipeline runs in the background (:func:`execute_proposal`), reading the stored
statement vectors and computing the missing ones. When the cohort has no themes yet, the
proposal is used at once; otherwise it waits, ready to be compared with the themes in use, and
replaces them only when the facilitator confirms (:func:`apply_theme_set`). Themes that are
replaced are kept as a version first (curated when the facilitator changed them), so that any
earlier version can be compared and brought back the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import OperationalError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.jobs import enqueue_on_commit, enqueue_row_on_commit, hand_over_waiting
from peerlearn.users.models import User

from .. import selectors, themes
from ..models import Challenge, IntakeSurvey, Theme, ThemeSet
from .errors import MatchingError
from .statement_vectors import (
    ID_CHUNK,
    forget_model,
    store_model,
    vectors_of,
)
from .themes import NAME_LENGTH

MAX_THEMES = 50
MAX_SEEDS = 50
# A proposal queued or running for longer than this is taken as lost (its worker stopped).
PROPOSAL_TIMEOUT = timedelta(minutes=30)


def _next_number(survey: IntakeSurvey) -> int:
    return int(survey.theme_sets.aggregate(top=Max("number"))["top"] or 0) + 1


def active_proposal(survey: IntakeSurvey) -> ThemeSet | None:
    """The proposal being computed for the cohort, if any (lost ones are not)."""
    return (
        survey.theme_sets.filter(
            status__in=[ThemeSet.Status.QUEUED, ThemeSet.Status.RUNNING],
            created_at__gte=timezone.now() - PROPOSAL_TIMEOUT,
        )
        .order_by("-number")
        .first()
    )


@transaction.atomic
def request_proposal(
    *,
    survey: IntakeSurvey,
    by: User | None,
    count: int | None = None,
    seeds: Sequence[themes.SeedTheme] = (),
    new_count: int | None = None,
    language: str = "en",
) -> ThemeSet:
    """Queue a proposal of themes for the cohort's statements.

    ``count`` themes exactly when given; with ``seeds`` (guided themes) the statements go to the
    nearest seed theme when close enough and ``new_count`` new themes (or a count chosen from
    the data) are proposed for the others. Names are in ``language``.
    """
    survey = IntakeSurvey.objects.select_for_update().get(pk=survey.pk)
    statements = selectors.submitted_challenges_of(survey).count()
    if not statements:
        raise MatchingError(_("No challenge statements yet: themes come from the intake answers."))
    for value, field in ((count, "count"), (new_count, "new_count")):
        if value is not None and not 1 <= value <= MAX_THEMES:
            raise MatchingError(
                _("Choose between 1 and %(count)d themes, or leave it empty.")
                % {"count": MAX_THEMES},
                field=field,
            )
    if count is not None and count > statements:
        raise MatchingError(
            _("There are %(count)d statements: ask for at most as many themes.")
            % {"count": statements},
            field="count",
        )
    if len(seeds) > MAX_SEEDS:
        raise MatchingError(
            _("Start from at most %(count)d themes.") % {"count": MAX_SEEDS}, field="seeds"
        )
    if active_proposal(survey) is not None:
        raise MatchingError(
            _("Themes are already being proposed for this cohort: wait until they are ready.")
        )
    now = timezone.now()
    survey.theme_sets.filter(status__in=[ThemeSet.Status.QUEUED, ThemeSet.Status.RUNNING]).update(
        status=ThemeSet.Status.FAILED,
        error=_("The proposal did not finish in time."),
        finished_at=now,
    )
    # A new proposal takes the place of one still waiting to be compared.
    survey.theme_sets.filter(status=ThemeSet.Status.READY).update(status=ThemeSet.Status.DISCARDED)
    proposal = ThemeSet.objects.create(
        survey=survey,
        number=_next_number(survey),
        kind=ThemeSet.Kind.PROPOSED,
        parameters={
            "count": count,
            "seeds": [{"name": s.name, "description": s.description} for s in seeds],
            "new_count": new_count,
            "language": language,
        },
        created_by=by,
    )
    from ..tasks import propose_themes

    enqueue_row_on_commit(propose_themes, proposal)
    return proposal


# A proposal the broker never took is handed over again QUEUE_GRACE after it was asked for; one
# it took but that has not started REQUEUE_AFTER later (a lost message) is handed over again,
# while it is not taken as lost (PROPOSAL_TIMEOUT).
QUEUE_GRACE = timedelta(minutes=1)
REQUEUE_AFTER = timedelta(minutes=10)


def queue_waiting_proposals(*, now: datetime | None = None) -> int:
    """Periodic: hand to the broker every theme proposal that waits for it. Returns how many
    were handed over."""
    from ..tasks import propose_themes

    now = now or timezone.now()
    return hand_over_waiting(
        ThemeSet.objects.filter(
            kind=ThemeSet.Kind.PROPOSED,
            status=ThemeSet.Status.QUEUED,
            created_at__gte=now - PROPOSAL_TIMEOUT,
        ),
        propose_themes,
        now=now,
        grace=QUEUE_GRACE,
        requeue_after=REQUEUE_AFTER,
    )


class _ProgressWriter:
    """Writes a proposal's progress, at most every 2 % or every 0.5 s."""

    def __init__(self, set_id: int) -> None:
        self.set_id = set_id
        self.last = -1.0
        self.last_time = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = min(1.0, max(0.0, float(fraction)))
        now = time.monotonic()
        if fraction - self.last >= 0.02 or (fraction > self.last and now - self.last_time > 0.5):
            ThemeSet.objects.filter(pk=self.set_id, status=ThemeSet.Status.RUNNING).update(
                progress=fraction
            )
            self.last, self.last_time = fraction, now


def _unique_names(names: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for raw in names:
        base = " ".join(str(raw).split())[:NAME_LENGTH] or _("Theme")
        name, suffix = base, 2
        while name.casefold() in seen:
            name = f"{base[: NAME_LENGTH - 6]} ({suffix})"
            suffix += 1
        seen.add(name.casefold())
        out.append(name)
    return out


def _run_pipeline(
    theme_set: ThemeSet, progress: Callable[[float], None]
) -> tuple[list[Challenge], list[themes.StatementVector], themes.Proposal]:
    challenges = list(selectors.submitted_challenges_of(theme_set.survey).order_by("pk"))
    if not challenges:
        raise ValueError(_("No challenge statements yet: themes come from the intake answers."))
    progress(0.02)
    vectors = vectors_of(
        challenges, survey=theme_set.survey, progress=lambda f: progress(0.02 + 0.78 * f)
    )
    texts = [c.text for c in challenges]
    parameters = theme_set.parameters or {}
    language = str(parameters.get("language") or "en")
    seeds = [
        themes.SeedTheme(name=str(s.get("name", "")), description=str(s.get("description", "")))
        for s in parameters.get("seeds") or []
    ]
    if seeds:
        new_count = parameters.get("new_count")
        proposal = themes.propose_guided(
            texts, seeds, vectors=vectors, new_k=new_count, language=language
        )
    else:
        count = parameters.get("count")
        k = min(int(count), len(texts)) if count else None
        proposal = themes.propose(texts, vectors=vectors, k=k, language=language)
    progress(0.95)
    return challenges, vectors, proposal


def execute_proposal(*, set_id: int, progress: Callable[[float], None] | None = None) -> bool:
    """Run the theme pipeline for a queued proposal and store its themes. Idempotent: a
    proposal that is not queued is left alone (returns False)."""
    claimed = ThemeSet.objects.filter(pk=set_id, status=ThemeSet.Status.QUEUED).update(
        status=ThemeSet.Status.RUNNING, started_at=timezone.now(), progress=0.0
    )
    if not claimed:
        return False
    theme_set = ThemeSet.objects.select_related("survey").get(pk=set_id)
    try:
        challenges, vectors, proposal = _run_pipeline(
            theme_set, progress or _ProgressWriter(set_id)
        )
    except ValueError as error:
        ThemeSet.objects.filter(pk=set_id).update(
            status=ThemeSet.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        return False
    except (OperationalError, ConnectionError, TimeoutError):
        # Transient: back in the queue, the task is retried with backoff.
        ThemeSet.objects.filter(pk=set_id).update(status=ThemeSet.Status.QUEUED)
        raise
    except Exception as error:
        ThemeSet.objects.filter(pk=set_id).update(
            status=ThemeSet.Status.FAILED,
            error=_("The proposal stopped with an error: %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
        raise
    names = _unique_names([t.name for t in proposal.themes])
    stored: list[dict[str, Any]] = [
        {
            "name": name,
            "challenges": sorted(challenges[i].pk for i in theme.members),
            "concepts": list(theme.concepts),
            "seed": theme.seed,
        }
        for name, theme in zip(names, proposal.themes, strict=True)
    ]
    with transaction.atomic():
        survey = IntakeSurvey.objects.select_for_update().get(pk=theme_set.survey_id)
        theme_set = ThemeSet.objects.select_for_update().get(pk=set_id)
        if theme_set.status != ThemeSet.Status.RUNNING:  # discarded while it ran
            return False
        theme_set.themes = stored
        theme_set.theme_count = len(stored)
        theme_set.statement_count = sum(len(t["challenges"]) for t in stored)
        theme_set.status = ThemeSet.Status.READY
        theme_set.progress = 1.0
        theme_set.finished_at = timezone.now()
        theme_set.save()
        if not survey.themes.exists():
            created = _replace_themes(survey, theme_set, by=theme_set.created_by)
            labels = [None] * len(challenges)
            for index, theme in enumerate(proposal.themes):
                for member in theme.members:
                    labels[member] = index  # type: ignore[call-overload]
            model = themes.fit_model(vectors, labels, [str(t.pk) for t in created])
            store_model(survey, model, [t.pk for t in created])
    return True


def live_themes(survey: IntakeSurvey) -> list[dict[str, Any]]:
    """The themes in use, in the form a version keeps them (sorted by name)."""
    members: dict[int, list[int]] = {}
    rows = Challenge.objects.filter(response__survey=survey, theme__isnull=False).values_list(
        "pk", "theme_id"
    )
    for challenge_id, theme_id in rows:
        members.setdefault(theme_id, []).append(challenge_id)
    return [
        {"name": name, "challenges": sorted(members.get(pk, [])), "concepts": [], "seed": None}
        for pk, name in survey.themes.order_by("name").values_list("pk", "name")
    ]


def _keep_current(survey: IntakeSurvey, by: User | None) -> ThemeSet | None:
    """Keep the themes in use as a version before they are replaced, unless they are exactly
    the version they came from."""
    if survey.current_set_id is not None and not survey.themes_edited:
        return None
    current = live_themes(survey)
    if not current:
        return None
    return ThemeSet.objects.create(
        survey=survey,
        number=_next_number(survey),
        kind=ThemeSet.Kind.CURATED,
        status=ThemeSet.Status.SAVED,
        themes=current,
        theme_count=len(current),
        statement_count=sum(len(t["challenges"]) for t in current),
        progress=1.0,
        created_by=survey.themes_edited_by or by,
        finished_at=survey.themes_edited_at or timezone.now(),
    )


def _replace_themes(survey: IntakeSurvey, theme_set: ThemeSet, *, by: User | None) -> list[Theme]:
    """Make ``theme_set`` the themes in use (the survey is locked by the caller); statements
    it does not hold (submitted after it was made) are queued for assignment."""
    _keep_current(survey, by)
    survey.themes.all().delete()
    names = _unique_names([str(t.get("name", "")) for t in theme_set.themes])
    created = Theme.objects.bulk_create([Theme(survey=survey, name=name) for name in names])
    if any(t.pk is None for t in created):  # backends that do not return ids
        by_name = dict(survey.themes.values_list("name", "pk"))
        for theme in created:
            theme.pk = by_name[theme.name]
    statements = Challenge.objects.filter(response__survey=survey)
    held: set[int] = set()
    for theme, data in zip(created, theme_set.themes, strict=True):
        ids = [int(i) for i in data.get("challenges", [])]
        held.update(ids)
        for start in range(0, len(ids), ID_CHUNK):
            statements.filter(pk__in=ids[start : start + ID_CHUNK]).update(theme=theme)
    survey.themes_revision += 1
    survey.current_set = theme_set
    survey.current_set_revision = survey.themes_revision
    survey.themes_accepted_at = None
    survey.save(
        update_fields=[
            "themes_revision",
            "current_set",
            "current_set_revision",
            "themes_accepted_at",
        ]
    )
    theme_set.status = ThemeSet.Status.SAVED
    theme_set.applied_at = timezone.now()
    theme_set.applied_by = by
    theme_set.save(update_fields=["status", "applied_at", "applied_by"])
    forget_model(survey)
    newer = [
        pk
        for pk in selectors.submitted_challenges_of(survey).values_list("pk", flat=True)
        if pk not in held
    ]
    if newer:
        from ..tasks import assign_late_statements

        # With the broker down the statements stay without a theme, which the facilitator
        # sees, and the next proposal places them.
        enqueue_on_commit(assign_late_statements, survey.pk, newer)
    return created


@transaction.atomic
def apply_theme_set(
    *, theme_set: ThemeSet, by: User | None, revision: int, confirmed: bool
) -> list[Theme]:
    """Replace the themes in use by ``theme_set`` (a proposal ready to compare, or an earlier
    version), after the facilitator compared them (at ``revision`` of the themes) and
    confirmed. The themes in use are kept as a version first."""
    if not confirmed:
        raise MatchingError(
            _("Tick the box to confirm that these themes replace the current ones."),
            field="confirm",
        )
    survey = IntakeSurvey.objects.select_for_update().get(pk=theme_set.survey_id)
    theme_set = ThemeSet.objects.select_for_update().get(pk=theme_set.pk)
    if theme_set.status not in (ThemeSet.Status.READY, ThemeSet.Status.SAVED):
        raise MatchingError(_("This version cannot be used: it is not ready or was discarded."))
    if revision != survey.themes_revision:
        raise MatchingError(
            _("The themes changed since you compared them: compare again before replacing them.")
        )
    if theme_set.pk == survey.current_set_id and not survey.themes_edited:
        raise MatchingError(_("These are already the themes in use."))
    return _replace_themes(survey, theme_set, by=by)


@transaction.atomic
def discard_proposal(*, theme_set: ThemeSet) -> None:
    """Set aside a proposal (waiting, or still being computed: it stops being used)."""
    theme_set = ThemeSet.objects.select_for_update().get(pk=theme_set.pk)
    if theme_set.kind != ThemeSet.Kind.PROPOSED or theme_set.status not in (
        ThemeSet.Status.QUEUED,
        ThemeSet.Status.RUNNING,
        ThemeSet.Status.READY,
    ):
        raise MatchingError(_("Only a proposal that was not used can be discarded."))
    theme_set.status = ThemeSet.Status.DISCARDED
    theme_set.finished_at = theme_set.finished_at or timezone.now()
    theme_set.save(update_fields=["status", "finished_at"])


def propose_now(
    *,
    survey: IntakeSurvey,
    by: User | None,
    count: int | None = None,
    seeds: Sequence[themes.SeedTheme] = (),
    new_count: int | None = None,
    language: str = "en",
) -> ThemeSet:
    """Propose themes in this process (the demo and scripts): queue and run at once."""
    with transaction.atomic():
        proposal = request_proposal(
            survey=survey,
            by=by,
            count=count,
            seeds=seeds,
            new_count=new_count,
            language=language,
        )
        # Claimed here: the job queued on commit finds nothing left to do.
        execute_proposal(set_id=proposal.pk, progress=lambda fraction: None)
    proposal.refresh_from_db()
    return proposal
