"""Exports written in the background: a person asks for a programme's responses or indicators as
CSV or XLSX, a job writes the file row by row into media storage, and the person downloads it
from the exports page.

A job is handed to the task broker once its row is committed. When the broker cannot be reached
the job waits ("waiting to start") and :func:`queue_waiting_jobs`, a periodic job, hands it over
once the broker answers; a job whose worker stopped giving signs of life is marked failed by
:func:`fail_stalled_jobs`. Files are removed after ``EVALUATION_EXPORT_KEPT_DAYS`` days by
:func:`purge_old_jobs`.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.jobs import enqueue_on_commit, hand_over_waiting
from peerlearn.personal_data import Erasure

from .. import exports
from ..models import ExportJob
from .errors import EvaluationError

if TYPE_CHECKING:
    from programmes.models import Programme

logger = logging.getLogger(__name__)

# A job handed to the broker that has not started after REQUEUE_AFTER is handed over again (its
# message was lost); a job that was never handed over is tried again after QUEUE_GRACE. A job
# handed over twice runs once: the task claims it.
QUEUE_GRACE = timedelta(minutes=1)
REQUEUE_AFTER = timedelta(minutes=30)
STALE_AFTER = timedelta(minutes=10)


def kept_days() -> int:
    return int(getattr(settings, "EVALUATION_EXPORT_KEPT_DAYS", 7))


def immediate_limit() -> int:
    """Exports of at most this many rows are answered at once; larger ones are jobs."""
    return int(getattr(settings, "EVALUATION_EXPORT_IMMEDIATE_ROWS", 5000))


def _mark_dispatched(job_ids: list[int], when: datetime | None = None) -> None:
    ExportJob.objects.filter(pk__in=job_ids).update(dispatched_at=when or timezone.now())


@transaction.atomic
def request_export(*, programme: Programme, user: Any, kind: str, fmt: str) -> ExportJob:
    """Queue an export of ``programme`` for ``user``; the same export still waiting or being
    written is given back instead of a second one."""
    if kind not in ExportJob.Kind.values:
        raise EvaluationError(_("Choose responses or indicators."), field="kind")
    if fmt not in ExportJob.Format.values:
        raise EvaluationError(_("Choose CSV or XLSX."), field="format")
    if not user.has_perm("evaluation.export", programme):
        raise EvaluationError(
            _("Only the programme's facilitators and managers can export its data.")
        )
    pending = ExportJob.objects.filter(
        programme=programme,
        requested_by=user,
        kind=kind,
        format=fmt,
        status__in=(ExportJob.Status.QUEUED, ExportJob.Status.RUNNING),
    ).first()
    if pending is not None:
        return pending
    job = ExportJob.objects.create(programme=programme, requested_by=user, kind=kind, format=fmt)
    _queue(job.pk)
    return job


def _queue(job_id: int) -> None:
    from ..tasks import write_export

    enqueue_on_commit(write_export, job_id, queued=lambda: _mark_dispatched([job_id]))


def _claim(job_id: int) -> ExportJob | None:
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .filter(pk=job_id, status=ExportJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        job.status = ExportJob.Status.RUNNING
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["status", "started_at", "heartbeat_at"])
    return ExportJob.objects.select_related("programme", "requested_by").get(pk=job.pk)


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def write_export(*, job_id: int) -> bool:
    """Write a waiting job's file, row by row into a temporary file and then into media
    storage, noting its progress as it goes. ``False`` when the job is not waiting (written
    already, being written, or failed): running it twice writes it once."""
    job = _claim(job_id)
    if job is None:
        return False
    user, programme = job.requested_by, job.programme
    if not user.is_active or not user.has_perm("evaluation.export", programme):
        _fail(job, _("You can no longer export this programme's data."))
        return False
    total = exports.row_estimate(user, programme, job.kind)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total or None)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(
            rows_done=done,
            rows_total=max(done, total) if total else None,
            heartbeat_at=timezone.now(),
        )

    name = f"{job.kind}-programme-{programme.pk}"
    try:
        headers, rows = exports.TABLES[job.kind](user, programme)
        with tempfile.TemporaryFile() as target:
            if job.format == ExportJob.Format.CSV:
                exports.write_csv(target, headers, rows, progress)
            else:
                exports.write_xlsx(target, name, headers, rows, progress)
            target.seek(0)
            job.file.save(job.filename, File(target), save=False)
    except Exception as error:
        logger.exception("Export job %s failed", job.pk)
        _fail(job, _("The export could not be written (%(error)s).") % {"error": error})
        return False
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name,
        status=ExportJob.Status.DONE,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    return True


def queue_waiting_jobs(*, now: datetime | None = None) -> int:
    """Periodic: hand to the broker every job that waits for it (see
    :func:`peerlearn.jobs.hand_over_waiting`). Returns how many were handed over."""
    from ..tasks import write_export

    return hand_over_waiting(
        ExportJob.objects.filter(status=ExportJob.Status.QUEUED),
        write_export,
        now=now or timezone.now(),
        grace=QUEUE_GRACE,
        requeue_after=REQUEUE_AFTER,
    )


def fail_stalled_jobs(*, now: datetime | None = None) -> int:
    """Periodic: a job still being written with no sign of life for :data:`STALE_AFTER` lost
    its worker; it is marked failed with the reason so its page stops waiting."""
    now = now or timezone.now()
    return (
        ExportJob.objects.filter(status=ExportJob.Status.RUNNING)
        .alias(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(last_sign__lt=now - STALE_AFTER)
        .update(
            status=ExportJob.Status.FAILED,
            error=_(
                "The background worker writing this export stopped without finishing. "
                "Ask for the export again."
            ),
            finished_at=now,
        )
    )


def _delete(jobs: Any) -> int:
    rows = list(jobs.values_list("pk", "file"))
    storage = ExportJob._meta.get_field("file").storage
    for _pk, name in rows:
        if name:
            storage.delete(name)
    ExportJob.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
    return len(rows)


def purge_old_jobs(*, now: datetime | None = None) -> int:
    """Nightly: remove the jobs (and their files) asked for more than :func:`kept_days` ago."""
    now = now or timezone.now()
    return _delete(ExportJob.objects.filter(created_at__lt=now - timedelta(days=kept_days())))


def erase_export_jobs(erasure: Erasure) -> int:
    """A person's exports go with their data, files included."""
    return _delete(ExportJob.objects.filter(requested_by=erasure.user))
