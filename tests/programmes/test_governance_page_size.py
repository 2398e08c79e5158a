"""The governance page does not grow with the programme: a steering group member is typed as
an email address when the programme's people are many, and the page is the same size."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn import fields
from programmes.models import SteeringMember
from tests.conftest import World
from tests.pages import assert_same_cost, bulk_peers, measure

pytestmark = pytest.mark.django_db


def test_the_governance_page_costs_the_same_for_more_people(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fields, "PEOPLE_IN_A_LIST", 10)
    url = reverse("programmes:governance", args=[world.programme.pk])
    bulk_peers(world.programme, 60, tag="a", cohort=world.cohort)
    small = measure(client, world.facilitator, url)
    bulk_peers(world.programme, 180, tag="b", cohort=world.cohort)
    large = measure(client, world.facilitator, url)
    assert_same_cost(small, large)
    assert 'type="email"' in large.html
    assert "Peer b00001" not in large.html


def test_a_steering_member_is_named_by_address_among_many(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("programmes:steering_member_add", args=[world.programme.pk])
    governance = reverse("programmes:governance", args=[world.programme.pk])
    page = measure(client, world.facilitator, governance)
    assert f'<option value="{world.peer.pk}">' in page.html
    monkeypatch.setattr(fields, "PEOPLE_IN_A_LIST", 0)
    refused = client.post(url, {"user": world.outsider.email, "position": "Chair"})
    assert refused.status_code == 400
    assert "Nobody you can choose here has this email address." in refused.content.decode()
    assert not SteeringMember.objects.exists()
    assert client.post(url, {"user": world.peer.email, "position": "Chair"}).status_code == 302
    assert SteeringMember.objects.get().user == world.peer
    # Those who may not name members get no form (and no list of people).
    manager = measure(client, world.manager, governance)
    assert 'name="user"' not in manager.html
