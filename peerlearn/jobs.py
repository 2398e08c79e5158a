"""Handing background jobs to the broker so that a broker that is down loses nothing.

A service queues a job once its transaction commits (:func:`enqueue_on_commit`). When the broker
cannot be reached the job is not lost: the row it is about stays in a state the page shows
("waiting to start", "not sent yet"), the failure is logged, and a periodic sweep of each app
(a Celery beat entry) queues every such row again once the broker answers. Each job runs on its
own: one that fails never keeps the others of the same request from being queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from smtplib import SMTPException
from typing import Any

from django.db import OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)

__all__ = [
    "BACKGROUND_TASK",
    "EMAIL_RETRYABLE",
    "EMAIL_TASK",
    "LONG_JOB",
    "SWEEP_TASK",
    "TRANSIENT_ERRORS",
    "BrokerUnreachable",
    "enqueue",
    "enqueue_on_commit",
    "enqueue_row_on_commit",
    "hand_over_waiting",
    "mark_dispatched",
]

# The Celery options of every task, in a few shared sets (``@shared_task(**EMAIL_TASK)``), so
# that all the tasks of one kind fail and retry alike; ``tests/peerlearn/test_job_options.py``
# fails when a task's options differ from all of them. Every task is idempotent (it notes its
# work on a row), so trying it again never does the work twice.

# Failures that may pass when tried again: the database or the network dropped, refused the
# connection or did not answer in time.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    ConnectionError,
    TimeoutError,
)

# What an email send tries again: the transient failures and the mail server's refusals (a
# service that tells a lasting refusal apart, ``mail.is_temporary``, notes it on its row instead
# of raising it).
EMAIL_RETRYABLE: tuple[type[BaseException], ...] = (SMTPException, *TRANSIENT_ERRORS)

# A job that sends email (an invitation, a reminder, a notice, a digest): tried again with
# backoff while the mail server, the database or the network fails. A job that still fails after
# the last retry leaves its row unsent for its app's sweep to hand over again later.
EMAIL_TASK: dict[str, Any] = {
    "autoretry_for": EMAIL_RETRYABLE,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 6,
}

# A job that changes data in the background (places late joiners, stores vectors, takes a
# snapshot) or queues the jobs of a run that comes once a month: tried again with backoff while
# the database or the network fails.
BACKGROUND_TASK: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}

# A periodic job the next run catches up on: the sweeps that hand over waiting jobs
# (:func:`hand_over_waiting`, every minute), the reapers of stalled jobs and the nightly
# purges. A few quick retries, never waiting longer than the minute between two sweeps.
SWEEP_TASK: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "max_retries": 3,
}

# The Celery options of a long job that claims its row when it starts (a matching run, an
# export file): ``@shared_task(**LONG_JOB)``. The worker acknowledges the message when the job
# ends (acks_late), so a job whose worker dies before it starts is delivered again; once started,
# the job has claimed its row and a second delivery does nothing. A job whose worker died while
# running is *not* handed to the next worker (reject_on_worker_lost off): a job that kills its
# worker (out of memory) would kill every worker in turn; the app's reaper marks it failed
# instead. A lost database connection or network is tried again as any background job.
LONG_JOB: dict[str, Any] = {
    **BACKGROUND_TASK,
    "acks_late": True,
    "reject_on_worker_lost": False,
}


def enqueue(task: Any, *args: Any) -> bool:
    """Hand ``task(*args)`` to the broker now; ``False`` (and logged) when it cannot be reached.

    With no broker configured the task runs at once in this process (Celery's eager mode)."""
    try:
        task.delay(*args)
    except BrokerUnreachable as error:
        logger.warning(
            "The task broker cannot be reached; %s%r waits for the next sweep: %s",
            getattr(task, "name", task),
            args,
            error,
        )
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, queued: Callable[[], Any] | None = None) -> None:
    """Queue ``task(*args)`` once the current transaction commits; ``queued`` is called after
    the broker took it (to note the hand-over on the row). A job that cannot be queued, or that
    fails when it runs in this process, does not stop the others queued by the same request."""

    def hand_over() -> None:
        if enqueue(task, *args) and queued is not None:
            queued()

    transaction.on_commit(hand_over, robust=True)


def hand_over_waiting(
    waiting: QuerySet[Any],
    task: Any,
    *,
    now: datetime,
    grace: timedelta,
    requeue_after: timedelta,
    requested: str = "created_at",
    give_up_after: timedelta | None = None,
) -> int:
    """The periodic sweep: hand ``task(pk)`` to the broker for each row of ``waiting`` (rows with
    ``dispatched_at`` and the time the job was asked for, ``requested``) that was never handed
    over ``grace`` after it was asked for (the broker was down), or was handed over
    ``requeue_after`` ago and has still not done its work (its message was lost, or the job gave
    up: an email the mail server kept refusing). With ``give_up_after``, a row handed over
    already is not handed over again once it was asked for that long ago, so that a job that can
    never succeed is not tried for ever. Oldest first; stops at the first row the broker refuses
    (the next sweep goes on) and notes the hand-over on the others. Returns how many were handed
    over. The task must do nothing for a row whose work is done (it may be handed over twice)."""
    never = Q(dispatched_at__isnull=True, **{f"{requested}__lt": now - grace})
    lost = Q(dispatched_at__lt=now - requeue_after)
    if give_up_after is not None:
        lost &= Q(**{f"{requested}__gte": now - give_up_after})
    ids = list(waiting.filter(never | lost).order_by(requested, "pk").values_list("pk", flat=True))
    handed: list[int] = []
    for pk in ids:
        if not enqueue(task, pk):
            break
        handed.append(pk)
    mark_dispatched(waiting.model, handed, now)
    return len(handed)


def mark_dispatched(model: Any, ids: list[int], when: datetime | None = None) -> None:
    """Note on the rows ``ids`` of ``model`` that their job was handed to the broker."""
    if ids:
        model._default_manager.filter(pk__in=ids).update(dispatched_at=when or timezone.now())


def enqueue_row_on_commit(task: Any, row: Any) -> None:
    """Queue ``task(row.pk)`` once the transaction commits and note the hand-over on the row
    (``dispatched_at``); when the broker cannot be reached the row waits for the sweep
    (:func:`hand_over_waiting`)."""
    model, pk = type(row), row.pk
    enqueue_on_commit(task, pk, queued=lambda: mark_dispatched(model, [pk]))
