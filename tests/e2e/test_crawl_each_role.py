"""Each role's pages of the demo, found the way a person finds them: from the role's home, links
followed breadth-first (up to 25 pages a role), each page checked at 360 px and 1280 px with
axe-core (no serious or critical WCAG 2.1 AA violation), for sideways scrolling on a phone, page
weight and HTML size (200 KB), height at 1280 px (12,000 px) and a favicon.

The demo is loaded as ``make run`` loads it, with fewer peers unless ``PEERLEARN_CRAWL_PEERS``
says otherwise. The figures of each role are printed (run with ``-s`` to see them)."""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass, field
from io import StringIO
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from programmes.demo import DEMO_DOMAIN, DEMO_PROGRAMME
from programmes.models import Programme
from tests.e2e.a11y import MAX_HEIGHT_PX, MAX_WEIGHT_BYTES, audit, page_weight
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]

PAGES_PER_ROLE = 25
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ROLES = {
    "facilitator": f"facilitator@{DEMO_DOMAIN}",
    "manager": f"manager@{DEMO_DOMAIN}",
    "sponsor": f"sponsor@{DEMO_DOMAIN}",
    "peer": f"peer01@{DEMO_DOMAIN}",
}
# Not pages of the programme: signing out, accounts, the admin, the API, switching language,
# files, and links that act when followed by email (unsubscribing).
SKIPPED = re.compile(
    r"^/(accounts|admin|api|i18n|static|media|styleguide)/|/unsubscribe/|\.(ics|csv|xlsx|pdf)$"
    r"|/export"
)


@dataclass
class Figures:
    role: str
    pages: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    tallest: tuple[int, str] = (0, "")
    heaviest: tuple[int, str] = (0, "")
    largest_html: tuple[int, str] = (0, "")
    widest_phone: tuple[int, str] = (0, "")
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.role}: {len(self.pages)} pages at 360 and 1280 px; "
            f"tallest at 1280 px {self.tallest[0]} px ({self.tallest[1]}); "
            f"heaviest {self.heaviest[0] / 1024:.1f} KB ({self.heaviest[1]}); "
            f"largest HTML {self.largest_html[0] / 1024:.1f} KB ({self.largest_html[1]}); "
            f"widest at 360 px {self.widest_phone[0]} px ({self.widest_phone[1]}); "
            f"problems {len(self.problems)}; skipped {len(self.skipped)}"
        )


@pytest.fixture
def crawl_demo(transactional_db: None) -> Programme:
    peers = int(os.environ.get("PEERLEARN_CRAWL_PEERS", "16"))
    call_command("load_demo", peers=peers, stdout=StringIO())
    return Programme.objects.get(name=DEMO_PROGRAMME)


def open_as(browser: Any, live_server: Any, email: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    context.set_default_timeout(30_000)
    page = context.new_page()
    log_in(page, email)
    page.wait_for_url(re.compile(r"/$"))
    return page


def links_on(page: Any, origin: str) -> list[str]:
    """Paths of the page's links to this site, in the order they appear."""
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    paths = []
    for href in hrefs:
        url, _ = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIPPED.search(parts.path):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def is_page(page: Any, path: str, figures: Figures) -> bool | str:
    """Whether the link leads to a page (not a download or a form's target), or the path it
    redirects to; a link that leads to an error is a problem."""
    response = page.request.get(path, max_redirects=0)
    kind = response.headers.get("content-type", "")
    if response.status == 405:
        figures.skipped[path] = "answers GET with 405"
        return False
    if 300 <= response.status < 400:
        figures.skipped[path] = f"redirects ({response.status}) to {response.headers['location']}"
        return str(response.headers["location"])
    if response.status != 200:
        figures.problems.append(f"{path}: a link on the role's pages answers {response.status}")
        return False
    if "text/html" not in kind or "attachment" in response.headers.get("content-disposition", ""):
        figures.skipped[path] = f"a file ({kind})"
        return False
    return True


def crawl(page: Any, start: list[str], figures: Figures) -> None:
    """Breadth-first from the role's homes, checking each page at the page's width."""
    origin = page.evaluate("location.origin")
    seen = set(start)
    queue = deque(start)
    while queue and len(figures.pages) < PAGES_PER_ROLE:
        path = queue.popleft()
        answer = is_page(page, path, figures)
        if isinstance(answer, str):
            target = urlsplit(answer)
            inside = target.netloc in ("", urlsplit(origin).netloc)
            if inside and target.path not in seen and not SKIPPED.search(target.path):
                seen.add(target.path)
                queue.appendleft(target.path + (f"?{target.query}" if target.query else ""))
            continue
        if not answer:
            continue
        page.goto(path)
        figures.pages.append(path)
        check(page, path, figures)
        for link in links_on(page, origin):
            key = link.split("?", 1)[0]
            if key not in seen:
                seen.add(key)
                queue.append(link)


def check(page: Any, path: str, figures: Figures) -> None:
    width = int(page.viewport_size["width"])
    report = audit(page)
    figures.problems.extend(f"{path} at {width}px: {problem}" for problem in report.problems)
    weight = page_weight(page)
    html = int(page.evaluate("performance.getEntriesByType('navigation')[0].decodedBodySize || 0"))
    if html > MAX_WEIGHT_BYTES:
        figures.problems.append(f"{path} at {width}px: the HTML is {html // 1024} KB")
    figures.heaviest = max(figures.heaviest, (weight, path))
    figures.largest_html = max(figures.largest_html, (html, path))
    if width >= 1280:
        height = int(page.evaluate("document.documentElement.scrollHeight"))
        figures.tallest = max(figures.tallest, (height, path))
    else:
        scroll_width = int(page.evaluate("document.documentElement.scrollWidth"))
        figures.widest_phone = max(figures.widest_phone, (scroll_width, path))


@pytest.mark.parametrize("role", list(ROLES))
def test_a_crawl_of_each_roles_pages_passes_the_checks(
    browser: Any, live_server: Any, crawl_demo: Programme, role: str
) -> None:
    home = crawl_demo.get_absolute_url()
    figures = Figures(role=role)
    page = open_as(browser, live_server, ROLES[role], DESKTOP)
    crawl(page, ["/", home], figures)
    page.context.close()

    # The same pages on a phone.
    page = open_as(browser, live_server, ROLES[role], PHONE)
    for path in figures.pages:
        page.goto(path)
        check(page, path, figures)
    page.context.close()

    print(f"\n{figures}")
    for path, reason in figures.skipped.items():
        print(f"  skipped {path}: {reason}")
    # A role that reaches fewer pages than the crawl allows has no more to reach.
    assert len(figures.pages) >= {"facilitator": 20, "manager": 8, "sponsor": 4, "peer": 8}[role]
    assert figures.tallest[0] <= MAX_HEIGHT_PX
    assert figures.problems == [], "\n".join(figures.problems)
