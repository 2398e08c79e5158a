"""The page of peer adviser placements does not grow with the programme: it shows one page of
placements, and the adviser is typed as an email address when the peers are many."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from group_life.placements.models import Placement, PlacementCheckIn
from peerlearn import fields
from programmes.models import Programme
from tests.conftest import World
from tests.factories import OrganisationFactory
from tests.pages import Measure, assert_same_cost, bulk_peers, measure, shown

pytestmark = pytest.mark.django_db


def _page(world: World, client: Client, peers: int, tag: str) -> Measure:
    programme: Programme = world.programme
    host = OrganisationFactory(name=f"Host {tag}")
    home = OrganisationFactory(name=f"Home {tag}")
    advisers = bulk_peers(programme, peers, tag=tag, cohort=world.cohort, organisation=home)
    placements = Placement.objects.bulk_create(
        [
            Placement(
                programme=programme,
                peer=adviser,
                home_organisation=home,
                host_organisation=host,
                starts_on=date(2026, 3, 2),
                ends_on=date(2026, 6, 1),
                goals="Commitment registers",
            )
            for adviser in advisers
        ]
    )
    PlacementCheckIn.objects.bulk_create(
        [
            PlacementCheckIn(
                placement=placement, by=placement.peer, held_on=date(2026, 4, 1), progress="On"
            )
            for placement in Placement.objects.filter(pk__in=[p.pk for p in placements])
        ]
    )
    return measure(client, world.facilitator, reverse("group_life:placements", args=[programme.pk]))


def test_the_placements_page_costs_the_same_for_more_peers(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fields, "PEOPLE_IN_A_LIST", 10)
    small = _page(world, client, 60, "a")
    Placement.objects.all().delete()
    large = _page(world, client, 180, "b")
    assert_same_cost(small, large)
    assert shown(1, 50, 180) in large.html
    assert 'type="email"' in large.html  # the adviser by address, not a list of 180 names
    assert "<option" not in large.html.split('id="placement-peer"')[1].split("</div>")[0]


def test_few_peers_are_offered_in_a_list_and_an_address_chooses_among_many(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = measure(
        client, world.facilitator, reverse("group_life:placements", args=[world.programme.pk])
    )
    assert f'<option value="{world.peer.pk}">' in page.html
    monkeypatch.setattr(fields, "PEOPLE_IN_A_LIST", 0)
    url = reverse("group_life:placement_create", args=[world.programme.pk])
    data = {
        "peer": world.peer.email.upper(),
        "host_organisation": world.other_organisation.pk,
        "starts_on": "2026-02-01",
        "ends_on": "2026-05-01",
        "goals": "Cash forecasting",
    }
    assert client.post(url, data).status_code == 302
    placement = Placement.objects.get()
    assert placement.peer == world.peer
    assert placement.home_organisation == world.organisation
    refused = client.post(url, {**data, "peer": world.manager.email})
    assert refused.status_code == 400
    assert "Nobody you can choose here has this email address." in refused.content.decode()
    assert "Cash forecasting" in refused.content.decode()
