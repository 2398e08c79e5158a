"""Pages reached by a secret link in an email, without an account: a comparison-group invitee's
answers and stopping reminders."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from peerlearn.errors import service_errors
from programmes.selectors import all_programmes

from .. import selectors, services
from ..models import Wave
from .common import no_store


@require_http_methods(["GET", "POST"])
def comparison(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to a comparison-group invitee: answer once, without an account. Once
    answered, the link shows and accepts nothing more (answers are never shown back)."""
    invitee = selectors.comparison_from_token(token)
    if invitee is None:
        return no_store(
            render(request, "evaluation/unsubscribe.html", {"invalid": True}, status=404)
        )
    wave = invitee.wave
    context: dict[str, Any] = {
        "wave": wave,
        "comparison": True,
        "is_open": wave.status == Wave.Status.OPEN,
    }
    if invitee.submitted_at is not None:
        status = 409 if request.method == "POST" else 200
        return no_store(
            render(
                request,
                "evaluation/comparison_answer.html",
                context | {"answered": True},
                status=status,
            )
        )
    items = selectors.comparison_items(wave.instrument)
    typed: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    status = 200
    done = False
    if request.method == "POST":
        typed = {key: request.POST.getlist(key) for key in request.POST}
        with service_errors() as refused:
            services.submit_comparison(invitee=invitee, data=typed)
            done = True
        if isinstance(refused.error, services.AnswerErrors):
            errors = refused.error.errors
            status = 400
        elif isinstance(refused.error, services.ComparisonAlreadyAnswered):
            return no_store(
                render(
                    request,
                    "evaluation/comparison_answer.html",
                    context | {"answered": True},
                    status=409,
                )
            )
        elif refused.error is not None:
            status = 409
    fields = [
        {
            "item": item,
            "name": services.field_name(item),
            "values": typed.get(services.field_name(item), []),
            "value": "".join(typed.get(services.field_name(item), [])),
            "error": errors.get(item.code, ""),
        }
        for item in items
    ]
    return no_store(
        render(
            request,
            "evaluation/comparison_answer.html",
            context | {"fields": fields, "errors": errors, "done": done},
            status=status,
        )
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in survey emails: stop reminders for that programme (no login needed)."""
    data = services.read_unsubscribe_token(token)
    if data is None:
        return render(request, "evaluation/unsubscribe.html", {"invalid": True}, status=404)
    user_id, programme_id = data
    programme = get_object_or_404(all_programmes(), pk=programme_id)
    done = False
    if request.method == "POST":
        services.opt_out(user_id=user_id, programme_id=programme_id)
        done = True
    return render(
        request,
        "evaluation/unsubscribe.html",
        {
            "programme": programme,
            "done": done,
            "action": reverse("evaluation:unsubscribe", args=[token]),
        },
    )
