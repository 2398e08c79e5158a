"""Middleware that must run before host validation and HTTPS redirects."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse


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
