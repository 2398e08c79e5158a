"""Crawl every page each role reaches from its home, and measure each one.

    .venv/bin/python manage.py load_demo --peers 5000        # once, into DATABASE_URL
    .venv/bin/python benchmarks/crawl.py                     # SQLite file in db.sqlite3
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/crawl.py --per-role 40

For the facilitator, the programme manager, the sponsor and the first peer of the demo
programme, starting at the home page, follows the links of each page (breadth first, GET only,
this site only) until ``--per-role`` pages are measured; at most ``--per-view`` pages of one
view (``/groups/<id>/`` of many groups counts once per group, up to that cap), so the crawl
covers the site rather than one list. Each page is fetched through Django's test client in this
process, logged in as the role: SQL queries, milliseconds and bytes of the response. The cache
is cleared first, so every page is measured the first time anyone opens it (``cold``) and
again right after (``warm``). Then the API's list endpoints, as each role.

Pages that do not meet the budget (``--queries``, ``--ms``, ``--kb``) are listed at the end,
worst first. Pages whose view is named in ``ELSEWHERE`` are measured and listed but kept out of
the verdict (their work is tracked elsewhere).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
# Refused pages (403, 404) are part of a crawl; their log lines are not.
logging.getLogger("django.request").setLevel(logging.CRITICAL)

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

DOMAIN = "demo.peerlearn.org"
ROLES = {
    "facilitator": f"facilitator@{DOMAIN}",
    "manager": f"manager@{DOMAIN}",
    "sponsor": f"sponsor@{DOMAIN}",
    "peer": f"peer01@{DOMAIN}",
}
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/", "/i18n/", "/api/v1/docs/")
# Views measured but not judged here: the API list of themes.
ELSEWHERE = {"api:theme-list"}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


@dataclass
class Page:
    role: str
    url: str
    view: str
    status: int
    cold_queries: int
    cold_ms: float
    warm_queries: int
    warm_ms: float
    kb: float
    content_type: str

    @property
    def elsewhere(self) -> bool:
        return self.view in ELSEWHERE


def measure(client: Client, url: str) -> tuple[int, float, int, bytes, str]:
    executed = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.get(url)
        content = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        )
        elapsed = (time.perf_counter() - started) * 1000
    return response.status_code, elapsed, executed, content, response.get("Content-Type", "")


def view_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def internal_links(html: bytes, base: str) -> list[str]:
    parser = Links()
    parser.feed(html.decode("utf-8", errors="replace"))
    found = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue
        if not href.startswith("/"):
            href = base.rsplit("/", 1)[0] + "/" + href
        if href.startswith(SKIP_PREFIXES):
            continue
        found.append(href)
    return found


def crawl(
    role: str, email: str, per_role: int, per_view: int, measure_elsewhere: bool
) -> list[Page]:
    from peerlearn.users.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    queue: deque[str] = deque(["/"])
    seen: set[str] = {"/"}
    per_view_count: Counter[str] = Counter()
    pages: list[Page] = []
    while queue and len(pages) < per_role:
        url = queue.popleft()
        view = view_name(url)
        if view is None or per_view_count[view] >= per_view:
            continue
        per_view_count[view] += 1
        if view in ELSEWHERE and not measure_elsewhere:
            pages.append(Page(role, url, view, 0, 0, 0.0, 0, 0.0, 0.0, "not measured"))
            print(f"  {role:<11} (listed, not measured)  {url}", flush=True)
            continue
        status, cold_ms, cold_queries, content, content_type = measure(client, url)
        warm_ms, warm_queries = cold_ms, cold_queries
        if view not in ELSEWHERE:  # measured once: they can take minutes
            _s, warm_ms, warm_queries, content, _t = measure(client, url)
        pages.append(
            Page(
                role,
                url,
                view,
                status,
                cold_queries,
                cold_ms,
                warm_queries,
                warm_ms,
                len(content) / 1024,
                content_type.split(";")[0],
            )
        )
        print(
            f"  {role:<11} {status} {cold_queries:>5}q {cold_ms:>7.0f}ms / {warm_queries:>5}q "
            f"{warm_ms:>7.0f}ms {len(content) / 1024:>8.1f}KB  {url}",
            flush=True,
        )
        if status == 200 and content_type.startswith("text/html"):
            for link in internal_links(content, url):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return pages


def api_lists(role: str, email: str) -> list[Page]:
    from peerlearn.api import router
    from peerlearn.users.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    pages = []
    for prefix, _viewset, basename in router.registry:
        url = f"/api/v1/{prefix}/"
        status, cold_ms, cold_queries, content, content_type = measure(client, url)
        _s, warm_ms, warm_queries, content, _t = measure(client, url)
        pages.append(
            Page(
                role,
                url,
                f"api:{basename}-list",
                status,
                cold_queries,
                cold_ms,
                warm_queries,
                warm_ms,
                len(content) / 1024,
                content_type.split(";")[0],
            )
        )
        print(
            f"  {role:<11} {status} {cold_queries:>5}q {cold_ms:>7.0f}ms / {warm_queries:>5}q "
            f"{warm_ms:>7.0f}ms {len(content) / 1024:>8.1f}KB  {url}",
            flush=True,
        )
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-role", type=int, default=40)
    parser.add_argument("--per-view", type=int, default=2)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--ms", type=float, default=1000)
    parser.add_argument("--kb", type=float, default=300)
    parser.add_argument("--no-api", action="store_true")
    parser.add_argument(
        "--skip-elsewhere",
        action="store_true",
        help="list the pages tracked elsewhere without fetching them (they can take minutes)",
    )
    parser.add_argument("--roles", default=",".join(ROLES))
    args = parser.parse_args()

    from peerlearn.roles import Role
    from programmes.models import Membership

    peers = Membership.objects.filter(role=Role.PEER).count()
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}), {peers} peers")
    cache.clear()
    pages: list[Page] = []
    for role in args.roles.split(","):
        print(f"{role}: pages reached from the home page (cold / warm)")
        pages += crawl(role, ROLES[role], args.per_role, args.per_view, not args.skip_elsewhere)
    if not args.no_api:
        for role in args.roles.split(","):
            print(f"{role}: API lists (cold / warm)")
            pages += api_lists(role, ROLES[role])

    def over(page: Page) -> bool:
        return (
            max(page.cold_queries, page.warm_queries) > args.queries
            or page.warm_ms > args.ms
            or page.kb > args.kb
            or page.status >= 500
        )

    judged = [p for p in pages if not p.elsewhere]
    print()
    print(f"{len(pages)} pages measured; {len(judged)} judged (the rest are listed below).")
    for label, key in (
        ("queries", lambda p: max(p.cold_queries, p.warm_queries)),
        ("ms (warm)", lambda p: p.warm_ms),
        ("ms (cold)", lambda p: p.cold_ms),
        ("KB", lambda p: p.kb),
    ):
        worst = sorted(judged, key=key, reverse=True)[:5]
        print(f"worst by {label}:")
        for page in worst:
            print(
                f"  {page.role:<11} {page.cold_queries:>5}q/{page.warm_queries:<5}q "
                f"{page.cold_ms:>7.0f}/{page.warm_ms:<7.0f}ms {page.kb:>8.1f}KB  "
                f"{page.view}  {page.url}"
            )
    failing = [p for p in judged if over(p)]
    print(
        f"over budget ({args.queries} queries, {args.ms:.0f} ms warm, {args.kb:.0f} KB, "
        f"no 5xx): {len(failing)}"
    )
    for page in failing:
        print(
            f"  {page.role:<11} {page.status} {page.cold_queries}q/{page.warm_queries}q "
            f"{page.cold_ms:.0f}/{page.warm_ms:.0f}ms {page.kb:.1f}KB  {page.view}  {page.url}"
        )
    elsewhere = [p for p in pages if p.elsewhere]
    print(f"measured, tracked elsewhere: {len(elsewhere)}")
    for page in elsewhere:
        print(
            f"  {page.role:<11} {page.status} {page.cold_queries}q/{page.warm_queries}q "
            f"{page.cold_ms:.0f}/{page.warm_ms:.0f}ms {page.kb:.1f}KB  {page.view}  {page.url}"
        )


if __name__ == "__main__":
    main()
