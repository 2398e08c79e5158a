"""PRODUCT.md scenario 9: a peer holds a report-back at home; attendees extend the diffusion
graph through their personal links (each in a fresh browser, without an account); a chapter and a
rapid-results pilot are created; the sponsor receives a progress report by email."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail

from diffusion import tasks
from diffusion.models import Chapter, Pilot, Recipient, ReportBack
from programmes.demo import DEMO_PROGRAMME
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]

LINK = re.compile(r"https?://\S+?(/diffusion/share/[^/\s]+/)")


def field(page: Any, label: str) -> Any:
    """The form field labelled exactly ``label`` (Django adds a colon to labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def _link_for(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    match = LINK.search(str(message.body))
    assert match, message.body
    return match.group(1)


def _answer_in_a_fresh_browser(
    browser: Any, live_server: Any, path: str, will_use: str, share_with: str
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(path)
    page.get_by_role("heading", name="Two questions").wait_for()
    assert "Log in" in page.content()  # nobody is logged in here
    field(page, "What will you use from this session?").fill(will_use)
    field(page, "Whom will you share it with?").fill(share_with)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    # the link answers once
    page.goto(path)
    page.get_by_role("heading", name="This link cannot be used").wait_for()
    assert "used already" in page.content()
    context.close()


def test_scenario_9_report_back_graph_chapter_pilot_and_sponsor_report(
    page: Any, browser: Any, live_server: Any, demo: Any, tmp_path: Any
) -> None:
    mail.outbox.clear()
    # A peer holds a report-back at home and logs it, with slides and two attendees.
    log_in(page, "peer01@demo.peerlearn.org")
    page.get_by_role("link", name=DEMO_PROGRAMME, exact=True).click()
    page.get_by_role("link", name="Diffusion", exact=True).click()
    page.get_by_role("heading", name="Diffusion", exact=True).wait_for()
    page.get_by_role("link", name="Log a report-back").click()
    field(page, "Title").fill("Commitment controls: lessons from the peers")
    field(page, "Date held").fill("2026-05-04")
    field(page, "Audience").fill("Treasury cash management team")
    field(page, "Number of people present").fill("9")
    field(page, "Level reached").select_option("unit")
    field(page, "What you shared").fill("Register commitments before contracts are signed.")
    field(page, "My sponsor may read what I shared").check()
    slides = tmp_path / "slides.pdf"
    slides.write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    field(page, "Materials (optional)").set_input_files(str(slides))
    field(page, "Attendees' email addresses (optional)").fill(
        "ama.mensah@home.example.org\nkofi.asante@home.example.org"
    )
    page.get_by_role("button", name="Log the report-back").click()
    page.get_by_role("heading", name="Commitment controls: lessons from the peers").wait_for()
    assert "2 attendees will receive a link" in page.content()
    assert "ama.mensah@home.example.org" in page.content()
    report_back = ReportBack.objects.get(title="Commitment controls: lessons from the peers")
    assert report_back.materials.name.endswith(".pdf")

    # An attendee answers through their link, in a fresh browser with no account, and names two
    # colleagues; one of them answers in turn: the graph grows three levels deep.
    ama_link = _link_for("ama.mensah@home.example.org")
    assert urlparse(ama_link).path == ama_link
    _answer_in_a_fresh_browser(
        browser,
        live_server,
        ama_link,
        "The commitment register template",
        "esi.boateng@home.example.org, yaw.darko@home.example.org",
    )
    _answer_in_a_fresh_browser(
        browser,
        live_server,
        _link_for("esi.boateng@home.example.org"),
        "The one-page arrears report",
        "abena.owusu@home.example.org",
    )
    depths = dict(Recipient.objects.filter(report_back=report_back).values_list("email", "depth"))
    assert depths == {
        "ama.mensah@home.example.org": 1,
        "kofi.asante@home.example.org": 1,
        "esi.boateng@home.example.org": 2,
        "yaw.darko@home.example.org": 2,
        "abena.owusu@home.example.org": 3,
    }

    # The peer sees the diffusion graph, drawn as a picture, three levels deep.
    page.goto(f"/diffusion/programmes/{report_back.programme_id}/graph/")
    page.get_by_role("heading", name="Diffusion graph").wait_for()
    assert page.locator("svg.diffusion-graph circle[data-depth='3']").count() == 1
    reach_rows = page.locator("table.reach tbody tr")
    assert reach_rows.count() == 3
    assert reach_rows.nth(2).inner_text().split() == ["3", "1"]

    # The peer launches a domestic chapter with a first member.
    page.goto(f"/diffusion/programmes/{report_back.programme_id}/")
    page.get_by_role("link", name="Launch a chapter").click()
    field(page, "Name").fill("Albania Budget Execution Community")
    field(page, "Country").fill("AL")
    field(page, "Launched on").fill("2026-06-01")
    page.get_by_role("button", name="Launch the chapter").click()
    page.get_by_role("heading", name="Albania Budget Execution Community").wait_for()
    field(page, "Full name").fill("Arben Hoxha")
    field(page, "Joined on").fill("2026-06-02")
    page.get_by_role("button", name="Add the member").click()
    page.get_by_role("cell", name="Arben Hoxha").wait_for()
    assert Chapter.objects.get().members.count() == 1

    # ...and starts a rapid-results pilot with a results chain and a milestone.
    page.goto(f"/diffusion/programmes/{report_back.programme_id}/")
    page.get_by_role("link", name="Start a pilot").click()
    field(page, "Title").fill("Weekly cash forecast in two ministries")
    field(page, "Result aimed for in about 100 days").fill("Forecast errors below 10%.")
    field(page, "Starts on").fill("2026-06-01")
    page.get_by_role("button", name="Start the pilot").click()
    page.get_by_role("heading", name="Weekly cash forecast in two ministries").wait_for()
    field(page, "Link in the chain").select_option("output")
    field(page, "Description").fill("A forecast sent every Monday")
    page.get_by_role("button", name="Add the step").click()
    page.get_by_text("A forecast sent every Monday").wait_for()
    field(page, "Milestone").fill("First forecast sent")
    field(page, "Due on").fill("2026-06-08")
    page.get_by_role("button", name="Add the milestone").click()
    page.get_by_role("cell", name="First forecast sent").wait_for()
    pilot = Pilot.objects.get()
    assert (pilot.ends_on - pilot.starts_on).days == 100

    # The sponsor receives the monthly progress report by email and opens it.
    mail.outbox.clear()
    assert tasks.send_monthly_sponsor_reports.delay().get() == 1
    message = next(m for m in mail.outbox if m.to == ["sponsor@demo.peerlearn.org"])
    assert "Commitment controls: lessons from the peers" in message.body
    assert "Register commitments before contracts are signed." in message.body
    assert "Weekly cash forecast in two ministries" in message.body
    report_path = urlparse(re.search(r"https?://\S+/sponsor-report/", message.body)[0]).path  # type: ignore[index]
    sponsor = browser.new_context(base_url=live_server.url, locale="en-GB")
    sponsor_page = sponsor.new_page()
    log_in(sponsor_page, "sponsor@demo.peerlearn.org")
    sponsor_page.goto(report_path)
    sponsor_page.get_by_role("heading", name="Sponsor progress report").wait_for()
    text = sponsor_page.content()
    assert "Commitment controls: lessons from the peers" in text
    assert "Weekly cash forecast in two ministries" in text
    # only the sponsor's own organisation's peers appear
    assert "peer02@" not in text and "Bekzod" not in text
    sponsor.close()
