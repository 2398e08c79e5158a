"""The pages each role reaches from its home cost the same number of SQL queries whatever the
size of the programme: a page that reads one more row per peer (an N+1) fails here.

The demo programme is written in bulk (``load_demo --peers N``) at two sizes, one after the
other in the same test (the first is rolled back); each role follows the links of its home page
and every page it reaches is fetched twice (cold cache, then warm), counting queries. Pages
(HTML) stay within ``MOST_QUERIES``; downloads (a person's own data as a ZIP, exports) may cost
more, but never more as the programme grows.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from peerlearn.users.models import User

pytestmark = pytest.mark.django_db

DOMAIN = "demo.peerlearn.org"
ROLES = {
    "facilitator": f"facilitator@{DOMAIN}",
    "manager": f"manager@{DOMAIN}",
    "sponsor": f"sponsor@{DOMAIN}",
    "peer": f"peer01@{DOMAIN}",
}
SMALL, LARGE = 60, 150
PAGES_PER_ROLE = 25
MOST_QUERIES = 40
# Pages may differ by a query or two between sizes (a flag raised in one and not the other);
# a page that reads per row differs by at least the ninety peers added.
SLACK = 4
# Views measured elsewhere (none: the themes page and the run review are held here too).
OWN_BENCHMARK: set[str] = set()
SKIP = ("/static/", "/media/", "/admin/", "/accounts/", "/i18n/", "/api/v1/docs/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def _view(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        if href.startswith("/") and not href.startswith(SKIP):
            found.append(href)
    return found


def _crawl(email: str) -> dict[str, tuple[int, int, str, bool]]:
    """``{view name: (cold queries, warm queries, url, is HTML)}`` of the first page of each
    view the person reaches from the home page."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    cache.clear()
    queue, seen = deque(["/"]), {"/"}
    counted: dict[str, tuple[int, int, str, bool]] = {}
    while queue and len(counted) < PAGES_PER_ROLE:
        url = queue.popleft()
        view = _view(url)
        if view is None or view in counted or view in OWN_BENCHMARK:
            continue
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        html = response["Content-Type"].startswith("text/html")
        counted[view] = (len(cold.captured_queries), len(warm.captured_queries), url, html)
        if response.status_code == 200 and html:
            for link in _links(response.content.decode()):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return counted


def _measure(peers: int) -> dict[str, dict[str, tuple[int, int, str, bool]]]:
    call_command("load_demo", peers=peers, password="peerlearn-demo", stdout=StringIO())
    return {role: _crawl(email) for role, email in ROLES.items()}


def test_pages_cost_the_same_queries_at_two_sizes() -> None:
    with transaction.atomic():
        small = _measure(SMALL)
        transaction.set_rollback(True)
    large = _measure(LARGE)
    grown, heavy = [], []
    for role, pages in large.items():
        assert len(pages) >= 10, f"{role} reached only {sorted(pages)}"
        for view, (cold, warm, url, html) in pages.items():
            if view in small[role]:
                small_cold, small_warm, _url, _html = small[role][view]
                if cold > small_cold + SLACK or warm > small_warm + SLACK:
                    grown.append(f"{role} {url}: {small_cold}/{small_warm} -> {cold}/{warm}")
            if html and warm > MOST_QUERIES:
                heavy.append(f"{role} {url}: {warm} queries")
    common = sum(len(set(large[role]) & set(small[role])) for role in ROLES)
    assert common >= 30, "the two sizes reached too few pages in common"
    assert not grown, "queries grow with the programme:\n" + "\n".join(grown)
    assert not heavy, f"more than {MOST_QUERIES} queries:\n" + "\n".join(heavy)
