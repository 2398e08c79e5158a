"""The "which peers" question at any size of programme: the page lists the peers the respondent
works with (their published group, their pair, their logged contacts) and finds any other peer
they may choose by name, so neither the page nor the search grows with the cohort; what they
may choose is checked again when the answers are saved, and the answer keeps its format."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import Answer, Item, Response, Wave
from group_life.models import PairRequest
from peerlearn.users.models import User
from tests.conftest import World
from tests.evaluation.factories import WaveFactory, builtin
from tests.factories import MembershipFactory, UserFactory
from tests.group_life.factories import published_groups
from tests.pages import assert_same_cost, bulk_peers, measure
from tests.programmes.factories import ContactFactory

pytestmark = pytest.mark.django_db

FIELD = "item-which_peers"
FIND = f"{FIELD}-find"


@dataclass
class Circles:
    wave: Wave
    item: Item
    mate: User  # in the peer's published group
    stranger: User  # in another group of the cohort
    partner: User  # in an accepted pair with the peer
    contact: User  # the peer logged a contact with them


def circles(w: World) -> Circles:
    groups = published_groups(w)
    partner = UserFactory(full_name="Paula Partner")
    contact = UserFactory(full_name="Conrad Contact")
    for person in (partner, contact):
        MembershipFactory(user=person, programme=w.programme, role="peer", cohort=w.cohort)
    PairRequest.objects.create(
        programme=w.programme,
        requested_by=partner,
        requested_of=w.peer,
        purpose="Visit",
        status=PairRequest.Status.ACCEPTED,
    )
    ContactFactory(programme=w.programme, logged_by=w.peer, with_user=contact)
    wave = WaveFactory(
        programme=w.programme, cohort=w.cohort, instrument=builtin("continuing-engagement")
    )
    item = wave.instrument.items.get(kind=Item.Kind.PEERS)
    return Circles(wave, item, w.peer_same_cohort, groups.stranger, partner, contact)


def box(user: User, *, checked: bool = False) -> str:
    return f'name="{FIELD}" value="{user.pk}"' + (" checked" if checked else "")


def answer_url(c: Circles) -> str:
    return reverse("evaluation:answer", args=[c.wave.pk])


def find_url(c: Circles) -> str:
    return reverse("evaluation:find_peers", args=[c.wave.pk, c.item.pk])


def test_the_peers_the_respondent_works_with_come_first(world: World, client: Client) -> None:
    c = circles(world)
    bulk_peers(world.programme, 30, tag="a", cohort=world.cohort)
    client.force_login(world.peer)
    page = client.get(answer_url(c)).text
    order = [page.index(box(person)) for person in (c.mate, c.partner, c.contact)]
    assert order == sorted(order)
    assert "your group" in page and "your pair" in page and "a contact" in page
    assert box(c.stranger) not in page  # another group: found by name only
    assert page.count(f'name="{FIELD}"') == 3
    assert f'name="{FIELD}" value="{world.peer.pk}"' not in page


def test_the_page_and_the_search_cost_the_same_in_a_larger_programme(
    world: World, client: Client
) -> None:
    c = circles(world)
    bulk_peers(world.programme, 30, tag="a", cohort=world.cohort)
    client.force_login(world.peer)
    client.post(answer_url(c), {FIELD: [str(c.stranger.pk)], "save": "1"})  # a draft
    small = measure(client, world.peer, answer_url(c))
    small_find = measure(client, world.peer, f"{find_url(c)}?{FIND}=Peer")
    bulk_peers(world.programme, 600, tag="b", cohort=world.cohort)
    large = measure(client, world.peer, answer_url(c))
    large_find = measure(client, world.peer, f"{find_url(c)}?{FIND}=Peer")
    assert_same_cost(small, large)
    assert_same_cost(small_find, large_find)
    assert box(c.stranger, checked=True) in large.html
    assert large_find.html.count(f'name="{FIELD}"') == 20
    assert "Only the first 20 peers found are shown" in large_find.html


def test_the_search_finds_only_the_peers_the_respondent_may_choose(
    world: World, client: Client
) -> None:
    c = circles(world)
    client.force_login(world.peer)
    for person, found in [
        (c.stranger, True),
        (world.peer_other_cohort, False),  # another cohort: not visible to this peer
        (world.facilitator, False),  # not a peer
        (world.outsider, False),  # another programme
        (world.peer, False),  # themselves
    ]:
        reply = client.get(find_url(c), {FIND: person.full_name})
        assert reply.status_code == 200
        assert (box(person) in reply.text) is found, person.email
    # names already on the page are not found twice; those typed stay ticked
    reply = client.get(find_url(c), {FIND: c.mate.full_name, FIELD: [str(c.stranger.pk)]})
    assert box(c.mate) not in reply.text
    assert box(c.stranger, checked=True) in reply.text
    # a forged id in what the search carries is not shown
    reply = client.get(
        find_url(c), {FIND: "xx", FIELD: [str(world.peer_other_cohort.pk), "9" * 30]}
    )
    assert box(world.peer_other_cohort) not in reply.text
    assert client.get(find_url(c), {FIND: "P"}).text.count(f'name="{FIELD}"') == 0


def test_the_search_ignores_accents_and_the_case_of_any_alphabet(
    world: World, client: Client
) -> None:
    c = circles(world)
    people = {
        "José Conceição": ["jose conceicao", "CONCEIÇÃO", "josé"],
        "Анна Кузнецова": ["анна", "КУЗНЕЦОВА", "кузнецова анна"],
        "Zoë D'Arcy-Müller": ["zoe darcy", "muller", "ARCY MÜLLER"],
    }
    for name in people:
        MembershipFactory(
            user=UserFactory(full_name=name),
            programme=world.programme,
            role="peer",
            cohort=world.cohort,
        )
    client.force_login(world.peer)
    for name, queries in people.items():
        for query in queries:
            reply = client.get(find_url(c), {FIND: query})
            assert name.replace("'", "&#x27;") in reply.text, query
            assert reply.text.count(f'name="{FIELD}"') == 1, query
    assert client.get(find_url(c), {FIND: "josefina"}).text.count(f'name="{FIELD}"') == 0


def test_only_the_respondent_of_the_wave_may_search(world: World, client: Client) -> None:
    c = circles(world)
    query = {FIND: c.stranger.full_name}
    client.force_login(world.outsider)
    assert client.get(find_url(c), query).status_code == 404
    for person in (world.peer_other_cohort, world.facilitator, world.manager):
        client.force_login(person)
        assert client.get(find_url(c), query).status_code == 403, person.email
    client.force_login(world.peer)
    other_item = c.wave.instrument.items.exclude(kind=Item.Kind.PEERS).first()
    assert other_item is not None
    url = reverse("evaluation:find_peers", args=[c.wave.pk, other_item.pk])
    assert client.get(url, query).status_code == 404
    assert client.post(find_url(c), query).status_code == 405


@pytest.mark.parametrize("forged", ["outside", "other cohort", "unknown", "huge", "superscript"])
def test_a_forged_peer_is_refused_and_the_other_answers_are_kept(
    world: World, client: Client, forged: str
) -> None:
    c = circles(world)
    value = {
        "outside": str(world.outsider.pk),
        "other cohort": str(world.peer_other_cohort.pk),
        "unknown": "987654321",
        "huge": "9" * 30,
        "superscript": "²",  # a digit to str.isdigit, not a number to int()
    }[forged]
    client.force_login(world.peer)
    reply = client.post(
        answer_url(c),
        {FIELD: [str(c.mate.pk), value], "item-desire_learning": "4", "submit": "1"},
    )
    assert reply.status_code == 400
    response = Response.objects.get(wave=c.wave, respondent=world.peer)
    assert response.status == Response.Status.DRAFT
    kept = {answer.item.code: answer for answer in response.answers.all()}
    assert "which_peers" not in kept
    assert kept["desire_learning"].number == 4
    # the page shows the question's error and keeps what was ticked
    assert f'id="{FIELD}-error"' in reply.text
    assert box(c.mate, checked=True) in reply.text
    # what the search carries is checked the same way
    found = client.get(find_url(c), {FIND: "stella", FIELD: [value, str(c.stranger.pk)]})
    assert found.status_code == 200
    assert box(c.stranger, checked=True) in found.text


def test_an_erased_peer_is_neither_offered_nor_accepted(world: World, client: Client) -> None:
    from peerlearn import personal_data

    c = circles(world)
    client.force_login(world.peer)
    assert box(c.mate) in client.get(answer_url(c)).text
    personal_data.erase(c.mate)
    page = client.get(answer_url(c)).text
    assert box(c.mate) not in page
    assert box(c.partner) in page
    for query in ("Former participant", "former"):
        assert box(c.mate) not in client.get(find_url(c), {FIND: query}).text
    reply = client.post(answer_url(c), {FIELD: [str(c.mate.pk)], "submit": "1"})
    assert reply.status_code == 400
    assert not Answer.objects.filter(response__respondent=world.peer).exists()


def test_without_scripts_the_find_button_saves_the_draft_and_shows_the_peers_found(
    world: World, client: Client
) -> None:
    c = circles(world)
    client.force_login(world.peer)
    reply = client.post(
        answer_url(c),
        {
            FIELD: [str(c.mate.pk)],
            "item-desire_learning": "5",
            FIND: "stella",
            "find": FIELD,
        },
    )
    assert reply.status_code == 200
    assert box(c.stranger) in reply.text
    assert box(c.mate, checked=True) in reply.text
    response = Response.objects.get(wave=c.wave, respondent=world.peer)
    assert response.status == Response.Status.DRAFT  # "find" never submits
    # the peer ticks the one found and submits: the answer is a list of user ids, as before
    reply = client.post(
        answer_url(c),
        {
            FIELD: [str(c.stranger.pk), str(c.mate.pk)],
            "item-desire_learning": "5",
            "item-desire_possible": "4",
            "submit": "1",
        },
    )
    assert reply.status_code == 302
    answer = Answer.objects.get(response__wave=c.wave, item=c.item)
    assert answer.selected == sorted([c.stranger.pk, c.mate.pk])
    assert answer.response.status == Response.Status.SUBMITTED


def test_the_draft_saved_as_the_peer_types_costs_the_same_in_a_larger_programme(
    world: World, client: Client
) -> None:
    c = circles(world)
    client.force_login(world.peer)
    data = {FIELD: [str(c.stranger.pk)], FIND: "stel"}

    def save() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.post(reverse("evaluation:draft", args=[c.wave.pk]), data).status_code == 200
            )
        return len(queries.captured_queries)

    save()
    small = save()
    bulk_peers(world.programme, 300, tag="b", cohort=world.cohort)
    assert save() == small
