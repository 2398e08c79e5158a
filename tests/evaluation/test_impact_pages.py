"""Impact indicators: the page shows both forms, each posting to its own action."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.models import ImpactIndicator, ImpactObservation
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_the_page_posts_each_form_to_its_own_action(client: Client, world: World) -> None:
    ImpactIndicator.objects.create(programme=world.programme, name="PEFA PI-11")
    client.force_login(world.facilitator)
    page = reverse("evaluation:impact", args=[world.programme.pk])
    content = client.get(page).content.decode()
    assert reverse("evaluation:impact_indicator_add", args=[world.programme.pk]) in content
    assert reverse("evaluation:impact_observation_add", args=[world.programme.pk]) in content
    assert client.post(page, {"name": "PEFA PI-11"}).status_code == 405


def test_a_facilitator_adds_an_indicator_then_records_an_observation(
    client: Client, world: World
) -> None:
    client.force_login(world.facilitator)
    added = client.post(
        reverse("evaluation:impact_indicator_add", args=[world.programme.pk]),
        {"name": "PEFA PI-11", "unit": "A-D"},
    )
    assert added.status_code == 302
    indicator = ImpactIndicator.objects.get(programme=world.programme, name="PEFA PI-11")
    observe = reverse("evaluation:impact_observation_add", args=[world.programme.pk])
    refused = client.post(
        observe,
        {
            "indicator": str(indicator.pk),
            "country": "G1",
            "observed_on": "2026-01-15",
            "value": "B",
        },
    )
    assert refused.status_code == 400
    assert "two-letter code" in refused.content.decode()
    assert not ImpactObservation.objects.exists()
    recorded = client.post(
        observe,
        {
            "indicator": str(indicator.pk),
            "country": "gh",
            "observed_on": "2026-01-15",
            "value": "B",
        },
    )
    assert recorded.status_code == 302
    observation = ImpactObservation.objects.get(indicator=indicator)
    assert (observation.country, observation.value) == ("GH", "B")


def test_an_indicator_of_another_programme_cannot_be_observed(client: Client, world: World) -> None:
    elsewhere = ImpactIndicator.objects.create(programme=world.other_programme, name="Elsewhere")
    client.force_login(world.facilitator)
    response = client.post(
        reverse("evaluation:impact_observation_add", args=[world.programme.pk]),
        {
            "indicator": str(elsewhere.pk),
            "country": "GH",
            "observed_on": "2026-01-15",
            "value": "B",
        },
    )
    assert response.status_code == 400
    assert not ImpactObservation.objects.exists()


def test_a_manager_reads_the_page_but_adds_nothing(client: Client, world: World) -> None:
    client.force_login(world.manager)
    assert client.get(reverse("evaluation:impact", args=[world.programme.pk])).status_code == 200
    refused = client.post(
        reverse("evaluation:impact_indicator_add", args=[world.programme.pk]), {"name": "X"}
    )
    assert refused.status_code == 403
    assert not ImpactIndicator.objects.exists()
