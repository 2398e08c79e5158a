"""The spaces a facilitator may start a thread in are read without the groups' members (a
programme of thousands has hundreds of groups)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from group_life.discussions.selectors import spaces_for
from tests.conftest import World
from tests.group_life.factories import published_groups

pytestmark = pytest.mark.django_db


def test_a_facilitator_gets_every_group_as_a_space_without_reading_members(world: World) -> None:
    groups = published_groups(world)
    with CaptureQueriesContext(connection) as queries:
        spaces = spaces_for(world.facilitator, world.programme)
    labels = {space.label for space in spaces if space.space == "group"}
    assert labels == {f"{world.cohort.name} · G01", f"{world.cohort.name} · G02"}
    assert {space.obj.pk for space in spaces if space.space == "group"} == {
        groups.mine.pk,
        groups.other.pk,
    }
    read = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in read if 'FROM "matching_groupmember"' in sql]
    assert not [sql for sql in read if '"matching_matchingrun"."report"' in sql]


def test_a_peer_gets_only_their_own_group(world: World) -> None:
    groups = published_groups(world)
    spaces = spaces_for(world.peer, world.programme)
    assert [space.obj.pk for space in spaces if space.space == "group"] == [groups.mine.pk]
