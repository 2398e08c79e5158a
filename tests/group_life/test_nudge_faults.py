"""The nightly nudges when the mail server refuses one address: the others still go out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

import pytest
from django.core import mail
from django.test import override_settings

from group_life import services
from group_life.models import MeetingSlot, Nudge
from tests.conftest import World
from tests.group_life.factories import published_groups
from tests.mailfaults import RefusingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing(world: World) -> Iterator[None]:
    RefusingBackend.refused = {world.peer.email}
    with override_settings(EMAIL_BACKEND="tests.mailfaults.RefusingBackend"):
        yield
    RefusingBackend.refused = set()


@pytest.mark.usefixtures("refusing")
def test_a_refused_address_does_not_stop_the_other_nudges(world: World) -> None:
    groups = published_groups(world)
    MeetingSlot.objects.create(
        group=groups.mine,
        every=MeetingSlot.Every.WEEK,
        weekday=1,
        time=time(9),
        starts_on=date(2026, 4, 1),
    )
    assert services.send_nudges(today=date(2026, 5, 4)) == 1
    assert [m.to for m in mail.outbox] == [[world.peer_same_cohort.email]]
    assert [n.user for n in Nudge.objects.all()] == [world.peer_same_cohort]
