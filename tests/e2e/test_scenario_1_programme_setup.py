"""Scenario 1: a facilitator creates a programme with a theory of change, four learning
objectives and the community-of-practice checklist; without a theory of change it shows a
stage-1 flag."""

from __future__ import annotations

import re
from typing import Any

import pytest

from programmes.models import ChecklistAnswer, Programme, WorkingGroup
from tests.e2e.conftest import go_to, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]


def field(scope: Any, label: str) -> Any:
    """The input labelled exactly ``label`` (Django adds a colon to form labels)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


OBJECTIVES = [
    ("Learn how peers plan internal audit on risk", "Experiential knowledge"),
    ("Master the international standards for internal audit", "Formal knowledge"),
    ("Have peers to call when an audit meets resistance", "Peer support"),
    ("Write a joint audit manual chapter", "Collaboration"),
]


def test_facilitator_sets_up_a_programme_in_the_browser(page: Any, demo: Any) -> None:
    log_in(page, "facilitator@demo.peerlearn.org")
    page.get_by_role("link", name="New programme").click()
    field(page, "Name").fill("Internal Audit Community")
    field(page, "Domain").fill("Public internal financial control")
    page.get_by_label("Working languages").fill("en, ru")
    page.get_by_label("Starts on").fill("2026-04-01")
    page.get_by_label("Ends on").fill("2027-03-31")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Foundations of the programme").wait_for()
    programme = Programme.objects.get(name="Internal Audit Community")

    # Without a theory of change, the overview shows the stage-1 flag.
    go_to(page, "Overview")
    flag = page.locator("li.flag[data-code=no-theory-of-change]")
    flag.wait_for()
    assert "no theory of change" in flag.inner_text()

    go_to(page, "Foundations")
    page.get_by_role("link", name="Write the theory of change").click()
    page.get_by_label("Focal point").fill("Audit findings lead to corrective action")
    page.get_by_label("Influential variables").fill("Audit committees; management response")
    page.get_by_label("Assumptions").fill("Peers share failed audits openly")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The theory of change is saved.").wait_for()

    page.get_by_role("link", name="Edit the objectives").click()
    for text, goal in OBJECTIVES:
        field(page, "Objective").fill(text)
        page.get_by_label("Goal type").select_option(label=goal)
        page.get_by_role("button", name="Add the objective").click()
        page.get_by_text("The objective is added.").wait_for()
    assert page.locator("p.flag").count() == 0  # four objectives: no warning
    page.get_by_role("link", name="Done").click()

    page.get_by_role("link", name="Answer the checklist").click()
    page.get_by_label("Is the domain evolving?").fill("Yes, towards risk-based audit.")
    page.get_by_label("What are the shared competences?").fill("Risk assessment, sampling.")
    page.get_by_label("How will this be coordinated?").fill("A secretariat and a chair.")
    page.get_by_role("button", name="Save the answers").click()
    page.get_by_text("The checklist answers are saved.").wait_for()
    page.get_by_text("Yes, towards risk-based audit.").wait_for()

    page.get_by_role("link", name="Manage cohorts and working groups").click()
    cohort_form = page.locator("form", has=page.get_by_role("button", name="Add the cohort"))
    field(cohort_form, "Name").fill("Cohort 2026")
    cohort_form.get_by_role("button", name="Add the cohort").click()
    page.get_by_text("The cohort is added.").wait_for()
    group_form = page.locator("form", has=page.get_by_role("button", name="Add the working group"))
    group_form.get_by_label("Cohort").select_option(label="Cohort 2026")
    field(group_form, "Name").fill("Risk-based planning")
    group_form.get_by_label("Component of the challenge").fill("Annual audit plans")
    group_form.get_by_role("button", name="Add the working group").click()
    page.get_by_text("The working group is added.").wait_for()

    go_to(page, "Overview")
    page.get_by_role("heading", name="Risk flags").wait_for()
    assert page.locator("li.flag[data-code=no-theory-of-change]").count() == 0

    assert programme.learning_objectives.count() == 4
    assert sorted(programme.learning_objectives.values_list("goal_type", flat=True)) == [
        "collaboration",
        "experiential_knowledge",
        "formal_knowledge",
        "peer_support",
    ]
    assert ChecklistAnswer.objects.filter(programme=programme).exclude(answer="").count() == 3
    assert WorkingGroup.objects.filter(cohort__programme=programme).count() == 1


def test_a_sixth_objective_warns(page: Any, demo: Any) -> None:
    log_in(page, "facilitator@demo.peerlearn.org")
    programme = Programme.objects.get(name__endswith="(demo)")
    page.goto(f"/programmes/{programme.pk}/objectives/")
    for number in (5, 6):
        field(page, "Objective").fill(f"Extra objective {number}")
        page.get_by_label("Goal type").select_option(label="Group identity")
        page.get_by_role("button", name="Add the objective").click()
    warning = page.get_by_role("alert")
    warning.wait_for()
    assert "There are 6 objectives" in warning.inner_text()
