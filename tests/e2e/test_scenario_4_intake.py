"""Scenario 4: the demo peers complete intake with at least three challenges; a submission with
two is refused with a clear message and what was typed is kept; drafts save as one types."""

from __future__ import annotations

from typing import Any

import pytest

from matching.demo import complete_demo_intake
from matching.models import IntakeResponse
from programmes.models import Programme
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]


@pytest.fixture
def demo_intake(transactional_db: None) -> Programme:
    """The demo programme (55 peers) with every peer's intake done but the last one's."""
    from programmes.demo import DEMO_PROGRAMME, load_demo

    load_demo(password="peerlearn-demo", peers=55)
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    complete_demo_intake(programme.cohorts.get(), skip_last=1)
    return programme


def test_last_peer_completes_intake_on_a_phone(
    browser: Any, live_server: Any, demo_intake: Programme
) -> None:
    programme = demo_intake
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="en-GB"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    log_in(page, "peer55@demo.peerlearn.org")
    page.goto(f"/matching/{programme.pk}/intake/")
    page.get_by_role("heading", name="Intake survey").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Drafts save while typing (HTMX), and survive a reload.
    page.get_by_label("Challenge 1").type("Cash forecasts from line ministries are unreliable")
    page.get_by_text("Draft saved at").wait_for()
    page.reload()
    assert "Cash forecasts" in page.get_by_label("Challenge 1").input_value()

    # Two challenges are refused with a clear message; nothing typed is lost.
    page.get_by_label("Challenge 2").fill("Arrears to suppliers keep growing")
    page.get_by_role("button", name="Submit my answers").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "at least 3 different challenges" in alert.inner_text()
    assert "Arrears to suppliers" in page.get_by_label("Challenge 2").input_value()
    assert "Cash forecasts" in page.get_by_label("Challenge 1").input_value()
    assert not IntakeResponse.objects.filter(
        user__email="peer55@demo.peerlearn.org", submitted_at__isnull=False
    ).exists()

    # With a third challenge and the factors chosen by the facilitator, it is accepted.
    page.get_by_label("Challenge 3").fill("Our IFMIS does not record commitments")
    page.get_by_label("What do you want to achieve").fill("Learn how others ran cash plans.")
    page.get_by_label("Your task or policy area").fill("Treasury")
    page.get_by_label("Your formal role").fill("Head of cash management")
    page.get_by_label("Seniority").select_option("senior")
    page.get_by_label("Career level").select_option("mid")
    page.get_by_label("Education").select_option("master")
    page.get_by_label("Professional affiliation").fill("PEMPAL Treasury CoP")
    page.get_by_label("Your country or region context").fill("Latin America")
    page.get_by_label("Your degree of influence").select_option("some")
    page.get_by_label("Where is your reform").select_option("piloting")
    page.get_by_label("Languages you can work in").select_option(["es", "en"])
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("your answers are saved").wait_for()
    response = IntakeResponse.objects.get(user__email="peer55@demo.peerlearn.org")
    assert response.submitted_at is not None
    assert len(response.answers["challenges"]) == 3
    context.close()

    # The facilitator sees that all 55 peers have completed intake, each with 3+ challenges.
    facilitator = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = facilitator.new_page()
    log_in(page, "facilitator@demo.peerlearn.org")
    cohort = programme.cohorts.get()
    page.goto(f"/matching/{programme.pk}/cohorts/{cohort.pk}/survey/")
    page.get_by_text("55 of 55 peers have completed the intake.").wait_for()
    counts = IntakeResponse.objects.filter(survey__cohort=cohort, submitted_at__isnull=False)
    assert counts.count() == 55
    assert all(r.challenges.count() >= 3 for r in counts)
    facilitator.close()


def test_a_peer_cannot_open_another_peers_answers(page: Any, demo_intake: Programme) -> None:
    other = IntakeResponse.objects.get(user__email="peer02@demo.peerlearn.org")
    log_in(page, "peer01@demo.peerlearn.org")
    page.goto("/api/v1/matching/intake/")
    body = page.inner_text("body")
    assert "peer01@demo.peerlearn.org" in body and "peer02@demo.peerlearn.org" not in body
    response = page.goto(f"/api/v1/matching/intake/{other.pk}/")
    assert response.status == 404
