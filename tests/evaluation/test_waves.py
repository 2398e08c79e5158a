"""Waves open and close on their dates; invitations and reminders respect every limit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from evaluation import services
from evaluation.models import Reminder, ReminderOptOut, Wave
from tests.conftest import World
from tests.evaluation.factories import WaveFactory, answer_wave, wenger_answers

pytestmark = pytest.mark.django_db

START = date(2026, 6, 1)


def scheduled(world: World, **extra: object) -> Wave:
    defaults: dict[str, object] = {
        "programme": world.programme,
        "cohort": world.cohort,
        "opens_on": START,
        "due_on": START + timedelta(days=14),
        "closes_on": START + timedelta(days=28),
        "status": Wave.Status.SCHEDULED,
        "max_reminders": 2,
        "reminder_gap_days": 5,
    }
    return WaveFactory(**(defaults | extra))


def run(day: date) -> dict[str, int]:
    return services.run_wave_schedule(today=day)


def test_wave_opens_sends_invitations_then_closes(world: World) -> None:
    wave = scheduled(world)
    assert run(START - timedelta(days=1)) == {"opened": 0, "closed": 0, "emails": 0}
    counts = run(START)
    wave.refresh_from_db()
    assert wave.status == Wave.Status.OPEN
    assert counts["opened"] == 1
    # Cohort A has two peers: each invited once.
    assert counts["emails"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.peer.email, world.peer_same_cohort.email]
    )
    assert "unsubscribe" in mail.outbox[0].body
    run(START + timedelta(days=29))
    wave.refresh_from_db()
    assert wave.status == Wave.Status.CLOSED


def test_running_twice_a_day_sends_nothing_more(world: World) -> None:
    scheduled(world)
    run(START)
    run(START)
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_reminders_are_spaced_limited_and_stop_after_an_answer(world: World) -> None:
    wave = scheduled(world)
    run(START)  # invitations
    run(START + timedelta(days=4))  # too soon
    assert len(mail.outbox) == 2
    run(START + timedelta(days=5))  # first reminders
    assert len(mail.outbox) == 4
    answer_wave(wave, world.peer, wenger_answers(4))
    run(START + timedelta(days=10))  # second reminder, only for who has not answered
    assert len(mail.outbox) == 5
    assert mail.outbox[-1].to == [world.peer_same_cohort.email]
    run(START + timedelta(days=15))  # max_reminders reached
    run(START + timedelta(days=20))
    assert len(mail.outbox) == 5
    kinds = list(
        Reminder.objects.filter(user=world.peer_same_cohort).values_list("kind", flat=True)
    )
    assert kinds == ["invitation", "reminder", "reminder"]


def test_unsubscribe_link_is_honoured(world: World, client: Client) -> None:
    scheduled(world)
    token = services.unsubscribe_token(world.peer, world.programme)
    page = client.get(reverse("evaluation:unsubscribe", args=[token]))
    assert page.status_code == 200
    client.post(reverse("evaluation:unsubscribe", args=[token]))
    client.post(reverse("evaluation:unsubscribe", args=[token]))
    assert ReminderOptOut.objects.filter(user=world.peer).count() == 1
    run(START)
    assert [m.to for m in mail.outbox] == [[world.peer_same_cohort.email]]


def test_wave_form_counts_dates_from_the_event(world: World, client: Client) -> None:
    from tests.evaluation.factories import builtin

    client.force_login(world.facilitator)
    reply = client.post(
        reverse("evaluation:wave_new", args=[world.programme.pk]),
        {
            "instrument": builtin("wenger-value-creation").pk,
            "cohort": world.cohort.pk,
            "kind": "plus_6",
            "anchor": "2026-03-13",
            "max_reminders": 3,
            "reminder_gap_days": 7,
        },
    )
    assert reply.status_code == 302
    wave = Wave.objects.get(programme=world.programme)
    assert (wave.opens_on, wave.due_on) == (date(2026, 9, 13), date(2026, 9, 27))


def test_wave_form_refuses_dates_in_the_wrong_order(world: World, client: Client) -> None:
    from tests.evaluation.factories import builtin

    client.force_login(world.facilitator)
    reply = client.post(
        reverse("evaluation:wave_new", args=[world.programme.pk]),
        {
            "instrument": builtin("wenger-value-creation").pk,
            "kind": "other",
            "opens_on": "2026-06-10",
            "due_on": "2026-06-01",
            "closes_on": "2026-06-20",
            "max_reminders": 3,
            "reminder_gap_days": 7,
        },
    )
    assert reply.status_code == 400
    assert "The due date is before the opening date." in reply.text
    assert not Wave.objects.exists()


def test_add_months_keeps_the_day_or_the_month_end() -> None:
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert services.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_emails_go_out_in_the_persons_language(world: World) -> None:
    world.peer.preferred_language = "fr"
    world.peer.save()
    scheduled(world)
    run(START)
    to_peer = next(m for m in mail.outbox if m.to == [world.peer.email])
    to_other = next(m for m in mail.outbox if m.to == [world.peer_same_cohort.email])
    assert to_peer.extra_headers["List-Unsubscribe"].startswith("<http")
    # The due date is written the way each reader's language writes dates.
    assert "June 15, 2026" in to_other.body
    assert "15 juin 2026" in to_peer.body
