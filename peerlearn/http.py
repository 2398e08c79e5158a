"""Requests of a signed-in person, typed: ``request.user`` is a :class:`User`.

Views behind ``login_required`` take an :class:`AuthenticatedHttpRequest`; API views behind
``IsAuthenticated`` take an :class:`AuthenticatedRequest`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from rest_framework.request import Request

from peerlearn.users.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class AuthenticatedRequest(Request):
    user: User


# The largest id a database row can have (a 64-bit key): anything larger names nothing.
MAX_ID = 2**63 - 1


def posted_id(value: str | int | None) -> int:
    """An id sent in a form or a query string; anything that is not one names nothing (404).

    Used for the ids a page puts in its own forms (hidden fields, check boxes, links), so a
    tampered value is simply not found instead of failing the request."""
    try:
        number = int(str(value or "").strip(), 10)
    except ValueError:
        raise Http404(_("There is nothing with this id.")) from None
    if not 0 < number <= MAX_ID:
        raise Http404(_("There is nothing with this id."))
    return number


def posted_ids(values: Iterable[str]) -> list[int]:
    """Several ids, as :func:`posted_id` (any one that is not an id: 404)."""
    return [posted_id(value) for value in values]
