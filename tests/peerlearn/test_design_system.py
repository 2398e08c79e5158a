"""The design system: colours that meet WCAG 2.1 AA, stylesheets that read right to left, the
favicon, the style guide, and pages that carry no duplicate ids or dangling references."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "static" / "css"


def tokens() -> dict[str, str]:
    text = (CSS / "peerlearn.css").read_text()
    root = text[text.index(":root {") : text.index("}", text.index(":root {"))]
    return dict(re.findall(r"(--[a-z0-9-]+):\s*(#[0-9a-fA-F]{6})", root))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Text colours and the surfaces they are written on.
TEXT_ON_SURFACE = [
    ("--color-ink", "--color-surface"),
    ("--color-ink", "--color-panel"),
    ("--color-muted", "--color-surface"),
    ("--color-muted", "--color-panel"),
    ("--color-accent", "--color-surface"),
    ("--color-accent", "--color-panel"),
    ("--color-accent", "--color-info-bg"),
    ("--color-accent-strong", "--color-info-bg"),
    ("--color-on-accent", "--color-accent"),
    ("--color-on-accent", "--color-accent-strong"),
    ("--color-on-accent", "--color-bad"),
    ("--color-ok", "--color-ok-bg"),
    ("--color-warn", "--color-warn-bg"),
    ("--color-bad", "--color-bad-bg"),
    ("--color-ink", "--color-warn-bg"),
    ("--color-ink", "--color-info-bg"),
]


@pytest.mark.parametrize(("text", "surface"), TEXT_ON_SURFACE)
def test_text_colours_meet_wcag_aa_on_their_surfaces(text: str, surface: str) -> None:
    colours = tokens()
    assert contrast(colours[text], colours[surface]) >= 4.5, (text, surface)


def test_controls_and_the_focus_ring_stand_out_from_the_page() -> None:
    colours = tokens()
    # WCAG 2.1 1.4.11: borders of form controls and chart colours at 3:1 at least.
    for name in ("--color-control", "--chart-1", "--chart-2", "--chart-3", "--chart-4"):
        assert contrast(colours[name], colours["--color-surface"]) >= 3, name
    assert contrast(colours["--color-focus"], colours["--color-ink"]) >= 3


PHYSICAL = re.compile(
    r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:"
    r"|text-align:\s*(left|right)|float:\s*(left|right)"
)


@pytest.mark.parametrize("sheet", sorted(p.name for p in CSS.glob("*.css")))
def test_stylesheets_use_logical_properties_only(sheet: str) -> None:
    """Pages read right to left: no left or right in the project's stylesheets."""
    found = [
        f"{number}: {line.strip()}"
        for number, line in enumerate((CSS / sheet).read_text().splitlines(), start=1)
        if PHYSICAL.search(line)
    ]
    assert found == []


def test_the_skip_link_is_clipped_not_pushed_off_the_page() -> None:
    text = (CSS / "peerlearn.css").read_text()
    rule = re.search(r"\.skip-link \{([^}]*)\}", text)
    assert rule is not None
    assert "clip-path" in rule.group(1) and "-999" not in text


@pytest.mark.django_db
def test_favicon_is_served_in_both_forms(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert 'rel="icon" href="/static/favicon.ico"' in html
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    for name in ("favicon.ico", "favicon.svg"):
        assert (ROOT / "static" / name).stat().st_size > 0


@pytest.mark.django_db
def test_style_guide_is_for_site_admins(world: World, client: Client) -> None:
    url = reverse("styleguide")
    assert client.get(url).status_code == 404
    client.force_login(world.facilitator)
    assert client.get(url).status_code == 404
    client.force_login(world.admin)
    page = client.get(url).content.decode()
    for component in ('class="page-header"', 'class="stack"', 'class="pagination"', "<svg"):
        assert component in page


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.references: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in {"aria-describedby", "aria-labelledby", "aria-controls"} and value:
                self.references.extend(value.split())
            if name == "for" and value and tag == "label":
                self.references.append(value)


def id_problems(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    duplicates = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
    dangling = sorted(set(parser.references) - set(parser.ids))
    return [f"duplicate id {i}" for i in duplicates] + [f"no element {i}" for i in dangling]


@pytest.mark.django_db
def test_layout_and_role_homes_have_unique_ids_and_no_dangling_references(
    world: World, client: Client
) -> None:
    for user in (world.peer, world.facilitator, world.manager, world.sponsor, world.admin):
        client.force_login(user)
        for url in ("/", world.programme.get_absolute_url(), reverse("styleguide")):
            response = client.get(url)
            if response.status_code == 200:
                assert id_problems(response.content.decode()) == [], (user, url)
