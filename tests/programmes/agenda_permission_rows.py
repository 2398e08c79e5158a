"""Rows of the permission matrix for the learning agenda, polls and governance."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import Activity, AgendaTopic, Poll
from tests.conftest import World
from tests.matrix import LOGIN, Row, everyone


def _topic(w: World) -> int:
    found = AgendaTopic.objects.filter(programme=w.programme, title="Cash forecasting").first()
    return (
        found
        or services.propose_topic(
            programme=w.programme, proposed_by=w.peer_same_cohort, title="Cash forecasting"
        )
    ).pk


def _poll(w: World) -> Poll:
    return Poll.objects.filter(programme=w.programme).first() or services.create_poll(
        programme=w.programme, created_by=w.facilitator, question="When?", options=["May", "June"]
    )


def _page(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"programmes:{name}", args=[w.programme.pk])


def _on_topic(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"programmes:{name}", args=[w.programme.pk, _topic(w)])


MEMBERS_READ = everyone(200, anonymous=LOGIN, outsider=404)
# A site admin is a superuser: Django grants every permission, so only scoping stops them.
SHAPERS = everyone(403, anonymous=LOGIN, outsider=404, peer=302, facilitator=302, admin=302)
MANAGERS = everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302)
TODAY = timezone.localdate().isoformat()


def _activity(w: World) -> int:
    from tests.programmes.factories import ActivityFactory

    found = Activity.objects.filter(programme=w.programme, title="Case clinic day").first()
    return (found or ActivityFactory(programme=w.programme, title="Case clinic day")).pk


ROWS: list[Row] = [
    Row(
        "attach a guided conversation to an activity",
        "post",
        lambda w: reverse("programmes:activity_tool", args=[w.programme.pk, _activity(w)]),
        MANAGERS,
        data=lambda w: {"tool": "case_clinic"},
    ),
    Row("learning agenda", "get", _page("agenda"), MEMBERS_READ),
    Row(
        "propose a topic",
        "post",
        _page("agenda_propose"),
        SHAPERS,
        data=lambda w: {"title": "Arrears", "description": ""},
    ),
    Row("agenda topic", "get", _on_topic("agenda_topic"), MEMBERS_READ),
    Row("vote for a topic", "post", _on_topic("agenda_vote"), SHAPERS),
    Row(
        "comment on a topic",
        "post",
        _on_topic("agenda_comment"),
        SHAPERS,
        data=lambda w: {"text": "Yes please"},
    ),
    Row(
        "turn a topic into an activity",
        "post",
        _on_topic("agenda_schedule"),
        MANAGERS,
        data=lambda w: {"kind": "plenary", "starts_at": "2027-03-02T09:00", "minutes": "90"},
    ),
    Row(
        "open a poll",
        "post",
        _page("poll_create"),
        MANAGERS,
        data=lambda w: {"question": "Where?", "options": "Accra\nLima"},
    ),
    Row(
        "answer a poll",
        "post",
        lambda w: reverse("programmes:poll_answer", args=[w.programme.pk, _poll(w).pk]),
        SHAPERS,
        data=lambda w: {"option": _poll(w).options.first().pk},  # type: ignore[union-attr]
    ),
    Row("governance", "get", _page("governance"), MEMBERS_READ),
    Row(
        "add a steering group member",
        "post",
        _page("steering_member_add"),
        MANAGERS,
        data=lambda w: {"user": str(w.peer.pk), "position": "Chair"},
    ),
    Row(
        "record a steering group meeting",
        "post",
        _page("steering_meeting_add"),
        MANAGERS,
        data=lambda w: {"held_on": TODAY, "place": "Online"},
    ),
    Row(
        "record a steering group decision",
        "post",
        _page("steering_decision_add"),
        MANAGERS,
        data=lambda w: {"text": "Adopt the agenda", "decided_on": TODAY},
    ),
    Row(
        "record a resource",
        "post",
        _page("resource_add"),
        MANAGERS,
        data=lambda w: {
            "funder_name": "World Bank",
            "year": "2026",
            "kind": "cash",
            "purpose": "secretariat",
            "amount": "1000",
            "currency": "USD",
        },
    ),
]
