"""Page weight: pages are sent compressed, and htmx is loaded only by the pages that use it."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HTMX_ATTRIBUTE = re.compile(r"\shx-(get|post|put|patch|delete|trigger)=")
LOADS_HTMX = '{% include "components/htmx.html" %}'
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
HTMX_SCRIPT = re.compile(r'<script[^>]+src="[^"]*htmx[^"]*"')


def test_pages_are_sent_compressed(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    response = client.get(world.programme.get_absolute_url(), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert world.programme.name in html
    plain = client.get(world.programme.get_absolute_url())
    assert not plain.has_header("Content-Encoding")


def all_templates() -> dict[str, str]:
    """Every template by name, with its text."""
    return {
        str(path.relative_to(TEMPLATES)): path.read_text() for path in TEMPLATES.rglob("*.html")
    }


def test_every_template_with_htmx_attributes_is_on_a_page_that_loads_htmx() -> None:
    templates = all_templates()
    included_by: dict[str, set[str]] = {}
    for name, text in templates.items():
        for included in INCLUDE.findall(text):
            included_by.setdefault(included, set()).add(name)

    def pages_showing(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        parents = included_by.get(name, set()) - seen
        if not parents:
            # A fragment ("_name.html") nothing includes is an htmx answer, swapped into the
            # page that asked for it: that page loads htmx.
            return set() if name.rsplit("/", 1)[-1].startswith("_") else {name}
        return set().union(*(pages_showing(parent, seen | {name}) for parent in parents))

    using = [name for name, text in templates.items() if HTMX_ATTRIBUTE.search(text)]
    assert "matching/intake.html" in using
    for name in using:
        for page in pages_showing(name):
            assert LOADS_HTMX in templates[page], f"{page} shows {name} without loading htmx"
    # And only those pages load it.
    loading = {name for name, text in templates.items() if LOADS_HTMX in text}
    pages = set().union(*(pages_showing(name) for name in using))
    assert loading == pages


def test_htmx_is_sent_only_with_a_page_that_uses_it(world: World, client: Client) -> None:
    client.force_login(world.peer)
    home = client.get(world.programme.get_absolute_url()).content.decode()
    assert not HTMX_SCRIPT.search(home)
    intake = client.get(reverse("matching:intake", args=[world.programme.pk]))
    assert intake.status_code == 200
    assert HTMX_SCRIPT.search(intake.content.decode())
