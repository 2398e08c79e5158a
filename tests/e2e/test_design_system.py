"""The layout and the pages drawn with the design system, as people see them in Chromium: each
role's home and the pages of its first steps pass axe-core (WCAG 2.1 AA), fit a 360 px phone,
weigh under 200 KB and carry a favicon; the menu folds on a phone; a new peer is led to the
intake; right to left nothing sticks out."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from matching.selectors import my_group
from peerlearn.users.models import User
from programmes.demo import DEMO_PROGRAMME
from programmes.models import Programme
from programmes.selectors import invitation_token
from programmes.services import invite_person
from tests.e2e.a11y import audit
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def full_demo(transactional_db: None) -> Programme:
    """The demo as ``make run`` loads it (every stage: groups, surveys, diffusion), smaller."""
    call_command("load_demo", peers=12, stdout=StringIO())
    return Programme.objects.get(name=DEMO_PROGRAMME)


def open_as(browser: Any, live_server: Any, email: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    context.set_default_timeout(20_000)
    page = context.new_page()
    log_in(page, email)
    page.wait_for_url(re.compile(r"/$"))
    return page


def board_of(email: str, programme: Programme) -> str:
    group = my_group(User.objects.get(email=email), programme)
    assert group is not None
    return reverse("group_life:blind_side", args=[programme.pk, group.pk])


def pages_of(role: str, programme: Programme) -> list[str]:
    pk = programme.pk
    home = programme.get_absolute_url()
    return {
        "peer": [
            home,
            reverse("matching:intake", args=[pk]),
            reverse("matching:my_group", args=[pk]),
            reverse("programmes:my_objectives", args=[pk]),
            board_of("peer01@demo.peerlearn.org", programme),
        ],
        "facilitator": [
            "/",
            home,
            reverse("programmes:setup", args=[pk]),
            reverse("programmes:objectives", args=[pk]),
        ],
        "manager": [home, reverse("evaluation:dashboard", args=[pk])],
        "sponsor": [home],
    }[role]


def test_each_roles_pages_pass_the_checks_on_a_phone_and_a_desktop(
    browser: Any, live_server: Any, full_demo: Programme
) -> None:
    problems = []
    for viewport in (PHONE, DESKTOP):
        for role in ("peer", "facilitator", "manager", "sponsor"):
            email = "peer01@demo.peerlearn.org" if role == "peer" else f"{role}@demo.peerlearn.org"
            page = open_as(browser, live_server, email, viewport)
            for path in pages_of(role, full_demo):
                response = page.goto(path)
                assert response is not None and response.status == 200, (role, path)
                report = audit(page)
                if report.problems:
                    problems.append(str(report))
            page.context.close()
    assert problems == [], "\n".join(problems)

    # The Blind Side board's move drop-downs stay inside their quadrant, on both screens.
    board = board_of("peer01@demo.peerlearn.org", full_demo)
    for viewport in (PHONE, DESKTOP):
        page = open_as(browser, live_server, "peer01@demo.peerlearn.org", viewport)
        page.goto(board)
        selects = page.locator(".quadrant select")
        assert selects.count() >= 1
        for index in range(selects.count()):
            select = selects.nth(index)
            quadrant = select.locator("xpath=ancestor::section[contains(@class, 'quadrant')]")
            inner, outer = select.bounding_box(), quadrant.bounding_box()
            assert inner is not None and outer is not None
            right, limit = inner["x"] + inner["width"], outer["x"] + outer["width"]
            assert inner["x"] >= outer["x"] and right <= limit, (viewport, inner, outer)
        page.context.close()


def test_navigation_on_a_phone_a_desktop_without_scripts_and_right_to_left(
    browser: Any, live_server: Any, demo: Any
) -> None:
    menu_folds_on_a_phone_and_opens_with_its_button(browser, live_server)
    without_scripts_the_phone_menu_is_a_plain_list(browser, live_server)
    right_to_left_nothing_sticks_out_of_a_phone(browser, live_server)


def menu_folds_on_a_phone_and_opens_with_its_button(browser: Any, live_server: Any) -> None:
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    page = open_as(browser, live_server, "facilitator@demo.peerlearn.org", PHONE)
    page.goto(reverse("evaluation:dashboard", args=[programme.pk]))
    button = page.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-expanded") == "false"
    dashboard_link = page.get_by_role("link", name="Evaluation dashboard", exact=True)
    assert not dashboard_link.is_visible()
    header = page.locator("header.site-header").bounding_box()
    programme_bar = page.locator("nav.programme-bar").bounding_box()
    assert header is not None and programme_bar is not None
    assert header["height"] + programme_bar["height"] <= 130
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert dashboard_link.is_visible()
    assert dashboard_link.get_attribute("aria-current") == "page"
    current_stage = page.locator(".menu-stages .stage-title[aria-current]")
    assert current_stage.inner_text().strip().lower() == "evaluation"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    page.context.close()

    # On a desktop there is no menu button: the stages are in a row, the current one marked.
    page = open_as(browser, live_server, "facilitator@demo.peerlearn.org", DESKTOP)
    page.goto(reverse("evaluation:dashboard", args=[programme.pk]))
    assert not page.get_by_role("button", name="Menu").is_visible()
    stage = page.locator("nav.programme-bar .stage a[aria-current]")
    assert stage.inner_text() == "Evaluation"
    assert page.locator("nav.section-bar a[aria-current=page]").inner_text() == (
        "Evaluation dashboard"
    )
    page.context.close()


def without_scripts_the_phone_menu_is_a_plain_list(browser: Any, live_server: Any) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, "peer01@demo.peerlearn.org")
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name=DEMO_PROGRAMME).first.click()
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("link", name="My group").is_visible()
    assert page.get_by_role("button", name="Change").is_visible()
    context.close()


def right_to_left_nothing_sticks_out_of_a_phone(browser: Any, live_server: Any) -> None:
    page = open_as(browser, live_server, "peer01@demo.peerlearn.org", PHONE)
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    for path in ("/", programme.get_absolute_url()):
        page.goto(path)
        page.evaluate("document.documentElement.dir = 'rtl'")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
        assert '"left":-' not in box, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.context.close()


def test_a_new_peer_is_led_from_the_invitation_to_the_intake(
    browser: Any, live_server: Any, demo: Any
) -> None:
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    mail.outbox.clear()
    invitation = invite_person(
        programme=programme,
        invited_by=None,
        email="new.peer@example.org",
        full_name="Nadia New",
        cohort=programme.cohorts.get(),
        organisation=None,
    )
    assert "intake survey" in mail.outbox[-1].body
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(reverse("invitation_accept", args=[invitation_token(invitation)]))
    page.get_by_label("Choose a password").fill("password")
    page.get_by_label("Repeat the password").fill("passw0rd")
    page.get_by_role("button", name="Join the programme").click()
    # Every reason the password is refused, not only that the two copies differ.
    page.get_by_text("This password is too common.").wait_for()
    assert page.get_by_text("The two passwords differ.").is_visible()
    page.get_by_label("Choose a password").fill("a long and unusual phrase 42")
    page.get_by_label("Repeat the password").fill("a long and unusual phrase 42")
    page.get_by_role("button", name="Join the programme").click()
    page.get_by_role("heading", name=DEMO_PROGRAMME).wait_for()
    page.get_by_role("button", name="I will keep to these behaviours").click()
    steps = page.locator("ol.next-steps > li")
    steps.first.wait_for()
    assert "intake survey" in steps.first.inner_text().lower()
    steps.first.get_by_role("link").click()
    page.get_by_role("heading", name="Intake survey").wait_for()
    assert page.url.endswith(reverse("matching:intake", args=[programme.pk]))
    context.close()


def test_the_audit_finds_what_it_looks_for(browser: Any) -> None:
    """The checks are not blind: a page with a serious violation, sideways scrolling and no
    favicon fails each of them."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(
        '<html lang="en"><head><title>Bad</title></head><body><main>'
        '<p class="x">Light grey on white</p><img src="data:," width="10" height="10">'
        '<div class="wide">wide</div></main></body></html>'
    )
    page.add_style_tag(content=".x { color: #ddd } .wide { width: 900px }")
    problems = " ".join(audit(page, weight=False).problems)
    assert "color-contrast" in problems
    assert "image-alt" in problems
    assert "px wide" in problems
    assert "no favicon" in problems
    context.close()
