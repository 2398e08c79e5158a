"""The facilitators' side: scheduling survey waves and inviting a comparison group, building
instruments and their questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.listing import paginate

from .. import selectors, services
from ..forms import InstrumentForm, ItemForm, ResponseFilters, WaveForm
from .common import STAFF_ONLY, programme_with_perm, require


@login_required
@require_http_methods(["GET", "POST"])
def wave_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(
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
        with service_errors(form):
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
def wave_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    wave = selectors.get_wave_for(request.user, pk)
    require(request.user, "evaluation.view_wave_responses", wave, _(STAFF_ONLY))
    can_invite = request.user.has_perm("evaluation.manage_waves", wave.programme)
    lines = ""
    invite_errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied(_("Only the programme's facilitators can invite a comparison."))
        lines = request.POST.get("emails", "")
        with service_errors() as refused:
            invited = services.invite_comparison_group(
                wave=wave, lines=lines, invited_by=request.user
            )
            messages.success(
                request,
                _("%(count)s people invited to the comparison group.") % {"count": len(invited)},
            )
            return redirect("evaluation:wave", pk=wave.pk)
        error = refused.error
        # every bad line is named; nobody is invited until all are fine
        invite_errors = error.errors if isinstance(error, services.InviteeErrors) else [str(error)]
        status = 400
    rates = {row["wave"].pk: row for row in selectors.response_rates(wave.programme)}
    filters = ResponseFilters(request)
    responses = paginate(
        request,
        selectors.wave_responses(wave, q=filters.values().get("q", "")),
        filters=filters,
        label=_("Pages of responses"),
    )
    return render(
        request,
        "evaluation/wave_detail.html",
        {
            "wave": wave,
            "programme": wave.programme,
            "rate": rates.get(wave.pk),
            "responses": responses,
            "comparison_count": wave.comparison_invitees.count(),
            "can_invite": can_invite,
            "lines": lines,
            "invite_errors": invite_errors,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def instruments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    can_build = request.user.has_perm("evaluation.manage_instruments", programme)
    form = InstrumentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_build:
            raise PermissionDenied(_("Only the programme's facilitators can build instruments."))
        if form.is_valid():
            instrument = services.create_instrument(
                programme=programme,
                created_by=request.user,
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
def instrument_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.get_instrument_for(request.user, pk)
    require(
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
            with service_errors(form):
                item = services.add_item(
                    instrument=instrument,
                    edited_by=request.user,
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
def item_delete(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    instrument = selectors.get_instrument_for(request.user, pk)
    if instrument.programme is None:
        raise PermissionDenied(_("Built-in instruments cannot be changed; build your own."))
    require(
        request.user,
        "evaluation.manage_instruments",
        instrument.programme,
        _("Only the programme's facilitators can change it."),
    )
    target_item = get_object_or_404(instrument.items.all(), pk=item)
    with service_errors(request):
        target = services.remove_item(item=target_item, edited_by=request.user)
        messages.success(request, _("Question removed."))
        return redirect("evaluation:instrument", pk=target.pk)
    return redirect("evaluation:instrument", pk=instrument.pk)
