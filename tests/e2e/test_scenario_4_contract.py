"""Scenario 4 (contract half): each peer signs the commitment contract. A newly invited peer
joins by the emailed link, meets the trust charter, signs on a phone; their sponsor countersigns
and the facilitator sees it on the overview."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from programmes import services
from programmes.models import ContractSignature, Membership, Organisation, Programme
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]


def test_new_peer_meets_the_charter_signs_and_is_countersigned(
    browser: Any, live_server: Any, page: Any, demo: Any
) -> None:
    programme = Programme.objects.get(name__endswith="(demo)")
    sponsor_organisation = Organisation.objects.get(
        memberships__programme=programme, memberships__role="sponsor"
    )
    facilitator = Membership.objects.get(programme=programme, role="facilitator").user
    mail.outbox.clear()
    services.invite_person(
        programme=programme,
        invited_by=facilitator,
        email="new.peer@example.org",
        full_name="Nadia Rusu",
        organisation=sponsor_organisation,
        cohort=programme.cohorts.get(),
    )
    match = re.search(r"https?://[^/\s]+(/invitations/\S+/)", mail.outbox[-1].body)
    assert match

    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="en-GB"
    )
    phone.set_default_timeout(15_000)
    peer = phone.new_page()
    peer.goto(match.group(1))
    peer.get_by_label("Choose a password").fill("nadia-reform-2026")
    peer.get_by_label("Repeat the password").fill("nadia-reform-2026")
    peer.get_by_role("button", name="Join the programme").click()
    peer.get_by_role("heading", name="Welcome. Our trust charter").wait_for()
    charter = peer.locator("section", has=peer.get_by_role("heading", name="Welcome."))
    for behaviour in (
        "Talk straight",
        "Create transparency",
        "Clarify expectations",
        "Practise accountability",
        "Keep commitments",
    ):
        assert behaviour in charter.inner_text()
    peer.get_by_role("button", name="I will keep to these behaviours").click()
    # Back on the programme's home, the contract is one of the next steps.
    step = peer.locator("li.next-step", has_text="Sign the commitment contract")
    step.get_by_role("link", name=re.compile(r"^Read and sign")).click()
    peer.get_by_role("heading", name="Commitment contract").wait_for()
    for clause in (
        "Working together",
        "Attending peer meetings",
        "Communicating regularly",
        "Applying lessons at home",
        "Sharing forward",
    ):
        peer.get_by_text(clause).first.wait_for()
    peer.get_by_role("button", name="Sign the contract").click()
    peer.get_by_text("This field is required").wait_for()  # no name typed: not signed
    assert not ContractSignature.objects.filter(membership__user__email="new.peer@example.org")
    peer.get_by_label("Type your full name to sign").fill("Nadia Rusu")
    peer.get_by_label("I also commit to sharing forward").check()
    peer.get_by_role("button", name="Sign the contract").click()
    peer.get_by_text("the contract is signed").wait_for()
    peer.get_by_text("Signed by Nadia Rusu on").wait_for()
    assert peer.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()

    signature = ContractSignature.objects.get(membership__user__email="new.peer@example.org")
    assert signature.shares_forward and signature.signed_name == "Nadia Rusu"

    log_in(page, "sponsor@demo.peerlearn.org")
    page.goto(f"/programmes/{programme.pk}/contract/")
    page.get_by_role("link", name="Countersign Nadia Rusu").click()
    page.get_by_label("Type your full name to countersign").fill("Sami Sponsor")
    page.get_by_role("button", name="Countersign").click()
    page.get_by_text("The contract is countersigned.").wait_for()
    signature.refresh_from_db()
    assert signature.countersigned_name == "Sami Sponsor"

    page.get_by_role("button", name="Log out").click()
    log_in(page, "facilitator@demo.peerlearn.org")
    page.goto(f"/programmes/{programme.pk}/overview/")
    row = page.locator("tbody tr", has_text="new.peer@example.org")
    assert row.get_attribute("data-status") == "contract"
