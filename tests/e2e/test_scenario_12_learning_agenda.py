"""Scenario 12: members propose topics for the network's learning agenda and vote; the
facilitator turns the top topic into an activity; the country-led steering group records a
decision; the partners' resources show in the inputs tier of the manager's dashboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.models import Activity, AgendaTopic, Membership, SteeringDecision
from tests.e2e.conftest import log_in
from tests.group_life.e2e_world import PASSWORD, GroupLifeWorld, build

pytestmark = [pytest.mark.e2e]

TOP = "Linking commitment controls to the cash plan"
OTHER = "Clearing payment arrears"
DECISION = "The 2027 plenary on the top topic is held in Accra."


@pytest.fixture
def group_world(transactional_db: None) -> GroupLifeWorld:
    return build()


def _propose(page: Any, title: str, description: str) -> None:
    page.get_by_label("Topic:", exact=True).fill(title)
    page.get_by_label("What we would learn").fill(description)
    page.get_by_role("button", name="Propose the topic").click()
    page.get_by_text("Your topic is on the agenda, with your vote.").wait_for()


def _open_agenda(page: Any, world: GroupLifeWorld) -> None:
    page.goto(reverse("programmes:detail", args=[world.programme.pk]))
    page.get_by_role("link", name="Set-up", exact=True).first.click()
    page.get_by_role("link", name="Learning agenda", exact=True).first.click()
    page.get_by_role("heading", name="Learning agenda", exact=True).wait_for()


def _switch(page: Any, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email)


def test_agenda_votes_activity_decision_and_funders(page: Any, group_world: GroupLifeWorld) -> None:
    world = group_world
    amara, bilal, chiara = world.peers[:3]
    governance = reverse("programmes:governance", args=[world.programme.pk])
    dashboard = reverse("evaluation:dashboard", args=[world.programme.pk])

    # Two members propose topics; a topic already on the agenda is refused in plain words.
    log_in(page, amara.email)
    _open_agenda(page, world)
    _propose(page, TOP, "How other treasuries block orders above the cash plan.")
    _switch(page, bilal.email)
    _open_agenda(page, world)
    _propose(page, OTHER, "Arrears clearance strategies.")
    page.get_by_label("Topic:", exact=True).fill(TOP.upper())
    page.get_by_role("button", name="Propose the topic").click()
    page.get_by_text("This topic is already on the agenda: vote for it instead.").wait_for()
    assert AgendaTopic.objects.count() == 2

    # Bilal and Chiara vote for Amara's topic; the agenda orders topics by votes.
    page.get_by_role("button", name=f"Vote for {TOP}").click()
    page.get_by_text("Your vote is counted.").wait_for()
    _switch(page, chiara.email)
    _open_agenda(page, world)
    page.get_by_role("button", name=f"Vote for {TOP}").click()
    page.get_by_text("Your vote is counted.").wait_for()
    page.get_by_role("link", name=TOP).click()
    page.get_by_label("Comment:", exact=True).fill(
        "Please include the Italian commitment register."
    )
    page.get_by_role("button", name="Add the comment").click()
    page.get_by_text("Your comment is added.").wait_for()

    # The facilitator turns the top topic into an activity.
    _switch(page, world.facilitator.email)
    _open_agenda(page, world)
    first_row = page.locator("section[aria-labelledby=topics-heading] tbody tr").first
    assert TOP in first_row.inner_text() and "3" in first_row.inner_text()
    first_row.get_by_role("link", name=TOP).click()
    assert "Italian commitment register" in page.inner_text("main")
    page.get_by_label("Kind of activity").select_option(label="Plenary meeting")
    starts = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.get_by_label("Starts at").fill(f"{starts}T09:00")
    page.get_by_label("Minutes").fill("120")
    page.get_by_label("Place or link").fill("Accra")
    page.get_by_role("button", name="Schedule the activity").click()
    page.get_by_text("The topic is now an activity of the programme.").wait_for()
    activity = Activity.objects.get(title=TOP)
    assert AgendaTopic.objects.get(title=TOP).activity == activity
    assert page.get_by_role("heading", name=TOP).count() >= 1

    # The facilitator names Amara to the steering group and records the partners' resources.
    page.goto(reverse("programmes:detail", args=[world.programme.pk]))
    page.get_by_role("link", name="Set-up", exact=True).first.click()
    page.get_by_role("link", name="Governance", exact=True).first.click()
    page.get_by_role("heading", name="Governance", exact=True).wait_for()
    page.get_by_text("Add a member").click()
    page.get_by_label("Person").select_option(label=amara.full_name)
    page.get_by_label("Position").fill("Chair")
    page.get_by_role("button", name="Add to the steering group").click()
    page.get_by_text("The steering group has a new member.").wait_for()
    year = str(timezone.localdate().year)
    for partner, kind, purpose, amount, currency in (
        ("World Bank", "Cash", "Secretariat", "120000", "USD"),
        ("SECO", "In kind", "Events and activities", "30000", "CHF"),
    ):
        page.get_by_text("Record a resource").click()
        page.get_by_label("Partner:", exact=True).fill(partner)
        page.get_by_label("Year").fill(year)
        page.get_by_label("Cash or in kind").select_option(label=kind)
        page.get_by_label("For:", exact=True).select_option(label=purpose)
        page.get_by_label("Amount or value").fill(amount)
        page.get_by_label("Currency").fill(currency)
        page.get_by_role("button", name="Record the resource").click()
        page.get_by_text("The resource is recorded.").wait_for()

    # A peer outside the steering group cannot record decisions; its chair can.
    _switch(page, bilal.email)
    page.goto(governance)
    assert page.get_by_text("Record a decision").count() == 0
    _switch(page, amara.email)
    page.goto(governance)
    page.get_by_text("Record a decision").click()
    page.get_by_label("Decision:", exact=True).fill(DECISION)
    page.get_by_label("Decided on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("The decision is in the log.").wait_for()
    assert DECISION in page.locator("section[aria-labelledby=decisions-heading]").inner_text()
    assert SteeringDecision.objects.get().recorded_by == amara

    # The programme manager's dashboard: the inputs tier shows the funders and governance.
    manager = User.objects.create_user(
        email="manager@example.org", password=PASSWORD, full_name="Mona Manager"
    )
    EmailAddress.objects.create(user=manager, email=manager.email, verified=True, primary=True)
    Membership.objects.create(user=manager, programme=world.programme, role=Role.MANAGER)
    _switch(page, manager.email)
    page.goto(dashboard)
    page.get_by_role("heading", name="Evaluation dashboard").wait_for()
    funders = page.locator("dt", has_text="Co-funding partners").locator(
        "xpath=following-sibling::dd[1]"
    )
    text = funders.inner_text()
    assert text.startswith("2"), text
    assert "SECO, World Bank" in text and "120000 USD" in text and "30000 CHF" in text
    secretariat = page.locator("dt", has_text="Secretariat resourced").locator(
        "xpath=following-sibling::dd[1]"
    )
    assert secretariat.inner_text().startswith("Yes")
