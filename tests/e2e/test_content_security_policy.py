"""Under the Content-Security-Policy the pages work in a real browser: no script, style or image
is refused on any page each role reaches from its home, and the API docs render offline from
the vendored Swagger UI."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from matching.engine import Options
from matching.models import MatchingRun
from programmes.demo import DEMO_PROGRAMME
from programmes.models import Programme
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.service]

SKIP = ("/accounts/logout", "/i18n/", "/admin/logout", "/media/", "/static/", "/api/v1/schema")
FILES = (".csv", ".xlsx", ".pdf", ".ics", ".json", "/download/", "/export")


REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${location.pathname}: ${event.violatedDirective} ${event.blockedURI} ` +
      `(${event.sourceFile}:${event.lineNumber})`
  );
});
"""


def watch_csp(context: Any) -> list[str]:
    """Every Content-Security-Policy violation and script error in the context's pages."""
    refused: list[str] = []
    context.expose_function("reportViolation", lambda text: refused.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    context.on("weberror", lambda error: refused.append(str(error.error)))
    return refused


def crawl(page: Any, starts: list[str], limit: int, seen: set[str]) -> list[str]:
    """Follow same-site links breadth first from ``starts``, skipping the paths in ``seen``
    (pages another role already opened); the paths visited."""
    queue, visited = deque(path for path in starts if path not in seen), []
    seen.update(queue)
    while queue and len(visited) < limit:
        path = queue.popleft()
        response = page.goto(path)
        if response is None or response.status >= 400:
            continue
        visited.append(path)
        for href in page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.pathname)"):
            if href in seen or href.startswith(SKIP) or any(part in href for part in FILES):
                continue
            seen.add(href)
            queue.append(href)
    return visited


def test_pages_of_every_role_load_with_nothing_refused(
    browser: Any, live_server: Any, demo: Any
) -> None:
    admin = UserFactory(email="root@demo.peerlearn.org", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    # A run waiting to start: its page polls for progress through htmx.
    run = MatchingRun.objects.create(
        cohort=programme.cohorts.first(), strategy="problem", options=Options(seed=1).to_dict()
    )
    # Pages with a chart, a print button and a live progress bar first, then what links lead to.
    facilitator_starts = [
        reverse("evaluation:report", args=[programme.pk]),
        reverse("evaluation:dashboard", args=[programme.pk]),
        reverse("matching:run_detail", args=[programme.pk, run.pk]),
        "/",
    ]
    logins = [
        ("facilitator@demo.peerlearn.org", "peerlearn-demo", facilitator_starts, 30),
        ("manager@demo.peerlearn.org", "peerlearn-demo", ["/"], 10),
        ("sponsor@demo.peerlearn.org", "peerlearn-demo", ["/"], 10),
        ("peer01@demo.peerlearn.org", "peerlearn-demo", ["/"], 10),
        (admin.email, PASSWORD, ["/admin/", "/admin/programmes/programme/"], 8),
    ]
    refused: list[str] = []
    visited: list[str] = []
    seen: set[str] = set()
    for email, password, starts, limit in logins:
        context = browser.new_context(base_url=live_server.url)
        violations = watch_csp(context)
        page = context.new_page()
        log_in(page, email, password)
        visited += crawl(page, starts, limit, seen)
        page.wait_for_load_state("networkidle")
        context.close()
        refused += violations
    assert len(visited) >= 30, visited
    assert facilitator_starts[0] in visited
    assert refused == []


def test_api_docs_render_from_the_vendored_swagger_ui(
    browser: Any, live_server: Any, demo: Any
) -> None:
    context = browser.new_context(base_url=live_server.url)
    refused = watch_csp(context)
    page = context.new_page()
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else external.append(request.url)
        ),
    )
    log_in(page, "facilitator@demo.peerlearn.org")
    page.goto("/api/v1/docs/")
    page.locator(".swagger-ui .info .title").get_by_text("PeerLearn API").wait_for()
    page.locator(".opblock").first.wait_for()
    page.wait_for_load_state("networkidle")
    context.close()
    assert external == []
    assert refused == []
