"""Set-up pages with one view per action: cohorts, working groups, a peer's own objectives, and
the sponsor's authorisation of a peer who joined without a nomination."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from programmes.models import Membership, Nomination, PeerObjective, WorkingGroup
from tests.conftest import World

pytestmark = pytest.mark.django_db


def messages_of(response: object) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_cohorts_page_shows_both_forms_posting_to_their_own_actions(
    client: Client, world: World
) -> None:
    client.force_login(world.facilitator)
    page = client.get(reverse("programmes:cohorts", args=[world.programme.pk])).content.decode()
    assert reverse("programmes:cohort_add", args=[world.programme.pk]) in page
    assert reverse("programmes:working_group_add", args=[world.programme.pk]) in page
    refused = client.post(reverse("programmes:cohorts", args=[world.programme.pk]), {})
    assert refused.status_code == 405


def test_a_second_cohort_with_the_same_name_is_refused_with_a_message(
    client: Client, world: World
) -> None:
    client.force_login(world.facilitator)
    add = reverse("programmes:cohort_add", args=[world.programme.pk])
    response = client.post(add, {"cohort-name": "cohort a"}, follow=True)
    assert response.status_code == 200
    assert any("already a cohort" in message for message in messages_of(response))
    assert world.programme.cohorts.filter(name__iexact="cohort a").count() == 1
    empty = client.post(add, {"cohort-name": ""})
    assert empty.status_code == 200
    assert "This field is required" in empty.content.decode()


def test_a_working_group_takes_only_peers_of_its_cohort(client: Client, world: World) -> None:
    client.force_login(world.facilitator)
    mine = Membership.objects.get(user=world.peer, programme=world.programme, role="peer")
    other = Membership.objects.get(
        user=world.peer_other_cohort, programme=world.programme, role="peer"
    )
    response = client.post(
        reverse("programmes:working_group_add", args=[world.programme.pk]),
        {
            "group-cohort": world.cohort.pk,
            "group-name": "Cash planning",
            "members": [mine.pk, other.pk],
        },
    )
    assert response.status_code == 302
    group = WorkingGroup.objects.get(cohort=world.cohort, name="Cash planning")
    assert list(group.members.all()) == [mine]


def test_a_peer_removes_only_their_own_objectives(client: Client, world: World) -> None:
    mine = PeerObjective.objects.create(
        membership=Membership.objects.get(user=world.peer, programme=world.programme, role="peer"),
        text="Forecast cash weekly",
    )
    theirs = PeerObjective.objects.create(
        membership=Membership.objects.get(
            user=world.peer_same_cohort, programme=world.programme, role="peer"
        ),
        text="Publish the budget",
    )
    client.force_login(world.peer)
    remove = "programmes:my_objective_delete"
    other = client.post(reverse(remove, args=[world.programme.pk, theirs.pk]))
    assert other.status_code == 404
    assert PeerObjective.objects.filter(pk=theirs.pk).exists()
    own = client.post(reverse(remove, args=[world.programme.pk, mine.pk]))
    assert own.status_code == 302
    assert not PeerObjective.objects.filter(pk=mine.pk).exists()


def test_authorising_a_peer_who_joined_without_a_nomination_records_one(
    client: Client, world: World
) -> None:
    assert not Nomination.objects.filter(email=world.peer.email).exists()
    client.force_login(world.sponsor)
    response = client.post(
        reverse("programmes:authorise", args=[world.programme.pk, world.peer.email]),
        {"signed_name": "Sam Sponsor"},
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get(programme=world.programme, email=world.peer.email)
    assert nomination.is_authorised and nomination.organisation == world.organisation
    assert nomination.signed_name == "Sam Sponsor"
