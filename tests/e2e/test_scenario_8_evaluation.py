"""Scenario 8: peers answer the Wenger and PEMPAL instruments; the manager's dashboard shows the
five value cycles, the indicator tiers, network density, centrality and diameter, and the funnel.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from evaluation import network
from evaluation.builtin import ensure_builtin_instruments
from evaluation.models import Instrument, Response, Wave
from evaluation.services import schedule_wave
from programmes.demo import DEMO_PROGRAMME
from programmes.models import Programme
from programmes.selectors import contact_edges, peers_of
from tests.e2e.conftest import go_to, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.service]

STORY = "We compared commitment registers across five treasuries."


def open_wave(programme: Programme, key: str) -> Wave:
    today = timezone.localdate()
    return schedule_wave(
        programme=programme,
        instrument=Instrument.objects.get(family=key, is_current=True),
        kind=Wave.Kind.END_OF_EVENT,
        cohort=programme.cohorts.first(),
        opens_on=today - timedelta(days=1),
        due_on=today + timedelta(days=13),
        closes_on=today + timedelta(days=27),
    )


def answer_wenger(page: Any, title: str, rating: int, story: str = "") -> None:
    go_to(page, "Surveys and stories")
    page.get_by_role("link", name=f"Answer {title}").click()
    # Each rated question has its scale; the "who may read this answer" choices stay as set.
    questions = page.locator("fieldset").filter(has_text=f"{rating} ·")
    assert questions.count() >= 5
    for index in range(questions.count()):
        questions.nth(index).get_by_label(f"{rating} ·", exact=False).check()
    if story:
        page.get_by_label("What were significant events?", exact=False).fill(story)
        page.get_by_text("Draft saved at").wait_for()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("Thank you: your answers are submitted.").wait_for()


def test_peers_answer_and_the_manager_sees_the_dashboard(page: Any, demo: Any) -> None:
    ensure_builtin_instruments()
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    wenger = open_wave(programme, "wenger-value-creation")
    pempal = open_wave(programme, "pempal-story")

    # A peer answers the Wenger-Trayner instrument on the phone-sized page; a draft saves itself.
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, "peer01@demo.peerlearn.org")
    page.get_by_role("link", name=DEMO_PROGRAMME, exact=True).click()
    answer_wenger(page, wenger.title, 5, story=STORY)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The PEMPAL story questions: the required first one missing is refused, nothing lost.
    page.get_by_role("link", name=f"Answer {pempal.title}").click()
    page.get_by_label("Please describe a specific resource", exact=False).fill(
        "A register template and a review of our rules by two peers."
    )
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("Please answer this question.").wait_for()
    assert (
        "A register template"
        in page.get_by_label("Please describe a specific resource", exact=False).input_value()
    )
    page.get_by_label("What is the most meaningful PEM PAL activity", exact=False).fill(
        "The small-group sessions on arrears."
    )
    page.get_by_label("Please tell how you used this resource", exact=False).fill(
        "We piloted the register in two ministries."
    )
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("Thank you: your answers are submitted.").wait_for()
    log_out(page)

    # A second peer answers Wenger with lower ratings.
    log_in(page, "peer02@demo.peerlearn.org")
    page.get_by_role("link", name=DEMO_PROGRAMME, exact=True).click()
    answer_wenger(page, wenger.title, 2)
    log_out(page)
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 3

    # The manager's dashboard.
    page.set_viewport_size({"width": 1200, "height": 900})
    log_in(page, "manager@demo.peerlearn.org")
    page.get_by_role("link", name=DEMO_PROGRAMME, exact=True).click()
    page.get_by_role("link", name="Evaluation dashboard").click()
    page.get_by_role("heading", name="Evaluation dashboard").wait_for()

    cycles = page.locator("section[aria-labelledby=cycles-heading] table tbody tr")
    assert cycles.count() == 5
    rows = {cycles.nth(i).locator("th").inner_text(): cycles.nth(i) for i in range(5)}
    assert list(rows) == [
        "Immediate value",
        "Potential value",
        "Applied value",
        "Realised value",
        "Reframing value",
    ]
    # peer01 answered 5 everywhere; peer02 answered 2; the PEMPAL answers add to three cycles.
    assert rows["Reframing value"].locator("td").first.inner_text() == "1 / 2"
    assert rows["Immediate value"].locator("td").first.inner_text() == "1 / 2"

    for tier in ("Inputs", "Outputs", "Outcome", "Impact"):
        assert page.get_by_role("heading", name=tier, exact=True).is_visible()

    peers = {m.user_id for m in peers_of(programme)}
    expected = network.network_metrics(network.build_graph(contact_edges(programme), peers))
    figures = page.locator("section[aria-labelledby=network-heading]")
    assert figures.locator("[data-metric=density]").inner_text() == f"{expected.density:.3f}"
    assert figures.locator("[data-metric=degree]").inner_text() == f"{expected.mean_degree:.3f}"
    assert (
        figures.locator("[data-metric=betweenness]").inner_text()
        == f"{expected.max_betweenness:.3f}"
    )
    assert figures.locator("[data-metric=diameter]").inner_text() == str(expected.diameter)
    assert figures.locator("svg.network circle").count() == expected.people

    section = page.locator("section[aria-labelledby=funnel-heading]")
    section.get_by_text("The figures as a table").click()
    funnel = section.locator("tbody th")
    stages = [funnel.nth(i).inner_text().split("\n")[0] for i in range(funnel.count())]
    assert stages == [
        "Enrolled peers",
        "Engaged",
        "In sustained contact",
        "Reporting learning",
        "Diffusing",
        "Reporting applied or realised value",
    ]
    hourglass = page.locator("svg.hourglass g.chart-row")
    assert hourglass.count() == 6
    assert hourglass.first.locator("rect").count() == 1  # every enrolled peer: a full bar
