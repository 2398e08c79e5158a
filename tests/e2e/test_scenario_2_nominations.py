"""Scenario 2: organisations from 30+ countries nominate peers; sponsors authorise them.

The facilitator adds an organisation and invites its sponsor; the sponsor joins by the emailed
link, answers the mini-survey and commits time and means, nominates peers and authorises them
(an in-app sign-off, and a signed mandate PDF); a sponsor sees only their organisation's peers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from programmes.models import Nomination, Programme, SponsorCommitment
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]


def field(scope: Any, label: str) -> Any:
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def invitation_path(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    match = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def demo55(transactional_db: None) -> Programme:
    from programmes.demo import DEMO_PROGRAMME, load_demo

    load_demo(password="peerlearn-demo", peers=55)
    return Programme.objects.get(name=DEMO_PROGRAMME)


def test_organisations_of_thirty_countries_nominate_and_authorise(
    browser: Any, live_server: Any, page: Any, demo55: Programme
) -> None:
    programme = demo55
    mail.outbox.clear()
    log_in(page, "facilitator@demo.peerlearn.org")
    page.goto(f"/programmes/{programme.pk}/organisations/")
    rows = page.locator("table tbody tr")
    rows.first.wait_for()
    countries = {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
    assert len(countries) > 30

    field(page, "Name").fill("Contraloría General de la República")
    field(page, "Country").fill("Peru")
    page.get_by_label("Type").select_option(label="Audit institution")
    page.get_by_role("button", name="Add the organisation").click()
    page.get_by_text("is added").wait_for()

    page.get_by_role("link", name="Invite a sponsor").click()
    page.get_by_label("Email address").fill("sponsor.pe@example.org")
    page.get_by_label("Full name").fill("Rosa Quispe")
    page.get_by_label("Role").select_option(label="Organisation sponsor")
    page.get_by_label("Organisation").select_option(
        label="Contraloría General de la República (Peru)"
    )
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("An invitation is on its way").wait_for()

    sponsor_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    sponsor_context.set_default_timeout(15_000)
    sponsor = sponsor_context.new_page()
    sponsor.goto(invitation_path("sponsor.pe@example.org"))
    sponsor.get_by_label("Choose a password").fill("contraloria-2026!")
    sponsor.get_by_label("Repeat the password").fill("contraloria-2026!")
    sponsor.get_by_role("button", name="Join the programme").click()
    sponsor.get_by_role("link", name="Nominations").click()
    sponsor.get_by_role("heading", name="Nominations and authorisations").wait_for()

    sponsor.get_by_role("link", name="Answer and commit").click()
    sponsor.get_by_label("What does your organisation want to learn").fill(
        "How peers follow up audit recommendations"
    )
    sponsor.get_by_label("Time committed").fill("Ten days for the event, a day a month after")
    sponsor.get_by_label("Means committed for diffusion").fill("A report-back to all auditors")
    sponsor.get_by_label("Your full name, to sign the commitment").fill("Rosa Quispe")
    sponsor.get_by_role("button", name="Save").click()
    sponsor.get_by_text("Commitment of time and means signed by Rosa Quispe").wait_for()

    for email, name in [
        ("luis.pe@example.org", "Luis Restrepo"),
        ("ana.pe@example.org", "Ana Santos"),
    ]:
        sponsor.get_by_label("Email address").fill(email)
        field(sponsor, "Full name").fill(name)
        sponsor.get_by_label("Position").fill("Senior auditor")
        sponsor.get_by_role("button", name="Nominate and invite").click()
        sponsor.get_by_text(f"{email} is nominated").wait_for()
    assert {m.to[0] for m in mail.outbox} >= {"luis.pe@example.org", "ana.pe@example.org"}

    # In-app sign-off for the first nominee.
    sponsor.get_by_role("link", name="Authorise luis.pe@example.org").click()
    sponsor.get_by_label("Your full name, as a signature").fill("Rosa Quispe")
    sponsor.get_by_role("button", name="Authorise").click()
    sponsor.get_by_text("Luis Restrepo is authorised.").wait_for()

    # A signed mandate for the second: a file that is not a PDF is refused, a PDF accepted.
    sponsor.get_by_role("link", name="Authorise ana.pe@example.org").click()
    sponsor.get_by_label("Your full name, as a signature").fill("Rosa Quispe")
    mandate = sponsor.get_by_label("Signed mandate")
    mandate.set_input_files(
        {"name": "mandate.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a fake"}
    )
    sponsor.get_by_role("button", name="Authorise").click()
    sponsor.get_by_text("this file is not a PDF").wait_for()
    assert not Nomination.objects.get(email="ana.pe@example.org").is_authorised
    sponsor.get_by_label("Your full name, as a signature").fill("Rosa Quispe")
    sponsor.get_by_label("Signed mandate").set_input_files(
        {"name": "mandate.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    sponsor.get_by_role("button", name="Authorise").click()
    sponsor.get_by_text("Ana Santos is authorised.").wait_for()
    table = sponsor.get_by_role("table")
    assert "yes, by Rosa Quispe (mandate)" in table.inner_text()
    # Only this organisation's people are on the sponsor's page.
    assert "peer01@demo.peerlearn.org" not in sponsor.content()
    sponsor_context.close()

    assert Nomination.objects.get(email="ana.pe@example.org").method == "mandate"
    assert SponsorCommitment.objects.get(
        programme=programme, organisation__country="PE", organisation__kind="audit"
    ).committed_at


def test_demo_sponsor_sees_only_their_organisation(page: Any, demo55: Programme) -> None:
    log_in(page, "sponsor@demo.peerlearn.org")
    page.goto(f"/programmes/{demo55.pk}/nominations/")
    table = page.get_by_role("table")
    table.wait_for()
    text = table.inner_text()
    # The demo sponsor's organisation (Albania) has peers 01 and 34.
    assert "peer01@demo.peerlearn.org" in text and "peer34@demo.peerlearn.org" in text
    assert "peer02@demo.peerlearn.org" not in text
    assert table.locator("tbody tr").count() == 2
    response = page.goto(
        f"/programmes/{demo55.pk}/nominations/authorise/peer02@demo.peerlearn.org/"
    )
    assert response.status == 403
    assert page.get_by_role("button", name="Authorise").count() == 0
