"""A wave's page shows one page of its submitted responses, searchable by name or email: it
costs the same queries and bytes whatever the number of respondents."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Response, Wave
from peerlearn.users.models import User
from tests.conftest import World
from tests.evaluation.factories import WaveFactory
from tests.pages import assert_same_cost, bulk_peers, measure, shown

pytestmark = pytest.mark.django_db


def _respond(wave: Wave, users: list[User]) -> None:
    now = timezone.now()
    Response.objects.bulk_create(
        [
            Response(
                wave=wave,
                instrument=wave.instrument,
                respondent=user,
                status=Response.Status.SUBMITTED,
                submitted_at=now,
            )
            for user in users
        ]
    )


def test_the_wave_page_costs_the_same_for_more_responses(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme)
    url = reverse("evaluation:wave", args=[wave.pk])
    _respond(wave, bulk_peers(world.programme, 60, tag="a", cohort=world.cohort))
    small = measure(client, world.manager, url)
    _respond(wave, bulk_peers(world.programme, 240, tag="b", cohort=world.cohort))
    large = measure(client, world.manager, url)
    assert_same_cost(small, large)
    assert shown(1, 50, 300) in large.html
    assert large.html.count(reverse("evaluation:response", args=[0])[:-2]) == 50


def test_the_responses_are_found_by_name_or_email(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme)
    _respond(wave, bulk_peers(world.programme, 60, tag="a", cohort=world.cohort))
    client.force_login(world.facilitator)
    url = reverse("evaluation:wave", args=[wave.pk])
    found = client.get(url, {"q": "a00042@PEERS"}).content.decode()
    assert "Peer a 00042" in found and "Peer a 00041" not in found
    assert shown(1, 1, 1) in found
    none = client.get(url, {"q": "nobody"}).content.decode()
    assert "No response matches these filters." in none
    assert "Peer a 00041" in client.get(url, {"page": "1"}).content.decode()
