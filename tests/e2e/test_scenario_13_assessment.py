"""Scenario 13: two organisations self-assess with a shared tool; a peer reviews one; the
benchmark shows both positions; the better-scoring peer is suggested as a pair partner."""

from __future__ import annotations

import re
from typing import Any

import pytest

from group_life.assessments.models import Criterion, Review, SelfAssessment
from group_life.models import PairRequest
from tests.e2e.a11y import audit
from tests.e2e.conftest import log_in
from tests.group_life.e2e_world import GroupLifeWorld, build

pytestmark = [pytest.mark.e2e, pytest.mark.service]


@pytest.fixture
def group_world(transactional_db: None) -> GroupLifeWorld:
    return build()


def _fresh(page: Any, world: GroupLifeWorld, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email)


def _self_assess(page: Any, tool_url: str, levels: list[str], evidence: str) -> None:
    page.goto(tool_url)
    page.get_by_role("link", name=re.compile("^Assess ")).click()
    for level in levels:
        page.get_by_label(level, exact=False).first.check()
    page.get_by_label("Evidence for “Publication of budget documents”").fill(evidence)
    page.get_by_role("button", name="Save the self-assessment").click()
    page.get_by_text("Your organisation's self-assessment is saved.").wait_for()


def test_two_organisations_self_assess_a_peer_reviews_the_benchmark_and_a_pair(
    page: Any, group_world: GroupLifeWorld
) -> None:
    w = group_world
    amara, bilal, chiara = w.peers[:3]

    # The facilitator defines the tool: two criteria with levels and guidance.
    log_in(page, w.facilitator.email)
    page.goto(f"/group-life/{w.programme.pk}/assessments/")
    page.get_by_label("Name").fill("Budget transparency report card")
    page.get_by_label("What it assesses").fill("How open the budget is, PEFA-like.")
    page.get_by_role("button", name="Create the tool").click()
    page.get_by_role("heading", name="Budget transparency report card").wait_for()
    tool_url = page.url
    for title, levels in (
        (
            "Publication of budget documents",
            "1 | Few | Fewer than four key documents.\n2 | Most | Six key documents."
            "\n3 | All | All eight key documents.\n4 | All on time | Eight, on time.",
        ),
        (
            "Public participation",
            "1 | None | No hearing.\n2 | Some | Hearings on request.\n3 | Routine | Every year."
            "\n4 | Binding | Answers published.",
        ),
    ):
        page.get_by_role("textbox", name="Criterion").fill(title)
        page.get_by_label("Guidance for assessors").fill("Count what is public today.")
        page.get_by_label("Levels").fill(levels)
        page.get_by_role("button", name="Add the criterion").click()
        page.get_by_role("heading", name=title).wait_for()
    # A bad line loses nothing and says why.
    page.get_by_role("textbox", name="Criterion").fill("Audit follow-up")
    page.get_by_label("Levels").fill("1 | None\nhigh | Full")
    page.get_by_role("button", name="Add the criterion").click()
    page.get_by_text("Line 2: the score must be a whole number.").wait_for()
    assert page.get_by_role("textbox", name="Criterion").input_value() == "Audit follow-up"

    # Two organisations self-assess: Amara's does worse on publication than Bilal's.
    _fresh(page, w, amara.email)
    _self_assess(page, tool_url, ["1 · Few", "2 · Some"], "Only the enacted budget is online.")
    _fresh(page, w, bilal.email)
    _self_assess(page, tool_url, ["4 · All on time", "2 · Some"], "All eight documents, on time.")
    assert SelfAssessment.objects.filter(submitted_at__isnull=False).count() == 2

    # A peer of a third organisation reviews Amara's with comments.
    _fresh(page, w, chiara.email)
    page.goto(tool_url)
    # Organisations are anonymous to other peers: Amara's, submitted first, is "Organisation A".
    assert "Controller and Accountant-General" not in page.content()
    page.get_by_role("link", name="Organisation A", exact=True).click()
    page.get_by_label("Overall comment").fill("Publish the pre-budget statement first.")
    page.get_by_label("Comment on “Publication of budget documents”").fill(
        "The in-year reports exist but are not online."
    )
    page.get_by_label("Score you would give on “Publication of budget documents”").select_option(
        "2"
    )
    page.get_by_role("button", name="Save the review").click()
    page.get_by_text("Publish the pre-budget statement first.").wait_for()
    page.get_by_text("would score 2").wait_for()
    assert Review.objects.get().kind == "peer"

    # Amara's benchmark shows both positions: her own named, Bilal's under a letter.
    _fresh(page, w, amara.email)
    page.goto(tool_url)
    page.get_by_role("link", name="Benchmark", exact=True).click()
    chart = page.locator("#benchmark-chart svg")
    labels = chart.locator("text.axis-label").all_text_contents()
    values = chart.locator("text.value").all_text_contents()
    assert "Controller and Accountant-General's Department (yours)" in labels
    assert "Organisation B" in labels
    assert values == ["1.5", "3.0"]
    assert "Ministry of Finance" not in page.content()
    report = audit(page)
    assert not report.problems, str(report)

    # Positive deviance on publication: Bilal is proposed as a pair partner.
    page.get_by_role("combobox", name="Criterion").select_option(
        label="Publication of budget documents"
    )
    page.get_by_role("button", name="Show").click()
    suggestion = page.locator("#deviance-suggestions")
    suggestion.get_by_text("Bilal Haddad", exact=True).wait_for()
    assert "Scores 4; your organisation 1." in suggestion.inner_text()
    suggestion.get_by_role("button", name="Ask Bilal Haddad to pair or host a site visit").click()
    page.get_by_text("Your request is sent; your peer will answer.").wait_for()
    pair = PairRequest.objects.get()
    assert (pair.requested_by, pair.requested_of) == (amara, bilal)
    assert "Publication of budget documents" in pair.purpose

    # The facilitator sees the pair the criterion suggests, and the outcome indicator moves.
    _fresh(page, w, w.facilitator.email)
    publication = Criterion.objects.get(title="Publication of budget documents")
    page.goto(f"{tool_url}benchmark/?criterion={publication.pk}")
    page.get_by_role("cell", name="Amara Mensah (1)").wait_for()
    page.get_by_role("cell", name="Bilal Haddad (4)").wait_for()
    page.goto(f"/evaluation/programmes/{w.programme.pk}/dashboard/")
    page.get_by_text("Peers using benchmarking tools").wait_for()
