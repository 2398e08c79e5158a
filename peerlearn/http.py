"""Requests of a signed-in person, typed: ``request.user`` is a :class:`User`.

Views behind ``login_required`` take an :class:`AuthenticatedHttpRequest`; API views behind
``IsAuthenticated`` take an :class:`AuthenticatedRequest`.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.request import Request

from peerlearn.users.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class AuthenticatedRequest(Request):
    user: User
