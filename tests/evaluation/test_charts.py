"""The dashboard's charts: labelled and readable on their own, an empty state that says what
will appear and when, and numbers in SVG written with a dot whatever the page's language."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from peerlearn import charts
from programmes.models import Contact
from tests.conftest import World
from tests.evaluation.factories import WaveFactory, answer_wave, wenger_answers

pytestmark = pytest.mark.django_db

NUMERIC_ATTRIBUTES = re.compile(
    r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|points|viewBox)="([^"]*)"'
)


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def test_chart_geometry_is_written_with_dot_decimals() -> None:
    assert charts.num(28.084) == "28.08"
    assert charts.num(3.0) == "3"
    assert charts.num(-0.001) == "0"
    chart = charts.hourglass([charts.ChartRow("Engaged", 0.3333, "1 · 33%")])
    assert chart.items[0]["width"] == "119.99" and chart.items[0]["x"] == "120.01"


def _programme_with_answers_and_contacts(world: World) -> None:
    wave = WaveFactory(programme=world.programme)
    answer_wave(wave, world.peer, wenger_answers(5))
    answer_wave(wave, world.peer_same_cohort, wenger_answers(2))
    answer_wave(wave, world.peer_other_cohort, wenger_answers(4))
    start = date(2026, 3, 2)
    for a, b, weeks in (
        (world.peer, world.peer_same_cohort, 0),
        (world.peer_same_cohort, world.peer_other_cohort, 2),
        (world.peer, world.peer_same_cohort, 14),
    ):
        Contact.objects.create(
            programme=world.programme,
            logged_by=a,
            with_user=b,
            occurred_on=start + timedelta(weeks=weeks),
            channel="call",
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_svg_numbers_use_dots_in_every_language(
    world: World, client: Client, language: str
) -> None:
    _programme_with_answers_and_contacts(world)
    cache.clear()
    client.force_login(world.manager)
    client.cookies["django_language"] = language
    html = client.get(
        reverse("evaluation:dashboard", args=[world.programme.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    assert f'<html lang="{language}"' in html
    pictures = svgs(html)
    assert len(pictures) >= 3  # the hourglass, the value cycles, the network
    values = [value for svg in pictures for value in NUMERIC_ATTRIBUTES.findall(svg)]
    assert values and all("," not in value for value in values if " " not in value), values
    assert any("." in value for value in values)  # fractional coordinates are there, with dots
    for value in values:
        for number in value.replace(",", " ").split():
            float(number)


def test_the_hourglass_and_the_cycles_are_labelled_charts(world: World, client: Client) -> None:
    _programme_with_answers_and_contacts(world)
    client.force_login(world.manager)
    html = client.get(reverse("evaluation:dashboard", args=[world.programme.pk])).content.decode()
    hourglass, cycles = svgs(html)[:2]
    for label in ("Enrolled peers", "Engaged", "In sustained contact", "Reporting learning"):
        assert f">{label}</text>" in hourglass
    assert ">4 · 100%</text>" in hourglass  # the value at the end of each bar
    assert ">Not measured</text>" not in hourglass or "Diffusing" in hourglass
    for tick in ("0%", "25%", "50%", "75%", "100%"):
        assert f">{tick}</text>" in cycles
    assert ">Share of peers reporting the cycle</text>" in cycles
    assert ">Immediate</text>" in cycles and ">Reframing</text>" in cycles
    # No blank band: the 100% line sits just below the axis title, and a column of half the
    # peers (two of four report immediate value) reaches half way up.
    assert 'y1="40" y2="40" class="gridline"' in cycles
    assert '<text x="0" y="18" class="axis-label">' in cycles
    tops = [float(y) for y in re.findall(r'<rect x="[^"]+" y="([^"]+)"', cycles)]
    assert min(tops) == pytest.approx(236 - 0.5 * 196)


def test_empty_charts_say_what_will_appear_and_when(world: World, client: Client) -> None:
    client.force_login(world.manager)
    html = client.get(reverse("evaluation:dashboard", args=[world.programme.pk])).content.decode()
    assert "No peer has reported value yet." in html
    assert "appears when peers answer the value-creation survey" in html
    # No contact at all: no ring of unconnected dots, and nobody is "most central" at 0.
    assert "No contact between peers is logged yet." in html
    assert '<svg class="network"' not in html
    assert "Most central people" not in html


def test_most_central_people_appear_once_someone_links_others(world: World, client: Client) -> None:
    _programme_with_answers_and_contacts(world)
    client.force_login(world.manager)
    html = client.get(reverse("evaluation:dashboard", args=[world.programme.pk])).content.decode()
    assert '<svg class="network"' in html and "Most central people" in html
    assert "A person without any logged contact" in html  # the legend


def test_an_empty_programme_explains_the_hourglass(client: Client, world: World) -> None:
    from tests.factories import MembershipFactory, ProgrammeFactory

    programme = ProgrammeFactory(name="Starting Network")
    MembershipFactory(user=world.manager, programme=programme, role="manager")
    client.force_login(world.manager)
    html = client.get(reverse("evaluation:dashboard", args=[programme.pk])).content.decode()
    assert "No peer is enrolled yet." in html
