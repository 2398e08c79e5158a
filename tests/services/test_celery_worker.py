"""A task executed by a real Celery worker process through a real Redis broker."""

from __future__ import annotations

import time

import pytest

from peerlearn.roles import Role
from programmes.models import Invitation
from tests.conftest import World
from tests.servicekit import CeleryWorker

pytestmark = pytest.mark.service


def wait_until(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_sends_an_invitation_email_and_records_it(
    celery_worker: CeleryWorker, world: World
) -> None:
    invitation = Invitation.objects.create(
        programme=world.programme, email="worker.test@example.org", role=Role.PEER
    )
    celery_worker.send("programmes.tasks.send_invitation_email", invitation.pk)

    def sent() -> bool:
        invitation.refresh_from_db()
        return invitation.sent_at is not None

    assert wait_until(sent), celery_worker.log.read_text()[-3000:]
    messages = [p.read_text() for p in celery_worker.mail_dir.iterdir()]
    assert len(messages) == 1
    assert "To: worker.test@example.org" in messages[0]
    assert "http://testserver/invitations/" in messages[0]
    # The worker logs the task's success after its transaction has recorded the email.
    assert wait_until(lambda: "succeeded" in celery_worker.log.read_text())

    # Idempotent: the same task again sends nothing more.
    celery_worker.send("programmes.tasks.send_invitation_email", invitation.pk)
    assert wait_until(lambda: celery_worker.log.read_text().count("succeeded") >= 2)
    assert len(list(celery_worker.mail_dir.iterdir())) == 1


def test_worker_runs_the_beat_scheduled_expiry_job(
    celery_worker: CeleryWorker, world: World
) -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["expire-stale-invitations"]
    stale = Invitation.objects.create(
        programme=world.programme, email="stale@example.org", role=Role.PEER
    )
    Invitation.objects.filter(pk=stale.pk).update(
        send_requested_at=stale.send_requested_at.replace(year=2001)
    )
    celery_worker.send(str(entry["task"]))

    def expired() -> bool:
        stale.refresh_from_db()
        return stale.status == Invitation.Status.EXPIRED

    assert wait_until(expired), celery_worker.log.read_text()[-3000:]
