"""Background jobs of diffusion. Tasks take ids, are idempotent and call services."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from . import emails, selectors, services

RETRYABLE = (SMTPException, ConnectionError, TimeoutError)
SWEEP_RETRYABLE = (OperationalError, ConnectionError, TimeoutError)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_feedback_link(recipient_id: int) -> bool:
    return emails.send_feedback_link(recipient_id=recipient_id)


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
def send_plan_notice(notice_id: int) -> bool:
    return emails.send_plan_notice(notice_id=notice_id)


@shared_task(autoretry_for=SWEEP_RETRYABLE, retry_backoff=True, max_retries=3)
def queue_waiting_emails() -> dict[str, int]:
    """Every minute: hand to the broker the plan notices and feedback links it could not take."""
    return services.queue_waiting_emails()
