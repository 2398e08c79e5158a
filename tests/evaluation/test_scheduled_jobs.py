"""Under ``make run``'s settings the scheduled jobs run by themselves: the worker with beat that
``make run`` starts opens a survey wave and sends its invitations, with no manual step."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from evaluation.models import Instrument, Reminder, Wave
from evaluation.services import schedule_wave
from tests.conftest import World
from tests.servicekit import ROOT, SERVICES_USED, database_url_for_current_test_db

pytestmark = pytest.mark.service

JOBS = ["celery", "-A", "peerlearn", "worker", "--beat", "--loglevel=INFO"]


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_make_run_starts_the_worker_with_beat() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/" + " ".join(JOBS) in recipe
    assert "runserver" in recipe


@pytest.fixture
def make_run_jobs(transactional_db: None, tmp_path: Path) -> Iterator[Path]:
    """The jobs process of ``make run`` (development settings, no broker or Redis configured)
    on the test database; its email goes to files in the folder it yields."""
    mail = tmp_path / "mail"
    mail.mkdir()
    log = tmp_path / "jobs.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "peerlearn.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database_url_for_current_test_db(),
            "PEERLEARN_RUN_DIR": str(tmp_path / "run"),
            "EMAIL_URL": f"filemail:///{mail}",
            "EVALUATION_WAVE_SCHEDULE_SECONDS": "2",
        }
    )
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", *JOBS],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        if not wait_until(lambda: "ready." in log.read_text(), timeout=90):
            pytest.fail(f"the jobs process did not start:\n{log.read_text()[-3000:]}")
        SERVICES_USED.append(f"make run jobs: celery worker --beat, pid {process.pid}")
        yield mail
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    assert "filesystem" in log.read_text()


def test_a_waves_invitations_go_out_on_schedule(world: World, make_run_jobs: Path) -> None:
    today = timezone.localdate()
    wave = schedule_wave(
        programme=world.programme,
        instrument=Instrument.objects.get(family="continuing-engagement", is_current=True),
        kind=Wave.Kind.END_OF_EVENT,
        title="How the event went",
        opens_on=today,
        due_on=today + timedelta(days=14),
        closes_on=today + timedelta(days=28),
    )
    peers = {world.peer.email, world.peer_same_cohort.email, world.peer_other_cohort.email}
    peers.add(world.peer_other_organisation.email)

    def invited() -> set[str]:
        return set(
            Reminder.objects.filter(wave=wave, kind=Reminder.Kind.INVITATION).values_list(
                "user__email", flat=True
            )
        )

    assert wait_until(lambda: invited() == peers, timeout=120), invited()
    sent = "".join(path.read_text() for path in make_run_jobs.iterdir())
    for email in peers:
        assert f"To: {email}" in sent
    assert "How the event went" in sent
    assert f"/evaluation/waves/{wave.pk}/answer/" in sent
