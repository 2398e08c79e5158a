"""Writes for matching runs: queued, then run by the engine in the background, their groups
stored."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.users.models import User

from .. import engine, selectors
from ..models import Group, GroupMember, MatchingRun
from .errors import MatchingError

if TYPE_CHECKING:
    from programmes.models import Cohort


@transaction.atomic
def start_run(*, cohort: Cohort, created_by: User | None, options: engine.Options) -> MatchingRun:
    """Queue a matching run of the cohort's peers who completed intake."""
    from ..tasks import execute_matching_run

    peers = selectors.cohort_peers(cohort)
    lo = 2 if options.pairs else options.min_size
    if len(peers) < lo:
        raise MatchingError(
            _("Only %(count)d peers have completed intake; at least %(minimum)d are needed.")
            % {"count": len(peers), "minimum": lo},
            field="non_field_errors",
        )
    last = (
        MatchingRun.objects.filter(cohort=cohort)
        .order_by("-number")
        .values_list("number", flat=True)
    ).first()
    run = MatchingRun.objects.create(
        cohort=cohort,
        number=(last or 0) + 1,
        strategy=options.strategy,
        options=options.to_dict(),
        created_by=created_by,
        peer_count=len(peers),
        warnings=list(engine.strategy_warnings(options)),
    )
    run_id = run.pk
    transaction.on_commit(lambda: execute_matching_run.delay(run_id))
    return run


class _ProgressWriter:
    """Writes the engine's progress to the run row, at most every 2 % or every 0.5 s."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = -1.0
        self.last_time = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = min(1.0, max(0.0, float(fraction)))
        now = time.monotonic()
        if fraction - self.last >= 0.02 or (fraction > self.last and now - self.last_time > 0.5):
            MatchingRun.objects.filter(pk=self.run_id).update(progress=fraction)
            self.last, self.last_time = fraction, now


def _store_groups(run: MatchingRun, result: engine.MatchingResult) -> None:
    run.groups.all().delete()
    for group in result.groups:
        row = Group.objects.create(
            run=run,
            label=group.label,
            score=group.score,
            normalised_score=group.normalised_score,
            explanation=group.explanation.to_dict(),
            shared_themes={k: list(v) for k, v in group.shared_themes.items()},
        )
        GroupMember.objects.bulk_create(
            [
                GroupMember(run=run, group=row, user_id=int(pid), locked=pid in group.locked)
                for pid in group.members
            ]
        )


def execute_run(*, run_id: int, progress: Callable[[float], None] | None = None) -> bool:
    """Run the engine for a queued run and store its groups. Idempotent: a run that is not
    queued is left alone (returns False)."""
    claimed = MatchingRun.objects.filter(pk=run_id, status=MatchingRun.Status.QUEUED).update(
        status=MatchingRun.Status.RUNNING, started_at=timezone.now(), progress=0.0
    )
    if not claimed:
        return False
    run = MatchingRun.objects.select_related("cohort").get(pk=run_id)
    try:
        options = engine.Options.from_dict(run.options)
        peers = selectors.cohort_peers(run.cohort)
        result = engine.run(peers, options, progress=progress or _ProgressWriter(run_id))
    except ValueError as error:
        MatchingRun.objects.filter(pk=run_id).update(
            status=MatchingRun.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        return False
    except (OperationalError, ConnectionError, TimeoutError):
        # Transient: back in the queue, the task is retried with backoff.
        MatchingRun.objects.filter(pk=run_id).update(status=MatchingRun.Status.QUEUED)
        raise
    except Exception as error:
        MatchingRun.objects.filter(pk=run_id).update(
            status=MatchingRun.Status.FAILED,
            error=_("The matching run stopped with an error: %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().get(pk=run_id)
        _store_groups(run, result)
        run.status = MatchingRun.Status.DONE
        run.progress = 1.0
        run.score = result.score
        run.total = result.total
        run.report = result.report.to_dict()
        run.warnings = list(result.warnings)
        run.stats = {**dict(result.stats), "isolated": list(result.isolated)}
        run.peer_count = len(peers)
        run.finished_at = timezone.now()
        run.save()
    return True
