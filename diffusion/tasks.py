"""Background jobs of diffusion. Tasks take ids, are idempotent and call services."""

from datetime import date

from celery import shared_task

from peerlearn.jobs import BACKGROUND_TASK, EMAIL_TASK, SWEEP_TASK

from . import emails, selectors, services


@shared_task(**EMAIL_TASK)
def send_feedback_link(recipient_id: int) -> bool:
    return emails.send_feedback_link(recipient_id=recipient_id)


@shared_task(**EMAIL_TASK)
def send_sponsor_report(membership_id: int, month: str) -> bool:
    return services.send_sponsor_report(
        membership_id=membership_id, month=date.fromisoformat(month)
    )


# Queues the month's reports once a month: tried as long as a background job, so that a
# database that is down for a while does not lose the month.
@shared_task(**BACKGROUND_TASK)
def send_monthly_sponsor_reports() -> int:
    """Queue this month's progress report for every subscribed sponsor who has not had it."""
    due = selectors.due_sponsor_reports()
    for membership_id, month in due:
        send_sponsor_report.delay(membership_id, month)
    return len(due)


@shared_task(**EMAIL_TASK)
def send_plan_notice(notice_id: int) -> bool:
    return emails.send_plan_notice(notice_id=notice_id)


@shared_task(**SWEEP_TASK)
def queue_waiting_emails() -> dict[str, int]:
    """Every minute: hand to the broker the plan notices and feedback links it could not take."""
    return services.queue_waiting_emails()
