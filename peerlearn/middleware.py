"""Middleware of the kernel: health checks for probes, and refusal of text no database stores."""

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answers ``/healthz`` for load balancers and container healthchecks.

    It runs first so that probes on an internal address are not refused by ``ALLOWED_HOSTS`` or
    redirected to HTTPS; it reveals nothing but whether the database answers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return JsonResponse({"status": "ok"})
        return self.get_response(request)


NUL = "\x00"


def _strings(value: Any) -> Iterator[str]:
    """Every string in a decoded JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _query_strings(query: QueryDict) -> Iterator[str]:
    for key, values in query.lists():
        yield key
        yield from values


def _has_nul(strings: Iterable[str]) -> bool:
    return any(NUL in text for text in strings)


class RejectNulMiddleware:
    """Refuses any request whose text contains a NUL character (``\\x00``), with a 400.

    PostgreSQL cannot store NUL in text, so such input would otherwise fail deep inside a view
    with a 500. Checked here, once for every page and endpoint: the URL path, the query string,
    form fields (also beside an upload), and JSON bodies. A cookie holding NUL is dropped
    instead (the browser that sent it is not the person's fault), so it never reaches the
    session store. It runs before the session middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        where = self.nul_in(request)
        if where is not None:
            logger.info(
                "Refused %s %r: NUL character in the %s", request.method, request.path, where
            )
            return self.refusal(request)
        return self.get_response(request)

    @staticmethod
    def nul_in(request: HttpRequest) -> str | None:
        """Which part of the request holds a NUL character, if any."""
        if NUL in request.path_info or NUL in request.path:
            return "path"
        if _has_nul(_query_strings(request.GET)):
            return "query string"
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return None
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            body = request.body
            if b"\\u0000" not in body and b"\x00" not in body:
                return None
            try:
                document = json.loads(body)
            except ValueError:
                return None  # not JSON: the view refuses it as such
            return "JSON body" if _has_nul(_strings(document)) else None
        if content_type == "application/x-www-form-urlencoded" and request.method != "POST":
            return "form" if _has_nul(_query_strings(QueryDict(request.body))) else None
        if request.method == "POST" and content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            # Only the text fields: an uploaded file is data, and Django already strips
            # unprintable characters from its name.
            return "form" if _has_nul(_query_strings(request.POST)) else None
        return None

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponse:
        return refuse(
            request,
            lambda: _(
                "Your request contains a NUL character (a zero byte), which no text field "
                "accepts. Remove it, for example by retyping text pasted from another program, "
                "and try again."
            ),
        )


def refuse(request: HttpRequest, message: Callable[[], str], status: int = 400) -> HttpResponse:
    """A refusal with its reason, in the visitor's language: JSON for the API, else a page.

    It is rendered without the request, because the session has not been read yet.
    """
    with translation.override(translation.get_language_from_request(request)):
        text = message()
        if request.path_info.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": text}, status=status)
        html = render_to_string("400.html", {"message": text})
    return HttpResponse(html, status=status)


class RequestSizeMiddleware:
    """Refuses, with a 413 and before reading it, a request body larger than the site takes.

    Uploads (multipart forms) may be up to ``MAX_UPLOAD_BYTES``: each form then checks its own
    smaller limit with a precise message. Any other body (forms, JSON for the API) may be up to
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``; Django checks that only when a view reads ``request.body``
    or ``request.POST``, which the API's parsers do not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        upload = request.content_type == "multipart/form-data"
        limit = settings.MAX_UPLOAD_BYTES if upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            logger.info("Refused %s %r: body of %s bytes", request.method, request.path, length)
            return refuse(
                request,
                lambda: (
                    _(
                        "This request is too big (%(size)s MB). The limit is %(limit)s MB; for "
                        "a file, save a smaller copy (fewer pages, lower image quality) and try "
                        "again."
                    )
                    % {"size": _megabytes(length), "limit": _megabytes(limit)}
                ),
                status=413,
            )
        return self.get_response(request)


def _megabytes(size: int) -> str:
    return formats.number_format(round(size / 1024 / 1024, 1), 1)
