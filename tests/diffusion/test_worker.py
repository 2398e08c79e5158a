"""The monthly sponsor report, run from its beat entry by a real Celery worker through Redis."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings

from diffusion.models import SponsorReportDelivery
from tests.conftest import World
from tests.diffusion.factories import ReportBackFactory
from tests.servicekit import CeleryWorker

pytestmark = pytest.mark.service


@pytest.fixture(autouse=True)
def _keep_the_project_celery_app_current() -> Iterator[None]:
    """Sending through the worker creates a client app that becomes Celery's current app; put
    the project's app back so later tests queue tasks as configured (eagerly in tests)."""
    from peerlearn.celery import app

    yield
    app.set_current()


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def monthly_runs(celery_worker: CeleryWorker) -> list[str]:
    """What each finished run of the monthly job returned (reports queued), from the log."""
    return re.findall(
        r"send_monthly_sponsor_reports\[[^\]]+\] succeeded in [\d.]+s: (\d+)",
        celery_worker.log.read_text(),
    )


def test_worker_sends_each_sponsor_their_monthly_report_once(
    celery_worker: CeleryWorker, world: World
) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["diffusion-monthly-sponsor-reports"]
    ReportBackFactory(
        programme=world.programme,
        peer=world.peer,
        organisation=world.organisation,
        title="Treasury single account at home",
    )
    celery_worker.send(str(entry["task"]))
    assert wait_until(
        lambda: SponsorReportDelivery.objects.filter(sent_at__isnull=False).exists()
    ), celery_worker.log.read_text()[-3000:]
    messages = [p.read_text() for p in celery_worker.mail_dir.iterdir()]
    assert len(messages) == 1
    assert f"To: {world.sponsor.email}" in messages[0]
    assert "Treasury single account at home" in messages[0]
    assert "http://testserver/diffusion/sponsor-reports/unsubscribe/" in messages[0]

    # The beat firing again in the same month finds nothing due, so queues nothing more.
    celery_worker.send(str(entry["task"]))
    assert wait_until(lambda: len(monthly_runs(celery_worker)) == 2), celery_worker.log.read_text()[
        -3000:
    ]
    assert monthly_runs(celery_worker) == ["1", "0"]
    assert len(list(celery_worker.mail_dir.iterdir())) == 1
