"""Background jobs of group life: the nightly nudges and the discussion emails. Tasks take ids,
are idempotent."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services
from .discussions import emails as discussion_emails

RETRYABLE = (OperationalError, ConnectionError, TimeoutError, SMTPException)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_group_life_nudges() -> int:
    """Nightly: reminders for tomorrow's group meetings, due reflections and visit reflections."""
    return services.send_nudges(today=timezone.localdate())


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def email_discussion_notification(notification_id: int) -> bool:
    """Email one discussion notification to someone who chose to hear at once."""
    return discussion_emails.email_notification(notification_id)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, max_retries=3)
def queue_waiting_discussion_emails() -> int:
    """Every minute: hand to the broker the notification emails it could not take."""
    return discussion_emails.queue_waiting_notifications(job=email_discussion_notification)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_discussion_digests() -> int:
    """Hourly: the daily and weekly digests that are due."""
    return discussion_emails.send_digests(now=timezone.now())
