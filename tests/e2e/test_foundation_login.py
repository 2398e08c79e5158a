"""Log in as the demo facilitator in a real browser and see the demo programme."""

from typing import Any

import pytest

from programmes.demo import DEMO_PROGRAMME
from tests.e2e.conftest import log_in, try_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]


def test_demo_facilitator_logs_in_and_opens_the_demo_programme(page: Any, demo: Any) -> None:
    log_in(page, "facilitator@demo.peerlearn.org")
    link = page.get_by_role("link", name=DEMO_PROGRAMME, exact=True)
    link.wait_for()
    link.click()
    page.get_by_role("heading", name=DEMO_PROGRAMME).wait_for()
    assert page.get_by_role("link", name="Invite someone").is_visible()
    assert page.get_by_role("heading", name="Next steps by stage").is_visible()


def test_wrong_password_is_refused_with_a_message(page: Any, demo: Any) -> None:
    try_log_in(page, "facilitator@demo.peerlearn.org", "not-the-password")
    assert "are not correct" in page.content()
    assert page.url.endswith("/accounts/login/")


def test_layout_fits_a_360px_phone_and_keyboard_focus_is_visible(
    browser: Any, live_server: Any, demo: Any
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, "peer01@demo.peerlearn.org")
    page.get_by_role("link", name=DEMO_PROGRAMME, exact=True).click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page scrolls sideways: {width}px"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    context.close()


def test_language_switcher_shows_french(page: Any, demo: Any) -> None:
    page.goto("/")
    # Choosing a language changes it: there is no separate button to press.
    assert not page.get_by_role("button", name="Change").is_visible()
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("banner").get_by_role("link", name="Se connecter").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
