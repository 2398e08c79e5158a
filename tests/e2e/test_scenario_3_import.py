"""Scenario 3: the facilitator imports 55 peers from a CSV; a file with bad rows is refused with
every bad row named, and nothing is half-imported. Invitations go out by email."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from peerlearn.roles import Role
from programmes.models import Invitation, Programme
from tests.e2e.conftest import go_to, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]

DATA = Path(__file__).resolve().parent.parent / "programmes" / "data"


def test_facilitator_imports_55_peers_after_a_refused_file(page: Any, demo: Any) -> None:
    programme = Programme.objects.get(name__endswith="(demo)")
    programme.cohorts.create(name="Cohort A")  # the file puts 30 peers in it
    invited_before = Invitation.objects.filter(programme=programme).count()
    mail.outbox.clear()
    log_in(page, "facilitator@demo.peerlearn.org")
    page.goto(programme.get_absolute_url())
    go_to(page, "Overview")
    page.get_by_role("link", name="Import peers").click()

    page.get_by_label("CSV or Excel file").set_input_files(str(DATA / "peers_bad_rows.csv"))
    page.get_by_role("button", name="Check the file").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    text = alert.inner_text()
    assert "The file is refused: 8 problems" in text
    for line in (2, 3, 5, 6, 7, 8, 9, 10):
        assert f"Line {line}:" in text
    assert "Line 4:" not in text
    assert "the email address is missing" in text
    assert "the country “Atlantis” is not known" in text
    assert "already on line 4 of this file" in text
    assert page.get_by_role("button", name=re.compile("^Import")).count() == 0
    assert Invitation.objects.filter(programme=programme).count() == invited_before
    assert not mail.outbox

    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("CSV or Excel file").set_input_files(str(DATA / "peers_55_good.csv"))
    page.get_by_label("Create organisations that do not exist yet").check()
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("55 new peers will be invited by email").wait_for()
    assert page.locator("table tbody tr").count() == 55
    assert Invitation.objects.filter(programme=programme).count() == invited_before  # preview
    page.get_by_role("button", name="Import 55 peers").click()
    page.get_by_text("Imported: 55 invitations sent").wait_for()

    invitations = Invitation.objects.filter(
        programme=programme, role=Role.PEER, email__endswith="@treasury-network.example.org"
    )
    assert invitations.count() == 55
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in invitations)
    # The overview lists them a page at a time; its flag counts them all.
    rows = page.locator("tbody tr[data-status=invited]")
    assert rows.count() > 0
    flag = page.locator("li.flag[data-code=peers-not-joined]")
    assert "55 invited peers have not joined yet" in flag.inner_text()

    # The same file again updates instead of duplicating, and sends nothing.
    mail.outbox.clear()
    page.get_by_role("link", name="Import peers").click()
    page.get_by_label("CSV or Excel file").set_input_files(str(DATA / "peers_55_good.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("55 peers already in the programme will be updated").wait_for()
    page.get_by_role("button", name="Import 55 peers").click()
    page.get_by_text("55 peers updated").wait_for()
    assert invitations.count() == 55
    assert not mail.outbox
