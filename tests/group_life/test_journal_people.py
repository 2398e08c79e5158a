"""The journal's "peer" field: a list of names in a small programme, an email address to type in a
large one, so that the journal of a programme of thousands is not a list of thousands."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from group_life.models import ReflectionEntry
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The world's programme counts as large: more people than a list shows."""
    monkeypatch.setattr("peerlearn.fields.PEOPLE_IN_A_LIST", 2)


def _journal(world: World) -> str:
    return reverse("group_life:journal", args=[world.programme.pk])


def test_a_large_programme_asks_for_an_email_address_not_a_list_of_everyone(
    world: World, client: Client, large: None
) -> None:
    client.force_login(world.peer)
    body = client.get(_journal(world)).content.decode()
    assert 'type="email" name="peer"' in body
    assert '<select name="peer"' not in body
    assert world.peer_other_organisation.full_name not in body


def test_a_large_programme_ties_the_entry_to_the_peer_typed(
    world: World, client: Client, large: None
) -> None:
    client.force_login(world.peer)
    response = client.post(
        _journal(world),
        {
            "learned": "Arrears fall when they are published.",
            "peer": world.peer_same_cohort.email.upper(),
            "visibility": "private",
        },
    )
    assert response.status_code == 302
    assert ReflectionEntry.objects.get(author=world.peer).peer == world.peer_same_cohort


NOT_CHOOSABLE = ["nobody@example.org", "outsider@example.org", "peer@example.org"]


@pytest.mark.parametrize("typed", NOT_CHOOSABLE)
def test_an_address_of_nobody_to_choose_is_refused_and_the_text_kept(
    world: World, client: Client, large: None, typed: str
) -> None:
    client.force_login(world.peer)
    response = client.post(
        _journal(world),
        {"learned": "Arrears fall when published.", "peer": typed, "visibility": "private"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nobody you can choose here has this email address." in body
    assert "Arrears fall when published." in body
    assert not ReflectionEntry.objects.filter(author=world.peer).exists()


def test_a_small_programme_lists_the_people_to_choose_from(world: World, client: Client) -> None:
    client.force_login(world.peer)
    body = client.get(_journal(world)).content.decode()
    assert '<select name="peer"' in body
    assert world.peer_same_cohort.full_name in body
    response = client.post(
        _journal(world),
        {
            "learned": "Cash plans work weekly.",
            "peer": world.peer_same_cohort.pk,
            "visibility": "private",
        },
    )
    assert response.status_code == 302
    assert ReflectionEntry.objects.get(author=world.peer).peer == world.peer_same_cohort
