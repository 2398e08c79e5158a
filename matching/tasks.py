"""Background jobs of matching. Tasks take ids, are idempotent and call services."""

from typing import Any

from celery import shared_task
from django.conf import settings

from peerlearn.jobs import BACKGROUND_TASK, EMAIL_TASK, LONG_JOB, SWEEP_TASK

from . import services
from .services import runs, statement_vectors, theme_versions


# A long job (see peerlearn.jobs.LONG_JOB): the reaper fails a run whose worker died and the
# facilitator runs it again. A run that goes on past the time limits is stopped and failed.
@shared_task(
    **LONG_JOB,
    soft_time_limit=settings.MATCHING_RUN_TIME_LIMIT_SECONDS,
    time_limit=settings.MATCHING_RUN_TIME_LIMIT_SECONDS + 60,
)
def execute_matching_run(run_id: int) -> bool:
    """Run the engine for a queued matching run; progress is written to the run as it goes."""
    return services.execute_run(run_id=run_id)


@shared_task(**SWEEP_TASK)
def queue_waiting_runs() -> int:
    """Periodic: hand to the broker the runs that could not be queued when they were started."""
    return runs.queue_waiting_runs()


@shared_task(**SWEEP_TASK)
def fail_stalled_runs() -> int:
    """Periodic: mark failed the runs whose worker stopped giving signs of life."""
    return runs.fail_stalled_runs()


@shared_task(**EMAIL_TASK)
def send_intake_reminders(survey_id: int) -> int:
    return services.send_intake_reminders(survey_id=survey_id)


@shared_task(**BACKGROUND_TASK)
def place_late_joiners_for_run(run_id: int) -> dict[str, Any]:
    return services.place_late_joiners(run_id=run_id)


@shared_task(**BACKGROUND_TASK)
def place_late_joiners_nightly() -> int:
    """Nightly: place late joiners into every published run's groups; returns how many."""
    return services.place_all_late_joiners()


@shared_task(**BACKGROUND_TASK)
def propose_themes(set_id: int) -> bool:
    """Run the theme pipeline for a queued proposal; progress is written as it goes."""
    return theme_versions.execute_proposal(set_id=set_id)


@shared_task(**SWEEP_TASK)
def queue_waiting_theme_proposals() -> int:
    """Every minute: hand to the broker the theme proposals it could not take."""
    return theme_versions.queue_waiting_proposals()


@shared_task(**BACKGROUND_TASK)
def assign_late_statements(survey_id: int, challenge_ids: list[int]) -> int:
    """Store the vectors of newly submitted statements and place them in the themes in use."""
    return statement_vectors.assign_late_statements(
        survey_id=survey_id, challenge_ids=challenge_ids
    )


@shared_task(**EMAIL_TASK)
def send_publication_emails(run_id: int) -> int:
    """Email each member of a published run their group; members already emailed are skipped,
    so a second delivery of the job sends nothing twice."""
    return services.send_publication_emails(run_id=run_id)


@shared_task(**SWEEP_TASK)
def queue_waiting_publication_emails() -> int:
    """Periodic: queue again the emails of published groups that could not be sent."""
    return services.queue_waiting_publication_emails()
