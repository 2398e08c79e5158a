"""A peer's survey page reads the peers of the cohort only when the instrument asks "which
peers": it costs the same whatever the size of the cohort, and so does saving a draft."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World
from tests.evaluation.factories import WaveFactory, builtin
from tests.pages import assert_same_cost, bulk_peers, measure

pytestmark = pytest.mark.django_db


def _save_draft(client: Client, wave_id: int, data: dict[str, object]) -> int:
    """Queries of one draft saved as the peer types."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("evaluation:draft", args=[wave_id]), data)
    assert response.status_code == 200, response.content
    assert b"draft-error" not in response.content
    return len(queries.captured_queries)


def test_the_answer_page_costs_the_same_for_a_larger_cohort(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme)  # no "which peers" question
    url = reverse("evaluation:answer", args=[wave.pk])
    bulk_peers(world.programme, 20, tag="a", cohort=world.cohort)
    client.force_login(world.peer)
    _save_draft(client, wave.pk, {"item-immediate_rating": "3"})  # the draft exists
    small_save = _save_draft(client, wave.pk, {"item-immediate_rating": "4"})
    small = measure(client, world.peer, url)
    bulk_peers(world.programme, 200, tag="b", cohort=world.cohort)
    large = measure(client, world.peer, url)
    assert_same_cost(small, large)
    assert _save_draft(client, wave.pk, {"item-immediate_rating": "5"}) == small_save


def test_the_peer_picker_costs_the_same_for_a_larger_cohort(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme, instrument=builtin("continuing-engagement"))
    url = reverse("evaluation:answer", args=[wave.pk])
    client.force_login(world.peer)
    chosen = {"item-which_peers": [str(world.peer_same_cohort.pk)]}
    _save_draft(client, wave.pk, chosen)  # the draft exists
    small = _save_draft(client, wave.pk, chosen)
    bulk_peers(world.programme, 200, tag="b", cohort=world.cohort)
    assert _save_draft(client, wave.pk, chosen) == small
    page = measure(client, world.peer, url).html
    assert f'name="item-which_peers" value="{world.peer_same_cohort.pk}" checked' in page
