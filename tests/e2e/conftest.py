"""Browser tests: Playwright drives Debian's Chromium against Django's live server."""

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db: None) -> list[Any]:
    from programmes.demo import load_demo

    return load_demo(password="peerlearn-demo", peers=12)


def log_in(page: Any, email: str, password: str = "peerlearn-demo") -> None:
    """Sign in and wait until the sign-in page is left."""
    try_log_in(page, email, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page: Any) -> None:
    """Log out from the header, opening the menu first on a phone."""
    button = page.get_by_role("button", name="Log out")
    if not button.is_visible():
        page.get_by_role("button", name="Menu").click()
    with page.expect_navigation():
        button.click()


def try_log_in(page: Any, email: str, password: str) -> None:
    """Send the sign-in form and wait for the answer, whether it lets the person in or not."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def go_to(page: Any, section: str) -> None:
    """Open one of the programme's pages as a person does: its stage in the programme bar, then
    the page in the stage's own bar (a stage of one page opens it directly)."""
    page.wait_for_load_state()
    stage = page.evaluate(
        """(name) => {
          for (const item of document.querySelectorAll('.menu-stages > li')) {
            for (const link of item.querySelectorAll('ul a')) {
              if (link.textContent.trim() === name) {
                return item.querySelector('.stage-title').textContent.trim();
              }
            }
          }
          return null;
        }""",
        section,
    )
    assert stage, f"no page called {section!r} in the programme's navigation"
    stage_link = page.locator("nav.programme-bar").get_by_role("link", name=stage, exact=True)
    if not stage_link.is_visible():  # a phone: the stages are in the menu
        page.get_by_role("button", name="Menu").click()
        page.locator("nav.menu-stages-nav").get_by_role("link", name=section, exact=True).click()
        page.wait_for_load_state()
        return
    stage_link.click()
    page.wait_for_load_state()
    link = page.locator("nav.section-bar").get_by_role("link", name=section, exact=True)
    if link.count():
        link.click()
        page.wait_for_load_state()
