"""Part of setting a programme up: the facilitator schedules a ten-day event (daily) and a monthly
meeting, takes attendance on a phone (HTMX toggles), and an attendee downloads a certificate."""

from __future__ import annotations

import re
from typing import Any

import pytest

from programmes.models import Activity, Attendance, Programme
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]


def field(scope: Any, label: str) -> Any:
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def test_schedule_recurring_activities_and_take_attendance_on_a_phone(
    browser: Any, live_server: Any, page: Any, demo: Any
) -> None:
    programme = Programme.objects.get(name__endswith="(demo)")
    before = Activity.objects.filter(programme=programme).count()
    log_in(page, "facilitator@demo.peerlearn.org")
    page.goto(f"/programmes/{programme.pk}/activities/")
    page.get_by_role("link", name="Schedule an activity").click()
    page.get_by_label("Kind").select_option(label="Small-group meeting")
    field(page, "Title").fill("Monthly group meeting")
    page.get_by_label("Starts at").fill("2026-04-15T10:00")
    page.get_by_label("Ends at").fill("2026-04-15T11:00")
    page.get_by_label("Repeats").select_option(label="Monthly")
    page.get_by_label("How many times").fill("5")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("5 activities scheduled.").wait_for()
    monthly = Activity.objects.filter(programme=programme, title__startswith="Monthly group")
    assert [a.starts_at.month for a in monthly.order_by("starts_at")] == [4, 5, 6, 7, 8]

    page.get_by_role("link", name="Schedule an activity").click()
    page.get_by_label("Kind").select_option(label="Training session")
    field(page, "Title").fill("Training on accrual budgeting")
    page.get_by_label("Starts at").fill("2026-05-04T09:00")
    page.get_by_label("Ends at").fill("2026-05-04T12:00")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("1 activity scheduled.").wait_for()
    assert Activity.objects.filter(programme=programme).count() == before + 6
    training = Activity.objects.get(title="Training on accrual budgeting")

    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="en-GB"
    )
    phone.set_default_timeout(15_000)
    mobile = phone.new_page()
    log_in(mobile, "facilitator@demo.peerlearn.org")
    mobile.goto(training.get_absolute_url())
    mobile.get_by_role("heading", name="Attendance").wait_for()
    first = mobile.locator("li.attendance-row").first
    first.get_by_role("button").click()
    first_after = mobile.locator("li.attendance-row").first
    first_after.get_by_text("present").wait_for()
    assert first_after.get_by_role("button").get_attribute("aria-pressed") == "true"
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()
    attendance = Attendance.objects.get(activity=training, present=True)

    page.get_by_role("button", name="Log out").click()
    log_in(page, attendance.membership.user.email)
    page.goto(training.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
