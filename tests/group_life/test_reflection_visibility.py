"""A private reflection is read by its author and nobody else: not by group mates, facilitators,
managers, site admins, the API, the group workspace, the journal, or evaluation's exports and
dashboard. A group entry is read by that group (and the facilitators) only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.models import Visibility
from group_life.selectors import reflections_visible_to
from tests.conftest import World
from tests.group_life.factories import published_groups, reflection

pytestmark = pytest.mark.django_db

PRIVATE = "SECRET-private-peer_same_cohort"
GROUP = "SECRET-group-peer_same_cohort"
FACILITATORS = "SECRET-facilitators-peer_same_cohort"
OTHER_GROUP = "SECRET-group-stranger"


@pytest.fixture
def entries(world: World) -> dict[str, int]:
    return {
        PRIVATE: reflection(world, author="peer_same_cohort", visibility=Visibility.PRIVATE).pk,
        GROUP: reflection(world, author="peer_same_cohort", visibility=Visibility.GROUP).pk,
        FACILITATORS: reflection(
            world, author="peer_same_cohort", visibility=Visibility.FACILITATORS
        ).pk,
        OTHER_GROUP: reflection(
            world, author="stranger", visibility=Visibility.GROUP, group="other"
        ).pk,
    }


def _pages(world: World) -> list[str]:
    groups = published_groups(world)
    return [
        reverse("group_life:journal", args=[world.programme.pk]),
        reverse("group_life:workspace", args=[world.programme.pk, groups.mine.pk]),
        reverse("group_life:workspace", args=[world.programme.pk, groups.other.pk]),
        reverse("group_life:group_life", args=[world.programme.pk]),
        reverse("group_life:progress_board", args=[world.programme.pk]),
        reverse("evaluation-reflection-list"),
        reverse("matching-workspace-list"),
        reverse("evaluation:dashboard", args=[world.programme.pk]),
        reverse("evaluation:report", args=[world.programme.pk]),
        reverse("evaluation:export", args=[world.programme.pk, "responses", "csv"]),
        reverse("evaluation:export", args=[world.programme.pk, "indicators", "csv"]),
    ]


@pytest.mark.parametrize(
    ("role", "readable"),
    [
        ("peer", {GROUP}),
        ("peer_same_cohort", {PRIVATE, GROUP, FACILITATORS}),
        ("peer_other_cohort", set()),
        ("facilitator", {GROUP, FACILITATORS, OTHER_GROUP}),
        ("manager", set()),
        ("sponsor", set()),
        ("admin", set()),
        ("outsider", set()),
    ],
)
def test_every_page_and_endpoint_shows_only_what_the_reader_may_read(
    world: World, client: Client, entries: dict[str, int], role: str, readable: set[str]
) -> None:
    user = getattr(world, role)
    client.force_login(user)
    shown: set[str] = set()
    for url in _pages(world):
        response = client.get(url, follow=True)
        body = response.content.decode()
        shown |= {text for text in entries if text in body}
    assert shown == readable, role
    for text, pk in entries.items():
        page = client.get(reverse("group_life:reflection", args=[pk]))
        api = client.get(reverse("evaluation-reflection-detail", args=[pk]))
        expected = 200 if text in readable else 404
        assert (page.status_code, api.status_code) == (expected, expected), (role, text)
    assert {e.learned for e in reflections_visible_to(user)} == readable


def test_the_group_entry_moves_with_membership(world: World, entries: dict[str, int]) -> None:
    """Leaving the group takes away the group's entries."""
    from matching.models import GroupMember

    GroupMember.objects.filter(user=world.peer).delete()
    assert not reflections_visible_to(world.peer).exists()


def test_the_flag_of_a_group_that_meets_without_contributions_ignores_private_entries(
    world: World, client: Client
) -> None:
    """Staff read the flag; counting a private entry would tell them that one exists."""
    from datetime import timedelta

    from django.utils import timezone

    from group_life.flags import flags_for
    from group_life.models import GroupMeeting

    groups = published_groups(world)
    today = timezone.localdate()
    GroupMeeting.objects.create(group=groups.mine, held_on=today - timedelta(days=2))
    reflection(world, author="peer_same_cohort", visibility=Visibility.PRIVATE)

    def flagged() -> bool:
        return any(
            flag.code == "group-meets-without-contributions" and flag.subject == str(groups.mine)
            for flag in flags_for(world.programme, today)
        )

    assert flagged()  # the private entry does not count
    client.force_login(world.facilitator)
    overview = client.get(reverse("programmes:overview", args=[world.programme.pk]))
    assert "its members have logged no contacts, drafts, notes or reflections" in (
        overview.content.decode()
    )
    reflection(world, author="peer_same_cohort", visibility=Visibility.FACILITATORS)
    assert not flagged()  # an entry the facilitators may read does
