"""Background jobs of diffusion. Tasks take ids, are idempotent and call services."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task

from . import selectors, services

RETRYABLE = (SMTPException, ConnectionError, TimeoutError)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_feedback_link(recipient_id: int) -> bool:
    return services.send_feedback_link(recipient_id=recipient_id)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_sponsor_report(membership_id: int, month: str) -> bool:
    return services.send_sponsor_report(
        membership_id=membership_id, month=date.fromisoformat(month)
    )


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_monthly_sponsor_reports() -> int:
    """Queue this month's progress report for every subscribed sponsor who has not had it."""
    due = selectors.due_sponsor_reports()
    for membership_id, month in due:
        send_sponsor_report.delay(membership_id, month)
    return len(due)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_plan_to_sponsors(plan_id: int) -> int:
    """Queue one email per sponsor of the peer's organisation about a proposed plan."""
    return services.send_plan_to_sponsors(plan_id=plan_id)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_plan_notice(plan_id: int, membership_id: int) -> bool:
    return services.send_plan_notice(plan_id=plan_id, membership_id=membership_id)
