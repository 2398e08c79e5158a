"""Background jobs of matching. Tasks take ids, are idempotent and call services."""

from smtplib import SMTPException
from typing import Any

from celery import shared_task
from django.db import OperationalError

from . import services
from .services import statement_vectors, theme_versions

RETRYABLE = (OperationalError, ConnectionError, TimeoutError)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def execute_matching_run(run_id: int) -> bool:
    """Run the engine for a queued matching run; progress is written to the run as it goes."""
    return services.execute_run(run_id=run_id)


@shared_task(
    autoretry_for=(SMTPException, *RETRYABLE),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_intake_reminders(survey_id: int) -> int:
    return services.send_intake_reminders(survey_id=survey_id)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def place_late_joiners_for_run(run_id: int) -> dict[str, Any]:
    return services.place_late_joiners(run_id=run_id)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def place_late_joiners_nightly() -> int:
    """Nightly: place late joiners into every published run's groups; returns how many."""
    return services.place_all_late_joiners()


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def propose_themes(set_id: int) -> bool:
    """Run the theme pipeline for a queued proposal; progress is written as it goes."""
    return theme_versions.execute_proposal(set_id=set_id)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def assign_late_statements(survey_id: int, challenge_ids: list[int]) -> int:
    """Store the vectors of newly submitted statements and place them in the themes in use."""
    return statement_vectors.assign_late_statements(
        survey_id=survey_id, challenge_ids=challenge_ids
    )
