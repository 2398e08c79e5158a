"""The learning agenda, polls and the network's governance; the inputs tier reads them."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.indicators.facts import read_facts
from evaluation.indicators.tiers import input_indicators
from programmes import selectors, services
from programmes.models import AgendaTopic, Resource
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_topics_are_ordered_by_votes_and_votes_toggle(world: World) -> None:
    first = services.propose_topic(
        programme=world.programme, proposed_by=world.peer, title="Cash forecasting"
    )
    second = services.propose_topic(
        programme=world.programme, proposed_by=world.peer_same_cohort, title="Arrears"
    )
    with pytest.raises(services.StageOneError):
        services.propose_topic(
            programme=world.programme, proposed_by=world.facilitator, title="  arrears "
        )
    assert services.toggle_topic_vote(topic=second, user=world.peer) is True
    ordered = list(selectors.topics_by_votes(world.peer, world.programme))
    assert ordered == [second, first]
    assert [t.vote_count for t in ordered] == [2, 1]
    assert ordered[0].voted and ordered[1].voted
    assert services.toggle_topic_vote(topic=second, user=world.peer) is False
    assert [t.vote_count for t in selectors.topics_by_votes(world.peer, world.programme)] == [1, 1]


def test_a_topic_becomes_an_activity_once(world: World) -> None:
    topic = services.propose_topic(
        programme=world.programme, proposed_by=world.peer, title="Commitment controls"
    )
    starts = timezone.make_aware(datetime(2027, 3, 2, 9, 0))
    activity = services.schedule_topic(
        topic=topic,
        by=world.facilitator,
        kind="plenary",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    topic.refresh_from_db()
    assert topic.activity == activity and topic.status == AgendaTopic.Status.SCHEDULED
    assert activity.title == "Commitment controls" and activity.programme == world.programme
    with pytest.raises(services.StageOneError):
        services.schedule_topic(
            topic=topic,
            by=world.facilitator,
            kind="plenary",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        )


def test_polls_take_one_answer_each(world: World) -> None:
    with pytest.raises(services.StageOneError):
        services.create_poll(
            programme=world.programme,
            created_by=world.facilitator,
            question="When?",
            options=["May", " may "],
        )
    poll = services.create_poll(
        programme=world.programme,
        created_by=world.facilitator,
        question="When?",
        options=["May", "June", ""],
    )
    may, june = poll.options.all()
    services.answer_poll(poll=poll, option_id=may.pk, user=world.peer)
    services.answer_poll(poll=poll, option_id=june.pk, user=world.peer)
    services.answer_poll(poll=poll, option_id=june.pk, user=world.peer_same_cohort)
    item = selectors.polls_of(world.peer, world.programme)[0]
    assert item["options"] == [(may, 0), (june, 2)] and item["answered"] == june.pk
    with pytest.raises(services.StageOneError):
        services.answer_poll(poll=poll, option_id=999_999, user=world.peer)


def test_steering_decisions_and_the_inputs_tier(world: World) -> None:
    def inputs() -> dict[str, object]:
        return {i.code: i for i in input_indicators(read_facts(world.programme))}

    assert inputs()["funders"].value is None
    services.add_steering_member(programme=world.programme, user=world.peer, position="Chair")
    with pytest.raises(services.StageOneError):
        services.add_steering_member(programme=world.programme, user=world.outsider)
    with pytest.raises(services.StageOneError):
        services.record_decision(
            programme=world.programme,
            recorded_by=world.peer,
            text="Later",
            decided_on=timezone.localdate() + timedelta(days=3),
        )
    services.record_decision(
        programme=world.programme,
        recorded_by=world.peer,
        text="Meet in Accra",
        decided_on=timezone.localdate(),
    )
    year = timezone.localdate().year
    services.add_resource(
        programme=world.programme,
        funder_name="World Bank",
        year=year,
        kind=Resource.Kind.CASH,
        purpose=Resource.Purpose.SECRETARIAT,
        amount=Decimal("120000"),
        currency="usd",
    )
    services.add_resource(
        programme=world.programme,
        funder_name="world bank",
        year=year - 1,
        kind=Resource.Kind.CASH,
        purpose=Resource.Purpose.EVENTS,
        amount=Decimal("5"),
    )
    services.add_resource(
        programme=world.programme,
        funder_name="SECO",
        year=year,
        kind=Resource.Kind.IN_KIND,
        purpose=Resource.Purpose.EVENTS,
        amount=Decimal("30000"),
        currency="CHF",
    )
    with pytest.raises(services.StageOneError):
        services.add_resource(
            programme=world.programme,
            funder_name="X",
            year=year,
            kind="cash",
            purpose="other",
            amount=Decimal("1"),
            currency="dollars",
        )
    tier = inputs()
    assert tier["funders"].value == 2.0
    assert "SECO, World Bank" in tier["funders"].detail
    assert "120000 USD" in tier["funders"].detail and "30000 CHF" in tier["funders"].detail
    assert tier["secretariat"].value == 1.0 and tier["website"].value == 0.0
    assert tier["governance"].value == 1.0
    assert "1 decisions" in tier["governance"].detail
    assert selectors.funders_of(world.programme).count() == 2


def test_a_steering_member_records_decisions_a_peer_does_not(world: World) -> None:
    url = reverse("programmes:steering_decision_add", args=[world.programme.pk])
    data = {"text": "Adopt the agenda", "decided_on": timezone.localdate().isoformat()}
    client = Client()
    client.force_login(world.peer)
    assert client.post(url, data).status_code == 403
    services.add_steering_member(programme=world.programme, user=world.peer)
    client = Client()
    client.force_login(world.peer)
    assert client.post(url, data).status_code == 302
    bad = client.post(url, {"text": "Kept text", "decided_on": "not a date"})
    assert bad.status_code == 400 and b"Kept text" in bad.content


def test_a_guided_conversation_and_the_groups_notes(world: World) -> None:
    from group_life import selectors as group_life
    from group_life import services as group_services
    from programmes.conversation_tools import Tool, guide_for
    from tests.group_life.factories import published_groups
    from tests.programmes.factories import ActivityFactory

    groups = published_groups(world)
    activity = ActivityFactory(programme=world.programme)
    with pytest.raises(group_services.GroupLifeError):
        group_services.save_session_notes(
            group=groups.mine, by=world.peer, activity=activity, text="Notes"
        )
    with pytest.raises(services.StageOneError):
        services.attach_conversation_tool(activity=activity, tool="karaoke")
    services.attach_conversation_tool(activity=activity, tool=Tool.CASE_CLINIC)
    guide = guide_for(activity.conversation_tool)
    assert guide is not None and guide.minutes == sum(s.minutes for s in guide.steps) > 0
    assert list(group_life.guided_activities(world.programme)) == [activity]
    note = group_services.save_session_notes(
        group=groups.mine, by=world.peer, activity=activity, text="  The mirror helped. "
    )
    assert note.text == "The mirror helped."
    assert list(group_life.session_notes_of(groups.mine)) == [note]
    assert not group_life.session_notes_of(groups.other).exists()
