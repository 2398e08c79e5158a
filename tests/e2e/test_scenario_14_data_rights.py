"""Scenario 14: a peer downloads everything held about them; after their erasure their name
appears nowhere in pages, API or exports, and the dashboard's counts are unchanged."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from group_life.models import ReflectionEntry
from peerlearn.users.models import ErasureRequest
from programmes.models import Invitation
from tests.e2e.a11y import audit
from tests.e2e.conftest import log_in, try_log_in
from tests.group_life.e2e_world import GroupLifeWorld, build

pytestmark = [pytest.mark.e2e, pytest.mark.service]

SHARED = "Publishing the arrears stock each month made the ministries clear it."


@pytest.fixture
def group_world(transactional_db: None) -> GroupLifeWorld:
    return build()


def _figures(page: Any, programme_id: int) -> dict[str, Any]:
    """The dashboard's counts: the hourglass, the value cycles and every tier indicator."""
    page.goto(f"/evaluation/programmes/{programme_id}/dashboard/")
    return {
        "hourglass": page.locator("#funnel-heading ~ * text.value").all_text_contents(),
        "cycles": page.locator("#cycles-heading ~ * text.value").all_text_contents(),
        "tiers": page.locator("section[aria-labelledby=tiers-heading] td").all_inner_texts(),
    }


def _pages(programme_id: int, group_id: int) -> list[str]:
    return [
        f"/programmes/{programme_id}/",
        f"/programmes/{programme_id}/overview/",
        f"/programmes/{programme_id}/organisations/",
        f"/programmes/{programme_id}/nominations/",
        f"/programmes/{programme_id}/contacts/",
        f"/matching/{programme_id}/groups/{group_id}/workspace/",
        f"/matching/{programme_id}/pairs/",
        f"/matching/{programme_id}/progress-board/",
        f"/evaluation/programmes/{programme_id}/journal/",
        f"/evaluation/programmes/{programme_id}/dashboard/",
        f"/diffusion/programmes/{programme_id}/",
        f"/diffusion/programmes/{programme_id}/graph/",
        "/account/erasure-requests/",
    ]


def _api(programme_id: int) -> list[str]:
    return [
        f"/api/v1/programmes/{programme_id}/members/",
        "/api/v1/enrolments/",
        "/api/v1/contacts/",
        "/api/v1/evaluation/reflections/",
        "/api/v1/matching/pairs/",
        "/api/v1/matching/groups/",
        "/api/v1/evaluation/responses/",
    ]


def _exports(programme_id: int) -> list[str]:
    return [
        f"/evaluation/programmes/{programme_id}/export/{what}.csv"
        for what in ("responses", "indicators")
    ]


def test_a_peer_downloads_their_data_then_is_erased_everywhere(
    page: Any, group_world: GroupLifeWorld
) -> None:
    w = group_world
    amara, bilal = w.peers[0], w.peers[1]
    name, email = amara.full_name, amara.email
    Invitation.objects.create(
        programme=w.programme, email=email, full_name=name, accepted_by=amara, status="accepted"
    )

    # Amara logs a contact with Bilal and writes a reflection for her group.
    log_in(page, email)
    page.goto(f"/programmes/{w.programme.pk}/contacts/")
    page.get_by_label("With whom").select_option(label=str(bilal))
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("How").select_option("call")
    page.get_by_label("About what").fill("Arrears registers")
    page.get_by_role("button", name="Log the contact").click()
    page.get_by_text("The contact is logged.").wait_for()
    page.goto(f"/evaluation/programmes/{w.programme.pk}/journal/")
    page.get_by_label("What I learned").fill(SHARED)
    page.get_by_label("Who may read it").select_option("group")
    page.get_by_role("button", name="Save the entry").click()
    page.get_by_text("Your reflection is saved.").wait_for()

    # She downloads everything held about her from her account page and finds the reflection.
    page.get_by_role("link", name="My account").click()
    report = audit(page)
    assert not report.problems, str(report)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    reflections = json.loads(archive.read("group_life/ReflectionEntry.json"))
    assert [r["learned"] for r in reflections] == [SHARED]
    assert SHARED in archive.read("group_life/ReflectionEntry.csv").decode()
    assert json.loads(archive.read("users/User.json"))[0]["full_name"] == name
    assert "Arrears registers" in archive.read("programmes/Contact.csv").decode()

    # She asks to erase her account.
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Ask to erase my account").click()
    page.get_by_text("Your request is sent").wait_for()

    # The facilitator reads the dashboard, then confirms the erasure.
    page.context.clear_cookies()
    log_in(page, w.facilitator.email)
    before = _figures(page, w.programme.pk)
    assert any(value != "0" for value in before["hourglass"])
    page.goto("/account/erasure-requests/")
    page.get_by_role("button", name=f"Erase the account of {name}").click()
    page.get_by_text("The account is erased.").wait_for()
    assert ErasureRequest.objects.get().status == "done"
    assert ReflectionEntry.objects.filter(author=amara).count() == 1

    # Her name and address appear nowhere: pages, API and exports, for staff and group mates.
    assert _figures(page, w.programme.pk) == before
    group_id = w.group.pk
    for viewer in (w.facilitator, bilal):
        page.context.clear_cookies()
        log_in(page, viewer.email)
        read = 0
        for url in (
            _pages(w.programme.pk, group_id) + _api(w.programme.pk) + _exports(w.programme.pk)
        ):
            response = page.request.get(url)
            if response.status == 404 or response.status == 403:
                continue
            assert response.status == 200, (url, response.status)
            body = response.text()
            assert name not in body, (viewer.email, url)
            assert email not in body, (viewer.email, url)
            assert SHARED not in body, (viewer.email, url)
            read += 1
        assert read >= (20 if viewer == w.facilitator else 10), read
    page.goto(f"/matching/{w.programme.pk}/groups/{group_id}/workspace/")
    assert "Former participant" in page.content()

    # She can no longer sign in.
    page.context.clear_cookies()
    try_log_in(page, email, "peerlearn-demo")
    assert "/accounts/login/" in page.url
