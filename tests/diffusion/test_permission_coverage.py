"""Every diffusion page and endpoint has rows in the permission matrix."""

from __future__ import annotations

from urllib.parse import urlparse

from django.urls import resolve

from diffusion import urls
from peerlearn.api import router
from tests.conftest import World
from tests.diffusion.permission_rows import ROWS


def test_every_diffusion_view_and_endpoint_has_a_row(world: World) -> None:
    covered: set[str] = set()
    for row in ROWS:
        match = resolve(urlparse(row.url(world)).path)
        covered.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    pages = {f"diffusion:{pattern.name}" for pattern in urls.urlpatterns}  # type: ignore[union-attr]
    endpoints = {
        f"{basename}-{kind}"
        for prefix, _viewset, basename in router.registry
        if prefix.startswith("diffusion/")
        for kind in ("list", "detail")
        if not (basename == "diffusion-reach" and kind == "list")
    }
    assert pages - covered == set()
    assert endpoints - covered == set()
