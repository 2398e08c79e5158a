"""A peer's side: the evaluation section's home, answering a survey wave (with drafts saved as
they type), and reading a response."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.visibility import visibility_choices

from .. import selectors, services
from ..models import AccessRecord, Instrument, Item, Response, Wave
from .common import programme_with_perm, require, require_personal


@login_required
def home(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The evaluation section: my surveys and stories (peers); instruments and waves (staff)."""
    programme = programme_with_perm(
        request, pk, "evaluation.view_section", _("You have no role in this programme.")
    )
    user = request.user
    context = {
        "programme": programme,
        "my_surveys": selectors.my_surveys(user, programme),
        "is_staff": user.has_perm("evaluation.view_dashboard", programme),
        "can_manage": user.has_perm("evaluation.manage_waves", programme),
        "can_take_part": rules.has_perm("evaluation.take_part", user, programme),
        "rates": (
            selectors.response_rates(programme)
            if user.has_perm("evaluation.view_dashboard", programme)
            else []
        ),
        "instruments": selectors.current_instruments_for(user, programme),
        "stories_to_follow_up": selectors.stories_to_follow_up(user, programme),
    }
    return render(request, "evaluation/home.html", context)


def _answer_fields(
    response: Response | None, items: Any, typed: dict[str, list[str]] | None
) -> list[dict[str, Any]]:
    saved: dict[int, Any] = {}
    if response is not None:
        saved = {answer.item_id: answer for answer in response.answers.all()}
    fields = []
    for item in items:
        name = services.field_name(item)
        if typed is not None:
            values = typed.get(name, [])
        else:
            answer = saved.get(item.pk)
            values = []
            if answer is not None:
                if item.kind in (Item.Kind.LIKERT,):
                    values = [str(int(answer.number))] if answer.number is not None else []
                elif item.kind == Item.Kind.NUMBER:
                    values = [f"{answer.number:g}"] if answer.number is not None else []
                elif item.kind == Item.Kind.SINGLE:
                    values = [answer.choice]
                elif item.kind in (Item.Kind.MULTIPLE, Item.Kind.PEERS):
                    values = [str(v) for v in answer.selected]
                else:
                    values = [answer.text]
        field = {"item": item, "name": name, "values": values, "value": "".join(values)}
        if item.is_free_text:
            current = saved[item.pk].visibility if item.pk in saved else None
            field["visibility_name"] = services.visibility_field_name(item)
            field["visibility"] = services.chosen_visibility(item, typed or {}, current)
        fields.append(field)
    return fields


def _chosen_ids(values: list[str]) -> set[int]:
    return {int(value) for value in values if value.isdecimal() and len(value) < 19}


def _peer_pickers(
    fields: list[dict[str, Any]], wave: Wave, user: Any, *, finding: str = "", query: str = ""
) -> None:
    """Fill each "which peers" question of ``fields``: the peers the respondent works with
    first, then the others already chosen, then those a search by name (``query``, for the
    question named ``finding``) finds. Never the whole cohort: a few queries at any size."""
    pickers = [field for field in fields if field["item"].kind == Item.Kind.PEERS]
    if not pickers:
        return
    worked_with = selectors.peers_worked_with(wave.programme, user)
    suggested = {pk for pk, _label, _why in worked_with}
    for field in pickers:
        chosen = _chosen_ids(field["values"])
        field["suggested"] = [
            {"pk": pk, "label": label, "why": why, "checked": pk in chosen}
            for pk, label, why in worked_with
        ]
        field["chosen"] = selectors.peers_named(wave.programme, user, chosen - suggested)
        field["query"] = query.strip()[:100] if field["name"] == finding else ""
        field["found"], field["more"] = selectors.find_peers(
            wave.programme, user, field["query"], shown=suggested | chosen
        )


def _survey_to_answer(
    request: AuthenticatedHttpRequest, pk: int
) -> tuple[Wave, Response | None, Instrument]:
    """The wave ``pk`` the person answers (404 when they may not see it, 403 when it is not
    addressed to them), their response so far, and the instrument it answers."""
    wave = selectors.get_wave_for(request.user, pk)
    require_personal(
        request.user,
        "evaluation.answer_wave",
        wave,
        _("This survey is addressed to the peers of its cohort."),
    )
    response = selectors.own_response(request.user, wave)
    instrument = response.instrument if response is not None else wave.instrument
    return wave, response, instrument


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    wave, response, instrument = _survey_to_answer(request, pk)
    items = list(instrument.items.all())
    typed: dict[str, list[str]] | None = None
    errors: dict[str, str] = {}
    status = 200
    # without scripts, the "find" button of a "which peers" question saves the draft and
    # shows the page again with the peers found
    finding = request.POST.get("find", "") if request.method == "POST" else ""
    if request.method == "POST":
        typed = {key: request.POST.getlist(key) for key in request.POST}
        submit = "submit" in request.POST and not finding
        with service_errors() as refused:
            services.save_response(wave=wave, respondent=request.user, data=typed, submit=submit)
            if submit:
                messages.success(request, _("Thank you: your answers are submitted."))
                return redirect("evaluation:home", pk=wave.programme_id)
            messages.success(request, _("Your draft is saved."))
            typed = None
        if isinstance(refused.error, services.AnswerErrors):
            # what fits is kept as a draft; the questions that need attention say why
            errors = refused.error.errors
            status = 400
        elif refused.error is not None:
            messages.error(request, refused.error.message)
            return redirect("evaluation:home", pk=wave.programme_id)
        response = selectors.own_response(request.user, wave)
    fields = _answer_fields(response, items, typed)
    for field in fields:
        field["error"] = errors.get(field["item"].code, "")
    _peer_pickers(
        fields, wave, request.user, finding=finding, query=request.POST.get(f"{finding}-find", "")
    )
    context = {
        "wave": wave,
        "programme": wave.programme,
        "instrument": instrument,
        "fields": fields,
        "errors": errors,
        "response": response,
        "is_open": wave.status == Wave.Status.OPEN,
        "visibility_choices": visibility_choices(),
    }
    return render(request, "evaluation/answer.html", context, status=status)


@login_required
@require_GET
def find_peers(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """HTMX: the peers a respondent may choose whose name holds what they typed, for one "which
    peers" question, after those they already chose there (kept ticked)."""
    wave, _response, instrument = _survey_to_answer(request, pk)
    item = get_object_or_404(instrument.items.filter(kind=Item.Kind.PEERS), pk=item_pk)
    name = services.field_name(item)
    field = {"item": item, "name": name, "values": request.GET.getlist(name)}
    query = request.GET.get(f"{name}-find", "")
    _peer_pickers([field], wave, request.user, finding=name, query=query)
    return render(request, "evaluation/_peers_found.html", {"field": field, "wave": wave})


@login_required
@require_POST
def save_draft(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HTMX: save what the peer has typed so far; answers with the draft status line."""
    wave = selectors.get_wave_for(request.user, pk)
    require_personal(
        request.user,
        "evaluation.answer_wave",
        wave,
        _("This survey is addressed to the peers of its cohort."),
    )
    typed = {key: request.POST.getlist(key) for key in request.POST}
    errors: dict[str, str] = {}
    with service_errors() as refused:
        services.save_response(wave=wave, respondent=request.user, data=typed, submit=False)
    if isinstance(refused.error, services.AnswerErrors):
        errors = refused.error.errors
    elif refused.error is not None:
        failed = {"failed": refused.error.message}
        return render(request, "evaluation/_draft_status.html", failed, status=409)
    return render(
        request,
        "evaluation/_draft_status.html",
        {"saved_at": timezone.localtime(), "errors": errors},
    )


@login_required
def response_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(
        selectors.responses_for(request.user).select_related("instrument"), pk=pk
    )
    require(
        request.user,
        "evaluation.view_response",
        response,
        _("You cannot read this response."),
    )
    answers = selectors.answers_visible_to(request.user, response)
    if response.respondent_id != request.user.pk:
        services.record_access(
            programme=response.wave.programme,
            user=request.user,
            action=AccessRecord.Action.RESPONSE,
            detail=f"response {response.pk}",
        )
    return render(
        request,
        "evaluation/response_detail.html",
        {
            "response": response,
            "answers": selectors.readable_answers(answers, response.wave.programme),
            "programme": response.wave.programme,
        },
    )
