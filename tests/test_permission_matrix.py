"""The permission matrix: every page and endpoint, every role, and a user of another programme.

Each row names a request and the status each role must get. The rows of each app are in
``tests/<app>/permission_rows.py``; ``tests/matrix.py`` explains them.
``anonymous`` is a visitor who is not logged in; ``outsider`` facilitates *another* programme.
Objects of a programme the user has no role in answer 404, so ids reveal nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import ROLES, World
from tests.matrix import API_ANON, LOGIN, Row, everyone

CORE_ROWS: list[Row] = [
    Row("home", "get", lambda w: reverse("home"), everyone(200)),
    Row(
        "programme detail",
        "get",
        lambda w: reverse("programmes:detail", args=[w.programme.pk]),
        everyone(200, anonymous=LOGIN, outsider=404),
    ),
    Row(
        "invite page",
        "get",
        lambda w: reverse("programmes:invite", args=[w.programme.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, admin=200),
    ),
    Row(
        "invite submit",
        "post",
        lambda w: reverse("programmes:invite", args=[w.programme.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302),
        data=lambda w: {"email": "new.peer@example.org", "role": "peer"},
    ),
    Row(
        "admin",
        "get",
        lambda w: reverse("admin:index"),
        everyone(302, admin=200),
    ),
    # The living style guide is for site administrators (and anyone while DEBUG is on).
    Row("style guide", "get", lambda w: reverse("styleguide"), everyone(404, admin=200)),
    Row("favicon", "get", lambda w: reverse("favicon"), everyone(302)),
    # Each person's own account page: their name and preferred language.
    Row("account page", "get", lambda w: reverse("account"), everyone(200, anonymous=LOGIN)),
    Row(
        "account save",
        "post",
        lambda w: reverse("account"),
        everyone(302, anonymous=LOGIN),
        data=lambda w: {"full_name": "Someone", "preferred_language": "fr"},
    ),
    Row("api me", "get", lambda w: reverse("api-me"), everyone(200, anonymous=API_ANON)),
    Row("api schema", "get", lambda w: reverse("api-schema"), everyone(200, anonymous=API_ANON)),
    Row("api docs", "get", lambda w: reverse("api-docs"), everyone(200, anonymous=API_ANON)),
    Row(
        "api programme list",
        "get",
        lambda w: reverse("programme-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api programme detail",
        "get",
        lambda w: reverse("programme-detail", args=[w.programme.pk]),
        everyone(200, anonymous=API_ANON, outsider=404),
    ),
    Row(
        "api programme update",
        "patch",
        lambda w: reverse("programme-detail", args=[w.programme.pk]),
        everyone(403, anonymous=API_ANON, outsider=404, facilitator=200, admin=200),
        data=lambda w: {"domain": "Treasury reform"},
        content_type="application/json",
    ),
    Row(
        "api programme members",
        "get",
        lambda w: reverse("programme-members", args=[w.programme.pk]),
        everyone(200, anonymous=API_ANON, outsider=404),
    ),
]


ROWS: list[Row] = CORE_ROWS + [
    row
    for app in ("programmes", "matching", "evaluation", "diffusion", "group_life")
    for row in import_module(f"tests.{app}.permission_rows").ROWS
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_permission_matrix(row: Row, role: str, world: World, client: Client) -> None:
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    kwargs: dict[str, Any] = {}
    if row.method != "get":
        data = row.data(world)
        if row.content_type == "application/json":
            kwargs = {"data": data, "content_type": "application/json"}
        else:
            kwargs = {"data": data}
    response = getattr(client, row.method)(row.url(world), **kwargs)
    assert response.status_code == row.expected[role], (
        f"{row.name} as {role}: expected {row.expected[role]}, got {response.status_code}"
    )


def test_every_role_has_an_expectation_in_every_row() -> None:
    for row in ROWS:
        assert set(row.expected) == set(ROLES), row.name
