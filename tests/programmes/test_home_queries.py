"""The programme's home costs a facilitator the same queries whatever the number of peers and
cohorts (the next steps count in a few queries; flags computed once are cached)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matching import engine
from matching.models import MatchingRun
from tests.conftest import World
from tests.factories import CohortFactory
from tests.pages import bulk_peers, measure

pytestmark = pytest.mark.django_db

MOST_QUERIES = 40


def _cohort_with_runs(world: World, name: str, peers: int) -> None:
    cohort = CohortFactory(programme=world.programme, name=name)
    bulk_peers(world.programme, peers, tag=name.lower(), cohort=cohort)
    for published in (True, False):
        MatchingRun.objects.create(
            cohort=cohort,
            strategy="problem",
            options=engine.Options().to_dict(),
            status=MatchingRun.Status.DONE,
            progress=1.0,
            published_at=timezone.now() if published else None,
        )


def test_the_home_costs_the_same_for_more_cohorts_and_peers(world: World, client: Client) -> None:
    url = reverse("programmes:detail", args=[world.programme.pk])
    _cohort_with_runs(world, "Ca", 10)
    small = measure(client, world.facilitator, url)
    for name in ("Cb", "Cc", "Cd"):
        _cohort_with_runs(world, name, 60)
    large = measure(client, world.facilitator, url)
    assert large.queries == small.queries
    assert large.queries <= MOST_QUERIES
    assert "Cd: groups published" in large.html
    assert "Cd: 0 of 60 peers have done the intake" in large.html
