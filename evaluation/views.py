"""Pages of evaluation. Thin: they check permissions and call selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.roles import roles_in
from programmes.selectors import all_programmes, get_programme_for

from . import exports, indicators, selectors, services
from .forms import (
    FollowUpForm,
    ImpactIndicatorForm,
    InstrumentForm,
    ItemForm,
    ObservationForm,
    StoryForm,
    WaveForm,
)
from .models import AccessRecord, Item, Response, Wave

if TYPE_CHECKING:
    from programmes.models import Programme


def _require(user: Any, perm: str, obj: Any, message: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _require_personal(user: Any, perm: str, obj: Any, message: str) -> None:
    """A rule about a person's own answers and stories: checked as written, with no site-admin
    bypass, so that nobody answers for a peer or reads a private story."""
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(message)


def _programme(request: HttpRequest, pk: int, perm: str, message: str) -> Programme:
    programme = get_programme_for(request.user, pk)
    _require(request.user, perm, programme, message)
    return programme


STAFF_ONLY = "Only the programme's facilitators and managers can open this page."


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation section: my surveys and stories (peers); instruments and waves (staff)."""
    programme = _programme(
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


# ---------------------------------------------------------------------------------------------
# Answering


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
        fields.append({"item": item, "name": name, "values": values, "value": "".join(values)})
    return fields


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.get_wave_for(request.user, pk)
    _require_personal(
        request.user,
        "evaluation.answer_wave",
        wave,
        _("This survey is addressed to the peers of its cohort."),
    )
    response = Response.objects.filter(wave=wave, respondent_id=request.user.pk).first()
    instrument = response.instrument if response is not None else wave.instrument
    items = list(instrument.items.all())
    typed: dict[str, list[str]] | None = None
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        typed = {key: request.POST.getlist(key) for key in request.POST}
        submit = "submit" in request.POST
        try:
            response = services.save_response(
                wave=wave,
                respondent=request.user,  # type: ignore[arg-type]
                data=typed,
                submit=submit,
            )
        except services.AnswerErrors as error:
            errors = error.errors
            status = 400
        except services.EvaluationError as error:
            messages.error(request, str(error))
            return redirect("evaluation:home", pk=wave.programme_id)
        else:
            if submit:
                messages.success(request, _("Thank you: your answers are submitted."))
                return redirect("evaluation:home", pk=wave.programme_id)
            messages.success(request, _("Your draft is saved."))
            typed = None
        response = Response.objects.filter(wave=wave, respondent_id=request.user.pk).first()
    fields = _answer_fields(response, items, typed)
    for field in fields:
        field["error"] = errors.get(field["item"].code, "")
    context = {
        "wave": wave,
        "programme": wave.programme,
        "instrument": instrument,
        "fields": fields,
        "errors": errors,
        "response": response,
        "peers": selectors.peer_choices(
            wave.programme, exclude=request.user.pk, viewer=request.user
        ),
        "is_open": wave.status == Wave.Status.OPEN,
    }
    return render(request, "evaluation/answer.html", context, status=status)


@login_required
@require_POST
def save_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: save what the peer has typed so far; answers with the draft status line."""
    wave = selectors.get_wave_for(request.user, pk)
    _require_personal(
        request.user,
        "evaluation.answer_wave",
        wave,
        _("This survey is addressed to the peers of its cohort."),
    )
    typed = {key: request.POST.getlist(key) for key in request.POST}
    errors: dict[str, str] = {}
    try:
        services.save_response(
            wave=wave,
            respondent=request.user,  # type: ignore[arg-type]
            data=typed,
            submit=False,
        )
    except services.AnswerErrors as error:
        errors = error.errors
    except services.EvaluationError as error:
        return render(request, "evaluation/_draft_status.html", {"failed": str(error)}, status=409)
    return render(
        request,
        "evaluation/_draft_status.html",
        {"saved_at": timezone.localtime(), "errors": errors},
    )


@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(
        selectors.responses_for(request.user).select_related("instrument"), pk=pk
    )
    _require(
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


# ---------------------------------------------------------------------------------------------
# Waves and instruments (facilitators)


@login_required
@require_http_methods(["GET", "POST"])
def wave_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(
        request,
        pk,
        "evaluation.manage_waves",
        _("Only the programme's facilitators can schedule surveys."),
    )
    instruments = selectors.current_instruments_for(request.user, programme)
    form = WaveForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        instruments=instruments,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = services.schedule_wave(
                programme=programme,
                instrument=data["instrument"],
                kind=data["kind"],
                title=data["title"],
                cohort=data["cohort"],
                opens_on=data["opens_on"],
                due_on=data["due_on"],
                closes_on=data["closes_on"],
                max_reminders=data["max_reminders"],
                reminder_gap_days=data["reminder_gap_days"],
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The survey wave “%(title)s” is scheduled.") % {"title": wave.title}
            )
            return redirect("evaluation:wave", pk=wave.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "evaluation/wave_form.html", {"programme": programme, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.get_wave_for(request.user, pk)
    _require(request.user, "evaluation.view_wave_responses", wave, _(STAFF_ONLY))
    can_invite = request.user.has_perm("evaluation.manage_waves", wave.programme)
    lines = ""
    invite_errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied(_("Only the programme's facilitators can invite a comparison."))
        lines = request.POST.get("emails", "")
        try:
            invited = services.invite_comparison_group(
                wave=wave,
                lines=lines,
                invited_by=request.user,  # type: ignore[arg-type]
            )
        except services.InviteeErrors as error:
            invite_errors = error.errors
            status = 400
        except services.EvaluationError as error:
            invite_errors = [str(error)]
            status = 400
        else:
            messages.success(
                request,
                _("%(count)s people invited to the comparison group.") % {"count": len(invited)},
            )
            return redirect("evaluation:wave", pk=wave.pk)
    rates = {row["wave"].pk: row for row in selectors.response_rates(wave.programme)}
    return render(
        request,
        "evaluation/wave_detail.html",
        {
            "wave": wave,
            "programme": wave.programme,
            "rate": rates.get(wave.pk),
            "responses": selectors.wave_responses(wave),
            "comparison": wave.comparison_invitees.all(),
            "can_invite": can_invite,
            "lines": lines,
            "invite_errors": invite_errors,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def instruments(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    can_build = request.user.has_perm("evaluation.manage_instruments", programme)
    form = InstrumentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_build:
            raise PermissionDenied(_("Only the programme's facilitators can build instruments."))
        if form.is_valid():
            instrument = services.create_instrument(
                programme=programme,
                created_by=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                translations=form.translations(),
            )
            messages.success(request, _("Instrument created: now add its questions."))
            return redirect("evaluation:instrument", pk=instrument.pk)
    context = {
        "programme": programme,
        "instruments": selectors.current_instruments_for(request.user, programme),
        "form": form,
        "can_build": can_build,
    }
    return render(
        request,
        "evaluation/instruments.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.get_instrument_for(request.user, pk)
    _require(
        request.user,
        "evaluation.view_instrument",
        instrument,
        _("You cannot read this instrument."),
    )
    programme = instrument.programme
    can_edit = (
        programme is not None
        and instrument.is_current
        and request.user.has_perm("evaluation.manage_instruments", programme)
    )
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only the programme's facilitators can change it."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.add_item(
                    instrument=instrument,
                    edited_by=request.user,  # type: ignore[arg-type]
                    kind=data["kind"],
                    text=data["text"],
                    translations=form.translations(),
                    help_text=data["help_text"],
                    choices=data["choices"],
                    required=data["required"],
                    visibility=data["visibility"],
                    min_value=data["min_value"],
                    max_value=data["max_value"],
                )
            except services.EvaluationError as error:
                form.add_error(None, str(error))
            else:
                if item.instrument_id != instrument.pk:
                    messages.info(
                        request,
                        _("This instrument has answers, so version %(v)s was made.")
                        % {"v": item.instrument.version},
                    )
                else:
                    messages.success(request, _("Question added."))
                return redirect("evaluation:instrument", pk=item.instrument_id)
    versions = selectors.instruments_for(request.user).filter(family=instrument.family)
    return render(
        request,
        "evaluation/instrument_detail.html",
        {
            "instrument": instrument,
            "programme": programme,
            "items": instrument.items.all(),
            "form": form,
            "can_edit": can_edit,
            "versions": versions,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    instrument = selectors.get_instrument_for(request.user, pk)
    if instrument.programme is None:
        raise PermissionDenied(_("Built-in instruments cannot be changed; build your own."))
    _require(
        request.user,
        "evaluation.manage_instruments",
        instrument.programme,
        _("Only the programme's facilitators can change it."),
    )
    target_item = get_object_or_404(Item, pk=item, instrument=instrument)
    try:
        target = services.remove_item(item=target_item, edited_by=request.user)  # type: ignore[arg-type]
    except services.EvaluationError as error:
        messages.error(request, str(error))
        return redirect("evaluation:instrument", pk=instrument.pk)
    messages.success(request, _("Question removed."))
    return redirect("evaluation:instrument", pk=target.pk)


# ---------------------------------------------------------------------------------------------
# Stories


@login_required
@require_http_methods(["GET", "POST"])
def stories(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(
        request, pk, "evaluation.view_section", _("You have no role in this programme.")
    )
    can_write = rules.has_perm("evaluation.take_part", request.user, programme)
    form = StoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Value-creation stories are told by the programme's peers."))
        if form.is_valid():
            story = services.start_story(
                programme=programme,
                author=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
            messages.success(request, _("Your story is saved. You will be asked how it ended."))
            return redirect("evaluation:story", pk=story.pk)
    return render(
        request,
        "evaluation/stories.html",
        {
            "programme": programme,
            "stories": selectors.stories_for(request.user, programme),
            "form": form,
            "can_write": can_write,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk)
    _require_personal(
        request.user, "evaluation.view_story", story, _("This story is not shared with you.")
    )
    return render(
        request,
        "evaluation/story_detail.html",
        {
            "story": story,
            "programme": story.programme,
            "can_follow_up": rules.has_perm("evaluation.follow_up_story", request.user, story),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk)
    _require_personal(
        request.user,
        "evaluation.follow_up_story",
        story,
        _("Only the story's author can tell how it continued."),
    )
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        initial={"applied_value": story.applied_value, "realised_value": story.realised_value},
    )
    if request.method == "POST" and form.is_valid():
        follow_up_wave = (
            selectors.waves_for(request.user, story.programme)
            .filter(
                status=Wave.Status.OPEN,
                kind__in=[Wave.Kind.PLUS_3, Wave.Kind.PLUS_6, Wave.Kind.PLUS_12],
            )
            .order_by("-opens_on")
            .first()
        )
        services.follow_up_story(story=story, wave=follow_up_wave, **form.cleaned_data)
        messages.success(request, _("Thank you: your story now has its ending."))
        return redirect("evaluation:story", pk=story.pk)
    return render(
        request,
        "evaluation/story_follow_up.html",
        {"story": story, "programme": story.programme, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------------------------------------
# Dashboard, report, exports, impact


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    data = indicators.dashboard(programme)
    services.record_access(
        programme=programme, user=request.user, action=AccessRecord.Action.DASHBOARD
    )
    context = {
        "programme": programme,
        "d": data,
        "rates": selectors.response_rates(programme),
        "access": selectors.access_records(programme, limit=10),
        "roles": roles_in(request.user, programme),
    }
    return render(request, "evaluation/dashboard.html", context)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    data = indicators.dashboard(programme)
    services.record_access(
        programme=programme, user=request.user, action=AccessRecord.Action.REPORT
    )
    return render(
        request,
        "evaluation/report.html",
        {
            "programme": programme,
            "d": data,
            "rates": selectors.response_rates(programme),
            "stories": selectors.stories_for(request.user, programme).exclude(
                visibility__in=["private", "group", "facilitators"]
            ),
            "today": timezone.localdate(),
        },
    )


@login_required
def export(request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    programme = _programme(
        request,
        pk,
        "evaluation.export",
        _("Only the programme's facilitators and managers can export its data."),
    )
    if what not in exports.TABLES or fmt not in exports.FORMATS:
        raise Http404(_("There is no such export."))
    headers, rows = exports.TABLES[what](request.user, programme)
    services.record_access(
        programme=programme,
        user=request.user,
        action=AccessRecord.Action.EXPORT,
        detail=f"{what}.{fmt}",
    )
    return exports.FORMATS[fmt](f"{what}-programme-{programme.pk}", headers, rows)


@login_required
@require_http_methods(["GET", "POST"])
def impact(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    can_edit = request.user.has_perm("evaluation.manage_impact", programme)
    indicator_list = list(selectors.impact_indicators(programme))
    choices = [(i.pk, i.name) for i in indicator_list]
    indicator_form = ImpactIndicatorForm(
        request.POST if request.POST.get("form") == "indicator" else None
    )
    observation_form = ObservationForm(
        request.POST if request.POST.get("form") == "observation" else None, indicators=choices
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only the programme's facilitators can configure indicators."))
        try:
            if request.POST.get("form") == "indicator" and indicator_form.is_valid():
                services.add_impact_indicator(programme=programme, **indicator_form.cleaned_data)
                messages.success(request, _("Indicator added."))
                return redirect("evaluation:impact", pk=programme.pk)
            if request.POST.get("form") == "observation" and observation_form.is_valid():
                data = observation_form.cleaned_data
                chosen = next(i for i in indicator_list if str(i.pk) == data["indicator"])
                services.record_observation(
                    indicator=chosen,
                    country=data["country"],
                    observed_on=data["observed_on"],
                    value=data["value"],
                )
                messages.success(request, _("Observation recorded."))
                return redirect("evaluation:impact", pk=programme.pk)
        except services.EvaluationError as error:
            messages.error(request, str(error))
    return render(
        request,
        "evaluation/impact.html",
        {
            "programme": programme,
            "rows": indicators.impact_rows(programme),
            "indicators": indicator_list,
            "indicator_form": indicator_form,
            "observation_form": observation_form,
            "can_edit": can_edit,
        },
        status=400 if request.method == "POST" else 200,
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    """Keep a page reached by a secret link out of caches, referrers and search engines."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def comparison(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to a comparison-group invitee: answer once, without an account. Once
    answered, the link shows and accepts nothing more (answers are never shown back)."""
    invitee = selectors.comparison_from_token(token)
    if invitee is None:
        return _no_store(
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
        return _no_store(
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
        try:
            services.submit_comparison(invitee=invitee, data=typed)
        except services.AnswerErrors as error:
            errors = error.errors
            status = 400
        except services.ComparisonAlreadyAnswered:
            return _no_store(
                render(
                    request,
                    "evaluation/comparison_answer.html",
                    context | {"answered": True},
                    status=409,
                )
            )
        except services.EvaluationError:
            status = 409
        else:
            done = True
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
    return _no_store(
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
