"""Measuring one page at two programme sizes: its SQL queries and its bytes of HTML.

Peers are written in bulk with names and addresses of one length, so two sizes of a page that
does not grow with the programme differ only by the digits of a count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.models import Membership

#: Two sizes of one page differ by at most this many bytes (counts and page links).
SIZE_SLACK = 1024


@dataclass(frozen=True)
class Measure:
    queries: int
    size: int
    html: str


def measure(client: Client, user: User, url: str) -> Measure:
    """The page as ``user`` opens it first (the cache cleared): queries and bytes."""
    client.force_login(user)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return Measure(len(queries.captured_queries), len(response.content), response.content.decode())


def bulk_peers(
    programme: Any, count: int, *, tag: str, cohort: Any = None, organisation: Any = None
) -> list[User]:
    """``count`` peers of ``programme`` (their names and addresses all of one length)."""
    users = User.objects.bulk_create(
        [
            User(email=f"{tag}{number:05}@peers.example.org", full_name=f"Peer {tag} {number:05}")
            for number in range(count)
        ]
    )
    users = list(User.objects.filter(email__endswith="@peers.example.org", email__startswith=tag))
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                programme=programme,
                role=Role.PEER,
                cohort=cohort,
                organisation=organisation,
            )
            for user in users
        ]
    )
    return users


def assert_same_cost(small: Measure, large: Measure, *, slack: int = SIZE_SLACK) -> None:
    """The larger programme's page costs the same queries and about the same bytes."""
    assert large.queries == small.queries, (small.queries, large.queries)
    assert large.size <= small.size + slack, (small.size, large.size)


def shown(first: int, last: int, total: int) -> str:
    """What the count above a list says it shows: "1 to 50 of 180", with an en dash."""
    return f"{first}\N{EN DASH}{last} of {total}"
