"""Diffusion plans: a peer writes theirs, adds activities and proposes it; their sponsor confirms
the time and means committed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import get_programme_for

from .. import forms, selectors, services
from ..models import DiffusionPlan
from .common import require


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(request, "diffusion.make_plan", programme, _("Only peers make diffusion plans."))
    user = request.user
    plan = selectors.own_plan(user, programme)
    form = forms.PlanForm(request.POST or None, initial={"goal": plan.goal if plan else ""})
    if request.method == "POST" and form.is_valid():
        plan = services.save_plan(
            programme=programme,
            peer=user,
            goal=form.cleaned_data["goal"],
            propose=form.cleaned_data["propose"],
        )
        messages.success(request, _("Your diffusion plan is saved."))
        return redirect(plan)
    return render(
        request, "diffusion/plan_form.html", {"programme": programme, "form": form, "plan": plan}
    )


def _plan_page(
    request: AuthenticatedHttpRequest, plan: DiffusionPlan, **forms_: Any
) -> HttpResponse:
    context = {
        "programme": plan.programme,
        "plan": plan,
        "activities": plan.activities.all(),
        "activity_form": forms_.get("activity_form") or forms.PlannedActivityForm(),
        "confirm_form": forms_.get("confirm_form")
        or forms.ConfirmPlanForm(initial={"time_and_means": plan.time_and_means}),
    }
    status = 400 if forms_ else 200
    return render(request, "diffusion/plan_detail.html", context, status=status)


def _get_plan(request: AuthenticatedHttpRequest, plan_pk: int) -> DiffusionPlan:
    plan = selectors.get_plan_for(request.user, plan_pk)
    require(request, "diffusion.view_plan", plan, _("You cannot see this diffusion plan."))
    return plan


@login_required
def plan_detail(request: AuthenticatedHttpRequest, plan_pk: int) -> HttpResponse:
    return _plan_page(request, _get_plan(request, plan_pk))


@login_required
@require_POST
def plan_activity_add(request: AuthenticatedHttpRequest, plan_pk: int) -> HttpResponse:
    plan = _get_plan(request, plan_pk)
    require(request, "diffusion.change_plan", plan, _("Only the peer can change their plan."))
    form = forms.PlannedActivityForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, activity_form=form)
    services.add_planned_activity(plan=plan, **form.cleaned_data)
    messages.success(request, _("The activity is added to the plan."))
    return redirect(plan)


@login_required
@require_POST
def plan_confirm(request: AuthenticatedHttpRequest, plan_pk: int) -> HttpResponse:
    plan = _get_plan(request, plan_pk)
    require(
        request,
        "diffusion.confirm_plan",
        plan,
        _("Only the sponsor of the peer's organisation can confirm this plan."),
    )
    form = forms.ConfirmPlanForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, confirm_form=form)
    with service_errors(form):
        services.confirm_plan(
            plan=plan, sponsor=request.user, time_and_means=form.cleaned_data["time_and_means"]
        )
        messages.success(request, _("You confirmed the plan and the time and means committed."))
        return redirect(plan)
    return _plan_page(request, plan, confirm_form=form)
