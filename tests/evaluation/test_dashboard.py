"""The funnel, the value cycles, the indicator tiers, flags, and a constant query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import indicators, services
from evaluation.flags import flags_for
from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.models import Activity, Attendance, Contact, Membership, Programme
from tests.conftest import World
from tests.evaluation.factories import (
    StoryFactory,
    WaveFactory,
    answer_wave,
    builtin,
    wenger_answers,
)
from tests.factories import OrganisationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

D0 = date(2026, 3, 2)


def contact(programme: Programme, a: User, b: User, day: date) -> Contact:
    return Contact.objects.create(
        programme=programme, logged_by=a, with_user=b, occurred_on=day, channel="call"
    )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_funnel_and_cycles_on_a_small_programme(world: World) -> None:
    p = world.programme
    a, b, c, d = (
        world.peer,
        world.peer_same_cohort,
        world.peer_other_cohort,
        world.peer_other_organisation,
    )
    # a and b in contact over 13 weeks (sustained); c has one contact with b.
    contact(p, a, b, D0)
    contact(p, b, a, D0 + timedelta(weeks=13))
    contact(p, c, b, D0 + timedelta(days=3))
    wave = WaveFactory(programme=p)
    answer_wave(wave, a, wenger_answers(5))  # reports every cycle
    answer_wave(wave, b, wenger_answers(2))  # answers, reports none
    answer_wave(wave, d, wenger_answers(4), submitted=False)  # a draft counts for nothing
    StoryFactory(programme=p, author=c, applied_value="We now publish a cash plan.")
    facts = indicators.read_facts(p)
    stages = {stage.code: stage.count for stage in indicators.funnel(facts)}
    assert stages["enrolled"] == 4
    assert stages["engaged"] == 3  # a, b (contacts, answers), c (contact, story); d only drafted
    assert stages["sustained"] == 2
    assert stages["learning"] == 2  # a (potential >= 4), c (story)
    assert stages["diffusing"] == 0
    assert stages["value"] == 2  # a (applied/realised), c (story follow-up)
    cycles = {row.cycle: row for row in indicators.value_cycles(facts)}
    assert cycles["reframing"].reporting == 1
    assert cycles["reframing"].answered == 2
    assert cycles["reframing"].share_of_peers == pytest.approx(0.25)
    assert cycles["applied"].reporting == 2


def test_indicator_tiers_use_the_contact_log_and_surveys(world: World) -> None:
    p = world.programme
    a, b, c = world.peer, world.peer_same_cohort, world.peer_other_cohort
    contact(p, a, b, D0)
    contact(p, b, c, D0)
    network_wave = WaveFactory(programme=p, instrument=builtin("pempal-network"))
    answer_wave(
        network_wave,
        a,
        {"belonging": 5, "influence": 2, "use_in_organisation": "yes", "contributions": 3},
    )
    answer_wave(
        network_wave,
        b,
        {"belonging": 3, "influence": 4, "use_in_organisation": "no", "contributions": 1},
    )
    activity = Activity.objects.create(
        programme=p,
        cohort=world.cohort,
        kind="plenary",
        title="Opening",
        starts_at="2026-03-02T09:00Z",
        ends_at="2026-03-02T17:00Z",
    )
    membership = Membership.objects.get(user=a, programme=p, role=Role.PEER)
    Attendance.objects.create(activity=activity, membership=membership, present=True)
    data = indicators.dashboard(p)
    values = {i.code: i for _t, _l, items in data.tiers for i in items}
    # Path a-b-c among 4 peers: 2 ties of 6; diameter 2.
    assert values["density"].value == pytest.approx(2 / 6)
    assert values["diameter"].value == 2
    assert values["belonging"].value == pytest.approx(0.5)
    assert values["influence"].value == pytest.approx(0.5)
    assert values["use_in_organisation"].value == pytest.approx(0.25)
    assert values["contributions"].value == 4
    assert values["attendance"].value == pytest.approx(0.5)  # 1 of the cohort's 2 peers
    assert values["events_per_year"].value == 1
    assert [tier for tier, _label, _items in data.tiers] == [
        "inputs",
        "outputs",
        "outcome",
        "impact",
    ]


def test_snapshots_store_trends_once_a_day(world: World) -> None:
    services.take_snapshot(programme=world.programme, today=D0)
    services.take_snapshot(programme=world.programme, today=D0)
    contact(world.programme, world.peer, world.peer_same_cohort, D0)
    cache.clear()
    services.take_snapshot(programme=world.programme, today=D0 + timedelta(days=1))
    assert world.programme.indicator_snapshots.count() == 2
    data = indicators.dashboard(world.programme)
    density = next(i for _t, _l, items in data.tiers for i in items if i.code == "density")
    assert density.trend == [0.0, pytest.approx(1 / 6)]


def test_flags_attendance_only_and_unanswered_survey(world: World) -> None:
    p = world.programme
    activity = Activity.objects.create(
        programme=p,
        kind="plenary",
        title="Opening",
        starts_at="2026-03-02T09:00Z",
        ends_at="2026-03-02T17:00Z",
    )
    Attendance.objects.create(
        activity=activity, membership=Membership.objects.get(user=world.peer, role=Role.PEER)
    )
    WaveFactory(
        programme=p, opens_on=D0, due_on=D0 + timedelta(days=7), closes_on=D0 + timedelta(days=400)
    )
    codes = {flag.code for flag in flags_for(p)}
    assert {"attendance-only-measure", "no-reflections", "no-survey-responses"} <= codes
    answer_wave(p.waves.get(), world.peer, wenger_answers(4, text="Learned a lot"))
    codes = {flag.code for flag in flags_for(p)}
    assert "attendance-only-measure" not in codes
    assert "no-reflections" not in codes
    assert "low-response-rate" in codes


def make_programme(peers: int) -> Programme:
    programme = ProgrammeFactory()
    organisation = OrganisationFactory()
    manager = User.objects.create(email=f"m{peers}@example.org")
    Membership.objects.create(user=manager, programme=programme, role=Role.MANAGER)
    users = User.objects.bulk_create(
        [User(email=f"p{peers}-{i}@example.org", full_name=f"Peer {i}") for i in range(peers)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, programme=programme, role=Role.PEER, organisation=organisation)
            for u in users
        ]
    )
    Contact.objects.bulk_create(
        [
            Contact(
                programme=programme,
                logged_by=users[i],
                with_user=users[(i * 7 + 1) % peers],
                occurred_on=D0 + timedelta(days=i % 120),
                channel="call",
            )
            for i in range(peers)
            if users[i] != users[(i * 7 + 1) % peers]
        ]
    )
    wave = WaveFactory(programme=programme)
    for index, user in enumerate(users[: max(peers // 2, 3)]):
        answer_wave(wave, user, wenger_answers(1 + index % 5))
    StoryFactory(programme=programme, author=users[0], visibility="programme")
    return programme


def dashboard_queries(client: Client, programme: Programme) -> int:
    manager = Membership.objects.get(programme=programme, role=Role.MANAGER).user
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        reply = client.get(reverse("evaluation:dashboard", args=[programme.pk]))
    assert reply.status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_peers(client: Client) -> None:
    small = dashboard_queries(client, make_programme(10))
    large = dashboard_queries(client, make_programme(1000))
    assert small == large, (small, large)


def test_dashboard_page_shows_every_part(world: World, client: Client) -> None:
    contact(world.programme, world.peer, world.peer_same_cohort, D0)
    client.force_login(world.manager)
    page = client.get(reverse("evaluation:dashboard", args=[world.programme.pk])).text
    for text in (
        "The hourglass",
        "Value creation cycles",
        "No peer has reported value yet.",
        "Inputs",
        "Outputs",
        "Outcome",
        "Impact",
        "Network density",
        "Diameter (largest connected component)",
        '<svg class="network"',
        "Risk flags",
    ):
        assert text in page, text
