"""What every evaluation page checks: the rules, with or without the site admin's bypass, and the
programme a page is about; and how pages reached by a secret link are kept out of caches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import get_programme_for

if TYPE_CHECKING:
    from programmes.models import Programme


def require(user: Any, perm: str, obj: Any, message: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def require_personal(user: Any, perm: str, obj: Any, message: str) -> None:
    """A rule about a person's own answers and stories: checked as written, with no site-admin
    bypass, so that nobody answers for a peer or reads a private story."""
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(message)


def programme_with_perm(
    request: AuthenticatedHttpRequest, pk: int, perm: str, message: str
) -> Programme:
    programme = get_programme_for(request.user, pk)
    require(request.user, perm, programme, message)
    return programme


STAFF_ONLY = "Only the programme's facilitators and managers can open this page."


def no_store(response: HttpResponse) -> HttpResponse:
    """Keep a page reached by a secret link out of caches, referrers and search engines."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
