"""Who sees whom: querysets are scoped by role."""

import pytest

from programmes import selectors
from tests.conftest import World

pytestmark = pytest.mark.django_db


def emails(world: World, user_attr: str) -> set[str]:
    user = getattr(world, user_attr)
    return {m.user.email for m in selectors.memberships_visible_to(user, world.programme)}


def test_facilitator_and_manager_see_everyone(world: World) -> None:
    everyone = {
        world.facilitator.email,
        world.peer.email,
        world.peer_same_cohort.email,
        world.peer_other_cohort.email,
        world.peer_other_organisation.email,
        world.manager.email,
        world.sponsor.email,
    }
    assert emails(world, "facilitator") == everyone
    assert emails(world, "manager") == everyone


def test_sponsor_sees_staff_and_only_their_organisation(world: World) -> None:
    seen = emails(world, "sponsor")
    assert world.peer.email in seen and world.peer_other_cohort.email in seen
    assert world.peer_same_cohort.email not in seen
    assert world.peer_other_organisation.email not in seen


def test_peer_sees_staff_and_only_their_cohort(world: World) -> None:
    seen = emails(world, "peer")
    assert {world.peer.email, world.peer_same_cohort.email, world.facilitator.email} <= seen
    assert world.peer_other_cohort.email not in seen
    assert world.sponsor.email not in seen


def test_outsider_sees_no_programme_and_nobody(world: World) -> None:
    assert world.programme not in selectors.programmes_for(world.outsider)
    assert not selectors.memberships_visible_to(world.outsider, world.programme).exists()


def test_api_members_are_scoped_the_same_way(world: World, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.sponsor)
    data = client.get(f"/api/v1/programmes/{world.programme.pk}/members/").json()
    seen = {row["email"] for row in data["results"]}
    assert seen == emails(world, "sponsor")
    client.force_login(world.outsider)
    listing = client.get("/api/v1/programmes/").json()
    assert world.programme.pk not in {row["id"] for row in listing["results"]}
