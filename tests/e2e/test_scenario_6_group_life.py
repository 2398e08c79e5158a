"""Scenario 6: over ten days a group meets daily, distils its problem statement and submits an
end product that the facilitator scores; the continuing-engagement survey is collected."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from evaluation.builtin import ensure_builtin_instruments
from evaluation.models import Instrument, Response, Wave
from evaluation.services import schedule_wave
from group_life.models import (
    BlindSideNote,
    EndProduct,
    GroupMeeting,
    GroupWorkspace,
    ProblemDraft,
    SubGroup,
)
from tests.e2e.conftest import go_to, log_in
from tests.group_life.e2e_world import GroupLifeWorld, build

pytestmark = [pytest.mark.e2e, pytest.mark.service]

FIRST = "Spending units commit funds before cash is released."
DISTILLED = (
    "Spending units commit funds before cash is released because commitment controls are "
    "not linked to the cash plan, so arrears build up."
)


@pytest.fixture
def group_world(transactional_db: None) -> GroupLifeWorld:
    return build()


def quadrant(page: Any, name: str) -> Any:
    heading = page.get_by_role("heading", name=name, exact=True)
    return page.locator("section.quadrant").filter(has=heading)


def _open_workspace(page: Any, world: GroupLifeWorld) -> None:
    page.goto(f"/programmes/{world.programme.pk}/")
    go_to(page, "My group")
    page.get_by_role("heading", name="Workspace of group G01").wait_for()


def test_ten_days_of_group_life(page: Any, group_world: GroupLifeWorld, tmp_path: Path) -> None:
    world = group_world
    amara, bilal, chiara = world.peers[:3]
    today = timezone.localdate()

    # Day 1: Amara opens her group from the programme page, sees why they are together and
    # sets the daily meeting; on a phone-sized screen nothing overflows.
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, amara.email)
    _open_workspace(page, world)
    main = page.inner_text("main")
    assert "payment arrears and commitment control" in main
    assert all(peer.full_name in main for peer in (amara, bilal, chiara))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_text("Add a regular meeting").click()
    page.get_by_label("How often").select_option(label="Every working day")
    page.get_by_label("Time").fill("09:00")
    page.get_by_label("From").fill((today - timedelta(days=9)).isoformat())
    page.get_by_label("Place or link").fill("Online room")
    page.get_by_role("button", name="Add the meeting slot").click()
    page.get_by_text("The meeting slot is added.").wait_for()
    assert "Every working day" in page.inner_text("main")

    # A blank draft is refused in plain words; then the first draft.
    page.get_by_label("Problem statement").fill("   ")
    page.get_by_role("button", name="Save this draft").click()
    page.get_by_text("This field is required.").wait_for()
    page.get_by_label("Problem statement").fill(FIRST)
    page.get_by_role("button", name="Save this draft").click()
    page.get_by_text("Your draft is saved.").wait_for()

    # Ten days of daily meetings, logged by whoever took notes.
    page.set_viewport_size({"width": 1200, "height": 900})
    for day in range(9, -1, -1):
        page.get_by_label("Date of the meeting").fill((today - timedelta(days=day)).isoformat())
        page.get_by_label("What we did").fill(f"Daily meeting, day {10 - day}")
        page.get_by_role("button", name="Log the meeting").click()
        page.get_by_text("The meeting is logged.").wait_for()
    assert GroupMeeting.objects.filter(group=world.group).count() == 10

    # Bilal sharpens the statement; Chiara agrees and marks it distilled. The history stays.
    page.context.clear_cookies()
    log_in(page, bilal.email)
    _open_workspace(page, world)
    page.get_by_label("Problem statement").fill(DISTILLED)
    page.get_by_role("button", name="Save this draft").click()
    page.get_by_text("Your draft is saved.").wait_for()
    page.context.clear_cookies()
    log_in(page, chiara.email)
    _open_workspace(page, world)
    history = page.locator("ol.history > li")
    assert history.count() == 2
    history.filter(has_text="arrears build up").get_by_role(
        "button", name="We agree: mark distilled"
    ).click()
    page.get_by_text("The problem statement is marked distilled.").wait_for()
    assert DISTILLED in page.locator("blockquote.distilled").inner_text()
    assert FIRST in page.locator("ol.history").inner_text()
    workspace = GroupWorkspace.objects.get(group=world.group)
    assert workspace.distilled == ProblemDraft.objects.get(text=DISTILLED)

    # The Blind Side board: Chiara adds notes and moves one without dragging (HTMX).
    page.get_by_role("link", name="Blind Side board").click()
    page.get_by_label("Quadrant").select_option(label="We know that we don't know")
    page.get_by_label("Note").fill("How other treasuries record multi-year commitments")
    page.get_by_role("button", name="Add the note").click()
    quadrant(page, "We know that we don't know").get_by_text("multi-year commitments").wait_for()
    page.get_by_label("Quadrant").select_option(label="We know that we don't know")
    page.get_by_label("Note").fill("Two of us already run a commitment register")
    page.get_by_role("button", name="Add the note").click()
    note = page.locator("li.note", has_text="commitment register")
    note.wait_for()
    note.get_by_role("combobox").select_option(label="We don't know that we know")
    note.get_by_role("button", name="Move").click()
    quadrant(page, "We don't know that we know").locator("li.note", has_text="register").wait_for()
    assert BlindSideNote.objects.get(text__contains="register").quadrant == "dont_know"
    assert "Blind Side board of group G01" in page.inner_text("h1")  # a partial swap, no reload
    page.get_by_role("link", name="Workspace of group G01").click()

    # The end product: a wrong file is refused with nothing lost, then a real one is accepted.
    fake = tmp_path / "roadmap.pdf"
    fake.write_bytes(b"this is not a pdf")
    page.get_by_label("Title").fill("Commitment control roadmap")
    page.get_by_label("Text").fill("1. Link quotas to the cash plan.")
    page.get_by_label("File").set_input_files(str(fake))
    page.get_by_role("button", name="Submit our end product").click()
    page.get_by_text("its content is not of that type").wait_for()
    assert page.get_by_label("Title").input_value() == "Commitment control roadmap"
    assert not EndProduct.objects.exists()
    real = tmp_path / "roadmap-final.pdf"
    real.write_bytes(b"%PDF-1.4\n% roadmap\n")
    page.get_by_label("File").set_input_files(str(real))
    page.get_by_role("button", name="Submit our end product").click()
    page.get_by_text("Your end product is submitted.").wait_for()
    page.get_by_role("button", name="Show our progress on the board").click()
    page.get_by_text("Your group's progress is on the board.").wait_for()

    # The facilitator sees the group's progress and scores the product with the rubric.
    page.context.clear_cookies()
    log_in(page, world.facilitator.email)
    page.goto(f"/programmes/{world.programme.pk}/")
    go_to(page, "My group")
    row = page.locator("tr", has_text="G01")
    assert "Yes" in row.inner_text() and "10" in row.inner_text()
    row.get_by_role("link", name="Group G01").click()
    page.get_by_label("New peer-driven ideas").select_option("4")
    page.get_by_label("Use of different experiences").select_option("3")
    page.get_by_label("Peer interaction").select_option("4")
    page.get_by_label("Comment").fill("Each member's treasury is in the roadmap.")
    page.get_by_role("button", name="Save the score").click()
    page.get_by_text("The rubric score is saved.").wait_for()
    product = EndProduct.objects.get(group=world.group)
    assert product.total_score == 11 and product.file.name.endswith(".pdf")

    # Both groups named payment arrears: the facilitator spins off a cross-group sub-group.
    page.goto(f"/matching/{world.programme.pk}/cross-group/")
    assert "Payment arrears" in page.inner_text("main")
    page.get_by_label("Name").fill("Arrears clinic")
    page.get_by_label("Shared problem").fill("Clearing the stock of payment arrears")
    page.get_by_label("Group G01").check()
    page.get_by_role("button", name="Spin off the sub-group").click()
    page.get_by_text("Choose at least two groups").wait_for()
    assert page.get_by_label("Name").input_value() == "Arrears clinic"
    assert page.get_by_label("Group G01").is_checked()
    page.get_by_label("Group G02").check()
    page.get_by_role("button", name="Spin off the sub-group").click()
    page.get_by_text("The sub-group is spun off.").wait_for()
    assert SubGroup.objects.get().members.count() == 5

    # The sponsor sees the progress board: steps, not content.
    page.context.clear_cookies()
    log_in(page, world.sponsor.email)
    page.goto(f"/programmes/{world.programme.pk}/")
    go_to(page, "Progress board")
    board = page.inner_text("main")
    assert "Group G01" in board and "Group G02" not in board
    assert DISTILLED not in board and "roadmap" not in board.lower()

    # The continuing-engagement survey is collected from the group.
    ensure_builtin_instruments()
    wave = schedule_wave(
        programme=world.programme,
        instrument=Instrument.objects.get(family="continuing-engagement", is_current=True),
        kind=Wave.Kind.END_OF_EVENT,
        cohort=world.cohort,
        opens_on=today - timedelta(days=1),
        due_on=today + timedelta(days=7),
        closes_on=today + timedelta(days=14),
    )
    for peer in (amara, bilal, chiara):
        page.context.clear_cookies()
        log_in(page, peer.email)
        page.goto(f"/programmes/{world.programme.pk}/")
        go_to(page, "Surveys and stories")
        page.get_by_role("link", name=f"Answer {wave.title}").click()
        questions = page.locator("fieldset", has_text="5 ·")
        for index in range(questions.count()):
            questions.nth(index).get_by_label("5 ·", exact=False).check()
        page.get_by_role("button", name="Submit my answers").click()
        page.get_by_text("Thank you: your answers are submitted.").wait_for()
    submitted = Response.objects.filter(wave=wave, status=Response.Status.SUBMITTED)
    assert {r.respondent_id for r in submitted} == {amara.pk, bilal.pk, chiara.pk}
