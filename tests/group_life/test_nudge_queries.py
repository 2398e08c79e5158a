"""The nightly nudges read what is due in a number of queries that does not grow with the
programme, and send one run's emails over one connection to the mail server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluation.models import ReminderOptOut
from group_life import services
from group_life.models import MeetingSlot, Nudge, PairRequest, ReflectionPrompt
from matching import engine
from matching.models import Group, GroupMember, MatchingRun
from programmes.models import Activity, Programme
from tests.factories import CohortFactory, MembershipFactory, ProgrammeFactory, UserFactory
from tests.mailfaults import CountingBackend

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 4)  # a Monday
MEMBERS = 3


@pytest.fixture(autouse=True)
def counting() -> Iterator[None]:
    CountingBackend.connections = 0
    with override_settings(EMAIL_BACKEND="tests.mailfaults.CountingBackend"):
        yield


def programme_of(groups: int) -> Programme:
    """A programme whose published groups of three each meet tomorrow and owe a reflection
    today, with one accepted pair per group back from a site visit; one peer stopped the
    programme's reminders."""
    programme = ProgrammeFactory()
    cohort = CohortFactory(programme=programme)
    run = MatchingRun.objects.create(
        cohort=cohort,
        strategy="problem",
        options=engine.Options().to_dict(),
        status=MatchingRun.Status.DONE,
        progress=1.0,
        published_at=timezone.now(),
    )
    ended = timezone.make_aware(datetime(2026, 5, 1, 9))
    visit = Activity.objects.create(
        programme=programme,
        kind=Activity.Kind.SITE_VISIT,
        title="Visit",
        starts_at=ended - timedelta(hours=4),
        ends_at=ended,
    )
    for number in range(groups):
        group = Group.objects.create(run=run, label=f"G{number:02d}")
        people = [UserFactory() for _ in range(MEMBERS)]
        for person in people:
            MembershipFactory(user=person, programme=programme, role="peer", cohort=cohort)
            GroupMember.objects.create(run=run, group=group, user=person)
        MeetingSlot.objects.create(
            group=group,
            every=MeetingSlot.Every.WEEK,
            weekday=(TODAY + timedelta(days=1)).weekday(),
            time=time(9),
            starts_on=TODAY - timedelta(days=28),
        )
        ReflectionPrompt.objects.create(group=group, question="What surprised you?", due_on=TODAY)
        PairRequest.objects.create(
            programme=programme,
            requested_by=people[0],
            requested_of=people[1],
            purpose="x",
            status=PairRequest.Status.ACCEPTED,
            visit=visit,
        )
        if number == 0:
            ReminderOptOut.objects.create(user=people[2], programme=programme)
    return programme


def run_counted() -> tuple[int, int]:
    """Send the nudges; (emails sent, queries made)."""
    with CaptureQueriesContext(connection) as queries:
        sent = services.send_nudges(today=TODAY)
    return sent, len(queries.captured_queries)


def test_nudges_cost_the_same_queries_at_two_sizes_and_nothing_to_do_is_cheap() -> None:
    figures = {}
    for groups in (2, 12):
        programme = programme_of(groups)
        mail.outbox.clear()
        CountingBackend.connections = 0
        sent, first = run_counted()
        # Per group: 3 meeting and 3 reflection reminders and 2 for the pair, less the meeting
        # and the reflection reminder of the one who stopped the reminders.
        assert sent == groups * (2 * MEMBERS + 2) - 2
        assert len(mail.outbox) == sent
        assert CountingBackend.connections == 1  # one run, one connection
        assert Nudge.objects.filter(programme=programme).count() == sent
        CountingBackend.connections = 0
        again, second = run_counted()
        assert again == 0 and CountingBackend.connections == 0
        # Beyond the record of each email sent (one insert each), the same queries.
        figures[groups] = (first - sent, second)
    assert figures[12] == figures[2], figures
    assert figures[2][1] <= 8, figures  # nothing to do: a handful of queries


def test_a_second_run_after_a_failed_email_sends_only_what_is_missing() -> None:
    programme_of(2)
    run_counted()
    Nudge.objects.filter(kind=Nudge.Kind.MEETING).delete()
    mail.outbox.clear()
    again, _queries = run_counted()
    assert again == 2 * MEMBERS - 1  # the meeting reminders, not the others
    assert {m.subject.split(" · ")[0] for m in mail.outbox} == {"Group G00 meets tomorrow"} | {
        "Group G01 meets tomorrow"
    }
