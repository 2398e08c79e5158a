"""Production headers: a Content-Security-Policy that the pages can live with, and API docs
served from the vendored Swagger UI (no CDN)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]
OWN_TEMPLATES = [
    path
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
    if ".venv" not in folder.parts
    for path in folder.rglob("*.html")
]
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    response = client.get(world.programme.get_absolute_url())
    header = response["Content-Security-Policy"]
    policy = dict(part.partition(" ")[::2] for part in header.split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_templates_have_nothing_inline_that_the_policy_would_refuse() -> None:
    assert len(OWN_TEMPLATES) > 50
    found = [
        f"{path.relative_to(ROOT)}: {kind}"
        for path in OWN_TEMPLATES
        for kind, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []


@pytest.mark.django_db
def test_api_docs_load_swagger_ui_from_this_site(world: World, client: Client) -> None:
    client.force_login(world.peer)
    page = client.get("/api/v1/docs/").content.decode()
    assert "cdn." not in page and "https://" not in page and "http://" not in page
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any("swagger-ui-bundle.js" in asset for asset in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
