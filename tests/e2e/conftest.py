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
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
