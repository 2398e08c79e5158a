"""Writes for matching runs: queued, then run by the engine in the background, their groups
stored.

A run is handed to the task broker once its row is committed. When the broker cannot be reached
the run waits ("waiting to start") and :func:`queue_waiting_runs`, a periodic job, hands it over
once the broker answers. While a worker runs it, the run shows a sign of life
(``heartbeat_at``) at least every :data:`HEARTBEAT_SECONDS`; a run whose worker died (killed,
out of memory, machine lost) is marked failed by :func:`fail_stalled_runs`, another periodic
job, and the facilitator can run it again (:func:`retry_run`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.jobs import enqueue_on_commit, hand_over_waiting
from peerlearn.users.models import User

from .. import engine, selectors
from ..models import Group, GroupMember, MatchingRun
from .errors import MatchingError

if TYPE_CHECKING:
    from programmes.models import Cohort


logger = logging.getLogger(__name__)

# How often a running run shows a sign of life, and after how long without one a run that was
# handed to the broker but never started is handed over again (its message was lost, e.g. when
# Redis restarted empty). A run handed over twice runs once: the task claims it.
HEARTBEAT_SECONDS = 15
QUEUE_GRACE = timedelta(minutes=1)
REQUEUE_AFTER = timedelta(minutes=30)


def stale_after() -> timedelta:
    """A running run with no sign of life for this long has lost its worker."""
    return timedelta(seconds=int(getattr(settings, "MATCHING_RUN_STALE_SECONDS", 300)))


def _mark_dispatched(run_ids: list[int], when: datetime | None = None) -> None:
    MatchingRun.objects.filter(pk__in=run_ids).update(dispatched_at=when or timezone.now())


def _queue(run_id: int) -> None:
    from ..tasks import execute_matching_run

    enqueue_on_commit(execute_matching_run, run_id, queued=lambda: _mark_dispatched([run_id]))


@transaction.atomic
def start_run(*, cohort: Cohort, created_by: User | None, options: engine.Options) -> MatchingRun:
    """Queue a matching run of the cohort's peers who completed intake."""
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
    _queue(run.pk)
    return run


def retry_run(*, run: MatchingRun, created_by: User) -> MatchingRun:
    """Start a new run of a failed run's cohort with the same parameters."""
    if run.status != MatchingRun.Status.FAILED:
        raise MatchingError(_("Only a run that failed can be run again."))
    try:
        options = engine.Options.from_dict(run.options)
    except (TypeError, ValueError):
        raise MatchingError(
            _("The parameters of this run are not valid any more: start a new run.")
        ) from None
    return start_run(cohort=run.cohort, created_by=created_by, options=options)


def queue_waiting_runs(*, now: datetime | None = None) -> int:
    """Periodic: hand to the broker every run that waits for it (see
    :func:`peerlearn.jobs.hand_over_waiting`). Returns how many were handed over."""
    from ..tasks import execute_matching_run

    return hand_over_waiting(
        MatchingRun.objects.filter(status=MatchingRun.Status.QUEUED),
        execute_matching_run,
        now=now or timezone.now(),
        grace=QUEUE_GRACE,
        requeue_after=REQUEUE_AFTER,
    )


def fail_stalled_runs(*, now: datetime | None = None) -> int:
    """Periodic: a run still "running" with no sign of life for :func:`stale_after` lost its
    worker; it is marked failed with the reason, so its page stops waiting and the facilitator
    can run it again. Returns how many."""
    now = now or timezone.now()
    limit = stale_after()
    minutes = max(1, round(limit.total_seconds() / 60))
    return (
        MatchingRun.objects.filter(status=MatchingRun.Status.RUNNING)
        .alias(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(last_sign__lt=now - limit)
        .update(
            status=MatchingRun.Status.FAILED,
            error=_(
                "The background worker running this matching run stopped without finishing "
                "(no sign of life for %(minutes)d minutes). No groups were stored. "
                "Run it again."
            )
            % {"minutes": minutes},
            finished_at=now,
        )
    )


class _Heartbeat:
    """While the engine runs, a thread writes a sign of life to the run every ``every``
    seconds, so that a run whose worker died can be told from one that takes long."""

    def __init__(self, run_id: int, every: float = HEARTBEAT_SECONDS) -> None:
        self.run_id = run_id
        self.every = every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"run-{run_id}-heartbeat")
        self.thread.daemon = True

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    MatchingRun.objects.filter(
                        pk=self.run_id, status=MatchingRun.Status.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except OperationalError as error:
                    logger.warning("Heartbeat of matching run %s failed: %s", self.run_id, error)
                    close_old_connections()
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopped.set()
        self.thread.join(timeout=self.every + 5)


class _ProgressWriter:
    """Writes the engine's progress (and a sign of life) to the run row, at most every 2 % or
    every 0.5 s."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = -1.0
        self.last_time = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = min(1.0, max(0.0, float(fraction)))
        now = time.monotonic()
        if fraction - self.last >= 0.02 or (fraction > self.last and now - self.last_time > 0.5):
            MatchingRun.objects.filter(pk=self.run_id, status=MatchingRun.Status.RUNNING).update(
                progress=fraction, heartbeat_at=timezone.now()
            )
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


def _store_result(run_id: int, result: engine.MatchingResult, peer_count: int) -> bool:
    """Store the groups and the report of a run that is still running (not one the reaper
    gave up on meanwhile). ``False`` when there was no such run."""
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != MatchingRun.Status.RUNNING:
            return False
        _store_groups(run, result)
        run.status = MatchingRun.Status.DONE
        run.progress = 1.0
        run.score = result.score
        run.total = result.total
        run.report = result.report.to_dict()
        run.warnings = list(result.warnings)
        run.stats = {**dict(result.stats), "isolated": list(result.isolated)}
        run.peer_count = peer_count
        run.finished_at = timezone.now()
        run.heartbeat_at = run.finished_at
        run.save()
    return True


def _fail(run_id: int, reason: str) -> None:
    MatchingRun.objects.filter(pk=run_id).update(
        status=MatchingRun.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def execute_run(*, run_id: int, progress: Callable[[float], None] | None = None) -> bool:
    """Run the engine for a queued run and store its groups. Idempotent: a run that is not
    queued is left alone (returns False). Whatever goes wrong, in the engine or while storing
    its result, leaves the run failed with the reason (or, for a passing database or network
    fault, queued again for the task to retry)."""
    now = timezone.now()
    claimed = MatchingRun.objects.filter(pk=run_id, status=MatchingRun.Status.QUEUED).update(
        status=MatchingRun.Status.RUNNING, started_at=now, heartbeat_at=now, progress=0.0
    )
    if not claimed:
        return False
    try:
        with _Heartbeat(run_id):
            run = MatchingRun.objects.select_related("cohort").get(pk=run_id)
            options = engine.Options.from_dict(run.options)
            peers = selectors.cohort_peers(run.cohort)
            result = engine.run(peers, options, progress=progress or _ProgressWriter(run_id))
        return _store_result(run_id, result, len(peers))
    except ValueError as error:
        _fail(run_id, str(error))
        return False
    except (OperationalError, ConnectionError, TimeoutError):
        # Transient: back in the queue, the task is retried with backoff.
        MatchingRun.objects.filter(pk=run_id, status=MatchingRun.Status.RUNNING).update(
            status=MatchingRun.Status.QUEUED
        )
        raise
    except Exception as error:
        _fail(
            run_id,
            _("The matching run stopped with an error: %(error)s") % {"error": error},
        )
        raise
