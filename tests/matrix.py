"""Support for the permission matrix (tests/test_permission_matrix.py).

Each app lists its rows in ``tests/<app>/permission_rows.py`` as ``ROWS``. A row names a request
and the status every role must get. ``url`` (and ``data``) receive the ``World`` fixture and may
create the objects they need. Roles: ``anonymous`` (not logged in), ``outsider`` (facilitator of
*another* programme), ``peer``, ``facilitator``, ``manager``, ``sponsor``, ``admin``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import ROLES, World

LOGIN = 302  # a page redirects an anonymous visitor to the login page
API_ANON = 403  # the API answers 403 to an unauthenticated request (session auth first)


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    url: Callable[[World], str]
    expected: dict[str, int]
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    content_type: str | None = None


def everyone(status: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles: {unknown}"
    return {role: overrides.get(role, status) for role in ROLES}
