"""Background jobs of evaluation. Tasks take ids, are idempotent and call services."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from peerlearn.jobs import BACKGROUND_TASK, EMAIL_TASK, LONG_JOB, SWEEP_TASK
from programmes.selectors import all_programmes

from . import indicators
from .services import export_jobs, impact, waves


@shared_task(**EMAIL_TASK)
def send_wave_email_task(wave_id: int, user_id: int, kind: str, day: str) -> bool:
    """One invitation or reminder; a second call for the same person, wave and day sends
    nothing (a reminder per person per wave per day at most)."""
    return waves.send_wave_email(
        wave_id=wave_id, user_id=user_id, kind=kind, today=date.fromisoformat(day)
    )


@shared_task(**EMAIL_TASK)
def run_wave_schedule() -> dict[str, int]:
    """Nightly: open and close waves, send today's invitations and reminders (a retry sends
    only what was not sent)."""
    return waves.run_wave_schedule(today=timezone.localdate())


@shared_task(**BACKGROUND_TASK)
def snapshot_programme(programme_id: int, day: str) -> int:
    """Store the day's indicators, then compute the dashboard's figures in every language so
    the first manager to open it in the morning does not wait."""
    programme = all_programmes().get(pk=programme_id)
    snapshot = impact.take_snapshot(programme=programme, today=date.fromisoformat(day))
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            indicators.figures(programme)
    return snapshot.pk


@shared_task(**SWEEP_TASK)
def snapshot_indicators() -> int:
    """Nightly: store every programme's indicators so the dashboard shows trends."""
    day = timezone.localdate().isoformat()
    count = 0
    for programme_id in all_programmes().values_list("pk", flat=True):
        snapshot_programme.delay(programme_id, day)
        count += 1
    return count


@shared_task(**EMAIL_TASK)
def send_comparison_invitation(invitee_id: int) -> bool:
    return waves.send_comparison_email(invitee_id=invitee_id)


@shared_task(**SWEEP_TASK)
def queue_waiting_comparison_invitations() -> int:
    """Every minute: hand to the broker the comparison invitations it could not take."""
    return waves.queue_waiting_comparison_invitations()


# A long job (see peerlearn.jobs.LONG_JOB): the sweep fails a job whose worker died.
@shared_task(**LONG_JOB)
def write_export(job_id: int) -> bool:
    """Write the file of a waiting export job; progress is written to the job as it goes."""
    return export_jobs.write_export(job_id=job_id)


@shared_task(**SWEEP_TASK)
def sweep_export_jobs() -> dict[str, int]:
    """Every minute: queue the export jobs the broker could not take, fail those whose worker
    stopped."""
    return {
        "queued": export_jobs.queue_waiting_jobs(),
        "failed": export_jobs.fail_stalled_jobs(),
    }


@shared_task(**SWEEP_TASK)
def purge_export_jobs() -> int:
    """Nightly: remove export files older than the days they are kept."""
    return export_jobs.purge_old_jobs()
