"""Background jobs of group life: the nightly nudges and the discussion emails. Tasks take ids,
are idempotent."""

from celery import shared_task
from django.utils import timezone

from peerlearn.jobs import EMAIL_TASK, SWEEP_TASK

from . import services
from .discussions import emails as discussion_emails


@shared_task(**EMAIL_TASK)
def send_group_life_nudges() -> int:
    """Nightly: reminders for tomorrow's group meetings, due reflections and visit reflections."""
    return services.send_nudges(today=timezone.localdate())


@shared_task(**EMAIL_TASK)
def email_discussion_notification(notification_id: int) -> bool:
    """Email one discussion notification to someone who chose to hear at once."""
    return discussion_emails.email_notification(notification_id)


@shared_task(**SWEEP_TASK)
def queue_waiting_discussion_emails() -> int:
    """Every minute: hand to the broker the notification emails it could not take."""
    return discussion_emails.queue_waiting_notifications(job=email_discussion_notification)


@shared_task(**EMAIL_TASK)
def send_discussion_digests() -> int:
    """Hourly: the daily and weekly digests that are due."""
    return discussion_emails.send_digests(now=timezone.now())
