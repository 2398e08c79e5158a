"""Every page and endpoint of matching has a row in the permission matrix."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.conftest import World
from tests.matching.permission_rows import ROWS


def _module(pattern: URLPattern) -> str:
    view = pattern.callback
    return str(getattr(getattr(view, "cls", view), "__module__", ""))


def _patterns(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(view name, module of the view) of every named URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", _module(pattern)


def test_every_matching_page_and_endpoint_has_a_permission_row(world: World) -> None:
    covered = set()
    for row in ROWS:
        with transaction.atomic():  # each row's objects are made for it alone
            covered.add(resolve(urlsplit(row.url(world)).path).view_name)
            transaction.set_rollback(True)
    names = {
        name
        for name, module in _patterns(get_resolver().url_patterns)
        if module.startswith("matching.")
    }
    assert {"matching:themes", "matching-theme-statements"} <= names
    assert names - covered == set()
