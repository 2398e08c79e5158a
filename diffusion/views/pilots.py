"""Rapid-results pilots: the results chain, milestones and updates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import get_programme_for

from .. import forms, selectors, services
from ..models import Pilot, PilotMilestone
from .common import require


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(request, "diffusion.add_pilot", programme, _("Only peers start pilots."))
    form = forms.PilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pilot = services.start_pilot(
            programme=programme,
            lead=request.user,
            title=data["title"],
            goal=data["goal"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        messages.success(request, _("The pilot is started."))
        return redirect(pilot)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "diffusion/pilot_form.html", {"programme": programme, "form": form}, status=status
    )


def _get_pilot(request: AuthenticatedHttpRequest, pilot_pk: int) -> Pilot:
    pilot = selectors.get_pilot_for(request.user, pilot_pk)
    require(request, "diffusion.view_pilot", pilot, _("You cannot see this pilot."))
    return pilot


def _pilot_page(request: AuthenticatedHttpRequest, pilot: Pilot, **forms_: Any) -> HttpResponse:
    can_change = request.user.has_perm("diffusion.change_pilot", pilot)
    today = timezone.localdate()
    context = {
        "programme": pilot.programme,
        "pilot": pilot,
        "steps": pilot.steps.all(),
        "milestones": pilot.milestones.all(),
        "updates": pilot.updates.select_related("author"),
        "can_change": can_change,
        "days_left": (pilot.ends_on - today).days,
        "step_form": forms_.get("step_form") or forms.PilotStepForm(),
        "milestone_form": forms_.get("milestone_form") or forms.MilestoneForm(),
        "update_form": forms_.get("update_form") or forms.PilotUpdateForm(can_change=can_change),
    }
    return render(request, "diffusion/pilot_detail.html", context, status=400 if forms_ else 200)


@login_required
def pilot_detail(request: AuthenticatedHttpRequest, pilot_pk: int) -> HttpResponse:
    return _pilot_page(request, _get_pilot(request, pilot_pk))


@login_required
@require_POST
def pilot_step_add(request: AuthenticatedHttpRequest, pilot_pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pilot_pk)
    require(request, "diffusion.change_pilot", pilot, _("Only the pilot's lead can."))
    form = forms.PilotStepForm(request.POST)
    if not form.is_valid():
        return _pilot_page(request, pilot, step_form=form)
    services.add_pilot_step(pilot=pilot, **form.cleaned_data)
    messages.success(request, _("The step is added to the results chain."))
    return redirect(pilot)


@login_required
@require_POST
def pilot_milestone_add(request: AuthenticatedHttpRequest, pilot_pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pilot_pk)
    require(request, "diffusion.change_pilot", pilot, _("Only the pilot's lead can."))
    form = forms.MilestoneForm(request.POST)
    if not form.is_valid():
        return _pilot_page(request, pilot, milestone_form=form)
    services.add_milestone(pilot=pilot, **form.cleaned_data)
    messages.success(request, _("The milestone is added."))
    return redirect(pilot)


@login_required
@require_POST
def pilot_milestone_reached(
    request: AuthenticatedHttpRequest, pilot_pk: int, milestone_pk: int
) -> HttpResponse:
    pilot = _get_pilot(request, pilot_pk)
    require(request, "diffusion.change_pilot", pilot, _("Only the pilot's lead can."))
    milestone = get_object_or_404(PilotMilestone, pk=milestone_pk, pilot=pilot)
    services.mark_milestone_reached(milestone=milestone, reached_on=timezone.localdate())
    messages.success(request, _("The milestone is marked as reached."))
    return redirect(pilot)


@login_required
@require_POST
def pilot_update_add(request: AuthenticatedHttpRequest, pilot_pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pilot_pk)
    require(
        request, "diffusion.comment_pilot", pilot, _("Only peers and facilitators can comment.")
    )
    can_change = request.user.has_perm("diffusion.change_pilot", pilot)
    form = forms.PilotUpdateForm(request.POST, can_change=can_change)
    valid = form.is_valid()
    if valid:
        services.post_pilot_update(
            pilot=pilot,
            author=request.user,
            text=form.cleaned_data["text"],
            status=form.cleaned_data.get("status", ""),
            outcome=form.cleaned_data.get("outcome", ""),
        )
    if getattr(request, "htmx", False):
        # the updates section alone, with a fresh form (or the errors), swapped in place
        pilot.refresh_from_db()
        context = {
            "pilot": pilot,
            "updates": pilot.updates.select_related("author"),
            "update_form": forms.PilotUpdateForm(can_change=can_change) if valid else form,
        }
        return render(request, "diffusion/_pilot_updates.html", context)
    if not valid:
        return _pilot_page(request, pilot, update_form=form)
    messages.success(request, _("Your comment is posted."))
    return redirect(pilot)
