"""Under ``make run``'s settings the scheduled jobs run by themselves: the worker with beat that
``make run`` starts opens a survey wave and sends its invitations, with no manual step."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from evaluation.models import Instrument, Reminder, Wave
from evaluation.services import schedule_wave
from tests.conftest import World
from tests.servicekit import MAKE_RUN_JOBS, ROOT, wait_until

pytestmark = pytest.mark.service


def test_make_run_starts_the_worker_with_beat() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/" + " ".join(MAKE_RUN_JOBS) in recipe
    assert "runserver" in recipe


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
