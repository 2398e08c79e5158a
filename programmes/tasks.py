"""Background jobs of programmes. Tasks take ids, are idempotent and call services."""

from celery import shared_task

from peerlearn.jobs import EMAIL_TASK, SWEEP_TASK

from .services import housekeeping, invitations, retention


@shared_task(**EMAIL_TASK)
def send_invitation_email(invitation_id: int) -> bool:
    """Send one invitation email; a failure that may pass is tried again with backoff (the
    reason is shown on the invitation meanwhile), one that cannot is kept for the facilitator."""
    return invitations.send_invitation_email(invitation_id=invitation_id)


@shared_task(**SWEEP_TASK)
def send_waiting_invitations() -> int:
    """Periodic: hand to the broker the invitation emails that could not be queued."""
    return invitations.send_waiting_invitations()


@shared_task(**SWEEP_TASK)
def expire_stale_invitations() -> int:
    return housekeeping.expire_stale_invitations()


@shared_task(**SWEEP_TASK)
def purge_stale_peer_imports() -> int:
    return housekeeping.purge_stale_peer_imports()


# Sends the facilitators' notices before it anonymises: an email job.
@shared_task(**EMAIL_TASK)
def apply_retention() -> dict[str, int]:
    """Nightly: notices before a programme's personal data is anonymised, then the erasure."""
    return retention.apply_retention()
