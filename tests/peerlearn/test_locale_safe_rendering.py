"""Numbers a machine reads (SVG geometry, meter and input values, data attributes) are never
written in the page's number format: the dashboard, the diffusion graph and the other charts
draw the same in French as in English, while the text around them is French."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.diffusion.test_graph_reach_flags import _three_levels
from tests.evaluation.test_charts import _programme_with_answers_and_contacts

pytestmark = pytest.mark.django_db

MACHINE_READ = re.compile(
    r"\s(x|y|x1|x2|y1|y2|cx|cy|r|rx|width|height|points|viewBox|value|min|max|step|"
    r'data-[a-z-]+)="([^"]*)"'
)
LOCALISED_NUMBER = re.compile(r"\d[,\u00a0\u202f]\d")  # 28,08 or 1 234


def machine_read_values(html: str) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in MACHINE_READ.findall(html)
        if name != "points" and any(ch.isdigit() for ch in value)
    ]


def _french(client: Client, url: str) -> str:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in html, url
    return html


def test_french_dashboard_and_diffusion_graph_draw_with_dot_decimals(
    world: World, client: Client
) -> None:
    _programme_with_answers_and_contacts(world)
    _three_levels(world)
    cache.clear()
    world.manager.preferred_language = "fr"
    world.manager.save()
    client.force_login(world.manager)
    pages = {
        "dashboard": _french(client, reverse("evaluation:dashboard", args=[world.programme.pk])),
        "graph": _french(client, reverse("diffusion:graph", args=[world.programme.pk])),
        "report": _french(client, reverse("evaluation:report", args=[world.programme.pk])),
    }
    assert "Tableau de bord" in pages["dashboard"]
    assert "Graphe de diffusion" in pages["graph"]
    fractional = 0
    for name, html in pages.items():
        assert "<svg" in html, name
        values = machine_read_values(html)
        assert values, name
        wrong = [(a, v) for a, v in values if LOCALISED_NUMBER.search(v)]
        assert wrong == [], (name, wrong)
        fractional += sum(1 for _a, v in values if re.search(r"\d\.\d", v))
        for points in re.findall(r'points="([^"]*)"', html):
            for pair in points.split():
                x, y = pair.split(",")
                float(x), float(y)
    assert fractional > 0  # fractional coordinates are drawn, with dots


def test_the_progress_board_meter_is_not_localised(world: World, client: Client) -> None:
    world.peer.preferred_language = "fr"
    world.peer.save()
    client.force_login(world.peer)
    html = _french(client, reverse("group_life:progress_board", args=[world.programme.pk]))
    assert [v for _a, v in machine_read_values(html) if LOCALISED_NUMBER.search(v)] == []
