"""Background jobs of group life: the nightly nudges. Tasks take ids, are idempotent."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services

RETRYABLE = (OperationalError, ConnectionError, TimeoutError, SMTPException)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_group_life_nudges() -> int:
    """Nightly: reminders for tomorrow's group meetings, due reflections and visit reflections."""
    return services.send_nudges(today=timezone.localdate())
