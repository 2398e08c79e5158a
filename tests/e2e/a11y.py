"""Checks of a page as a visitor gets it: accessibility (axe-core, WCAG 2.1 A and AA), no
sideways scrolling on a phone, page weight, page height and a favicon.

``audit(page)`` runs them all on the page the browser shows and returns the problems found, in
words; a test asserts the list is empty, so a failure names every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AXE_SOURCE = (
    Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
).read_text()
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PHONE_WIDTH = 360
MAX_WEIGHT_BYTES = 200 * 1024
MAX_HEIGHT_PX = 12_000


@dataclass
class Report:
    url: str
    width: int
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.url} at {self.width}px:\n  " + "\n  ".join(self.problems)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.1 A and AA on the page (the script is evaluated through
    the browser's debugging protocol, which the page's Content-Security-Policy does not limit)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }""",
        WCAG_21_AA,
    )
    return list(result)


def page_weight(page: Any) -> int:
    """Bytes the page and everything it loaded took over the network (bodies as sent)."""
    return int(
        page.evaluate(
            """() => {
                const entries = [
                    ...performance.getEntriesByType('navigation'),
                    ...performance.getEntriesByType('resource'),
                ];
                return entries.reduce((sum, e) => sum + (e.encodedBodySize || 0), 0);
            }"""
        )
    )


def favicon_problem(page: Any) -> str | None:
    href = page.evaluate(
        "() => { const l = document.querySelector('link[rel~=icon]'); return l ? l.href : null; }"
    )
    if not href:
        return "no favicon link"
    response = page.request.get(href)
    if response.status != 200 or "image" not in response.headers.get("content-type", ""):
        return f"favicon {href} answers {response.status} {response.headers.get('content-type')}"
    return None


def audit(page: Any, *, weight: bool = True) -> Report:
    """Every check on the page as it is now; ``weight`` needs the page freshly loaded."""
    width = int(page.viewport_size["width"])
    report = Report(url=page.url, width=width)
    for violation in axe_violations(page):
        if violation["impact"] in BLOCKING:
            report.problems.append(
                f"axe {violation['impact']} {violation['id']}: {violation['help']} "
                f"({'; '.join(violation['targets'])})"
            )
    scroll_width = int(page.evaluate("document.documentElement.scrollWidth"))
    if scroll_width > width:
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 1
                             || e.getBoundingClientRect().left < -1)
                .filter(e => !e.closest('.table-wrap, .graph-scroll'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
            width,
        )
        report.problems.append(f"page is {scroll_width}px wide: {wide}")
    if weight:
        size = page_weight(page)
        if size > MAX_WEIGHT_BYTES:
            report.problems.append(f"page weighs {size // 1024} KB")
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    if width >= 1280 and height > MAX_HEIGHT_PX:
        report.problems.append(f"page is {height}px tall")
    problem = favicon_problem(page)
    if problem:
        report.problems.append(problem)
    return report
