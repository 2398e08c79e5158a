"""The nightly wave schedule reads who is due in a number of queries that does not grow with the
programme or its waves, and sends one run's emails over one connection to the mail server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from evaluation import services
from evaluation.models import Reminder, ReminderOptOut, Wave
from tests.evaluation.factories import WaveFactory, answer_wave, wenger_answers
from tests.factories import CohortFactory, MembershipFactory, ProgrammeFactory, UserFactory
from tests.mailfaults import CountingBackend

pytestmark = pytest.mark.django_db

START = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def counting() -> Iterator[None]:
    CountingBackend.connections = 0
    with override_settings(EMAIL_BACKEND="tests.mailfaults.CountingBackend"):
        yield


def programme_of(peers: int) -> None:
    """A programme of ``peers`` peers in two cohorts with a wave for the whole programme and one
    for the first cohort, both opening on START; one peer answered, one stopped the reminders."""
    programme = ProgrammeFactory()
    cohorts = [CohortFactory(programme=programme), CohortFactory(programme=programme)]
    people = [UserFactory() for _ in range(peers)]
    for number, person in enumerate(people):
        MembershipFactory(user=person, programme=programme, role="peer", cohort=cohorts[number % 2])
    dates = {
        "opens_on": START,
        "due_on": START + timedelta(days=14),
        "closes_on": START + timedelta(days=28),
        "status": Wave.Status.SCHEDULED,
        "max_reminders": 2,
        "reminder_gap_days": 5,
    }
    whole = WaveFactory(programme=programme, **dates)
    WaveFactory(programme=programme, cohort=cohorts[0], **dates)
    answer_wave(whole, people[0], wenger_answers(4))
    ReminderOptOut.objects.create(user=people[1], programme=programme)


def run_counted(day: date) -> tuple[dict[str, int], int]:
    with CaptureQueriesContext(connection) as queries:
        counts = services.run_wave_schedule(today=day)
    return counts, len(queries.captured_queries)


def test_the_wave_schedule_costs_the_same_queries_at_two_sizes() -> None:
    figures = {}
    for peers in (6, 40):
        Reminder.objects.all().delete()
        Wave.objects.all().delete()
        programme_of(peers)
        mail.outbox.clear()
        CountingBackend.connections = 0
        counts, first = run_counted(START)
        # The whole programme's wave: everyone but the one who answered it and the one who
        # stopped the reminders (of the second cohort); the first cohort's wave: its half.
        expected = (peers - 2) + peers // 2
        assert counts == {"opened": 2, "closed": 0, "emails": expected}
        assert len(mail.outbox) == expected
        assert CountingBackend.connections == 1  # one run, one connection
        assert Reminder.objects.filter(kind=Reminder.Kind.INVITATION).count() == expected
        CountingBackend.connections = 0
        again, second = run_counted(START)
        assert again["emails"] == 0 and CountingBackend.connections == 0
        # Five days on, the reminders go out, again over one connection.
        mail.outbox.clear()
        later, third = run_counted(START + timedelta(days=5))
        assert later["emails"] == expected and CountingBackend.connections == 1
        # Beyond the record of each email sent (one insert each), the same queries.
        figures[peers] = (first - expected, second, third - expected)
    assert figures[40] == figures[6], figures
    assert figures[6][1] <= 8, figures  # nothing to do: a handful of queries
