"""Value-creation stories as one arc; the demo; figures that follow their data; the API."""

from __future__ import annotations

import pickle

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation import indicators
from evaluation.models import Response, Story, Wave
from evaluation.tasks import snapshot_programme
from tests.conftest import World
from tests.evaluation.factories import WaveFactory, answer_wave, wenger_answers

pytestmark = pytest.mark.django_db


def test_a_story_is_begun_then_followed_up_as_one_arc(world: World, client: Client) -> None:
    client.force_login(world.peer)
    bad = client.post(
        reverse("evaluation:stories", args=[world.programme.pk]),
        {"title": "Cash plans", "immediate_value": "A lively day", "visibility": "programme"},
    )
    assert bad.status_code == 400
    assert "This field is required." in bad.text
    assert "A lively day" in bad.text
    assert not Story.objects.exists()
    client.post(
        reverse("evaluation:stories", args=[world.programme.pk]),
        {
            "title": "Cash plans",
            "immediate_value": "A lively day",
            "potential_value": "A template",
            "aspirational_ending": "Monthly plans approved",
            "visibility": "programme",
        },
    )
    story = Story.objects.get()
    follow_up = WaveFactory(programme=world.programme, kind=Wave.Kind.PLUS_3)
    empty = client.post(reverse("evaluation:story_follow_up", args=[story.pk]), {})
    assert empty.status_code == 400
    assert "Tell how you applied it" in empty.text
    client.post(
        reverse("evaluation:story_follow_up", args=[story.pk]),
        {"applied_value": "Used for the Q3 plan", "realised_value": ""},
    )
    story.refresh_from_db()
    assert story.follow_up_wave == follow_up
    page = client.get(reverse("evaluation:story", args=[story.pk])).text
    for part in ("A lively day", "A template", "Monthly plans approved", "Used for the Q3 plan"):
        assert part in page
    client.force_login(world.manager)
    assert client.get(reverse("evaluation:story", args=[story.pk])).status_code == 200
    assert client.get(reverse("evaluation:story_follow_up", args=[story.pk])).status_code == 403


def test_demo_shows_five_cycles_and_the_funnel(transactional_db: None) -> None:
    from evaluation.demo import extend_demo
    from programmes.demo import DEMO_PROGRAMME, load_demo
    from programmes.models import Programme

    load_demo(password="peerlearn-demo", peers=20)
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    extend_demo(programme)
    extend_demo(programme)  # idempotent
    assert Wave.objects.filter(programme=programme).count() == 6
    assert Wave.objects.filter(programme=programme, status=Wave.Status.OPEN).count() == 1
    submitted = Response.objects.filter(wave__programme=programme, status="submitted")
    assert submitted.values("respondent").distinct().count() >= 15
    data = indicators.dashboard(programme)
    assert all(row.reporting > 0 for row in data.cycles)
    assert len({row.reporting for row in data.cycles}) > 1  # a spread, not one figure
    stages = {stage.code: stage.count for stage in data.funnel}
    assert stages["enrolled"] == 20
    assert 0 < stages["value"] <= stages["engaged"] <= 20
    assert Story.objects.filter(programme=programme, followed_up_at__isnull=False).exists()
    # Cached in Redis in production: everything on the dashboard must survive pickling.
    figures = pickle.loads(pickle.dumps(indicators.compute_figures(programme)))  # noqa: S301
    assert figures["metrics"] == data.metrics
    assert pickle.loads(pickle.dumps(indicators.flags(programme)))[0] == data.flags  # noqa: S301


def test_figures_follow_new_answers_without_waiting(world: World) -> None:
    cache.clear()
    wave = WaveFactory(programme=world.programme)
    first = indicators.dashboard(world.programme)
    assert {row.cycle: row.reporting for row in first.cycles}["reframing"] == 0
    answer_wave(wave, world.peer, wenger_answers(5))
    second = indicators.dashboard(world.programme)
    assert {row.cycle: row.reporting for row in second.cycles}["reframing"] == 1


def test_nightly_snapshot_task_stores_the_day(world: World) -> None:
    day = timezone.localdate().isoformat()
    snapshot_programme.delay(world.programme.pk, day)
    snapshot_programme.delay(world.programme.pk, day)
    assert world.programme.indicator_snapshots.count() == 1
    values = world.programme.indicator_snapshots.get().values
    assert values["funnel_enrolled"] == 4
    assert "density" in values


def test_api_indicators_give_tiers_funnel_cycles_and_network(world: World, client: Client) -> None:
    client.force_login(world.manager)
    data = client.get(reverse("evaluation-indicators-detail", args=[world.programme.pk])).json()
    assert {item["tier"] for item in data["indicators"]} == {"inputs", "outputs", "outcome"}
    assert data["funnel"][0]["code"] == "enrolled"
    assert len(data["cycles"]) == 5
    assert set(data["network"]) >= {"density", "diameter", "mean_degree", "max_betweenness"}
