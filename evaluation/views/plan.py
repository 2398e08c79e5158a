"""The evaluation plan: indicators linked to the theory of change, and the checklist's answers
on how peer learning could be evaluated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest

from .. import indicators, plan
from ..models import ImpactIndicator, TheoryLink
from .common import STAFF_ONLY, programme_with_perm

if TYPE_CHECKING:
    from programmes.models import Programme


def builtin_labels(programme: Programme) -> dict[str, str]:
    data = indicators.dashboard(programme)
    return {i.code: i.label for _tier, _label, items in data.tiers for i in items}


@login_required
@require_GET
def plan_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    labels = builtin_labels(programme)
    context = {
        "programme": programme,
        "rows": plan.progress(programme, labels),
        "answers": plan.evaluation_answers(programme),
        "can_manage": request.user.has_perm("evaluation.manage_impact", programme),
        "elements": plan.elements_of(programme),
        "builtin": sorted(labels.items(), key=lambda item: item[1]),
        "impact": ImpactIndicator.objects.filter(programme=programme),
        "expected": TheoryLink.Expected.choices,
    }
    return render(request, "evaluation/plan.html", context)


def _manage(request: AuthenticatedHttpRequest, pk: int) -> Programme:
    programme = programme_with_perm(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    if not request.user.has_perm("evaluation.manage_impact", programme):
        raise PermissionDenied(_("Only the programme's facilitators link indicators."))
    return programme


@login_required
@require_POST
def plan_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _manage(request, pk)
    with service_errors(request):
        plan.link_indicator(
            programme=programme,
            element_key=request.POST.get("element", ""),
            indicator=request.POST.get("indicator", ""),
            expected=request.POST.get("expected", ""),
        )
        messages.success(request, _("The indicator is linked."))
    return redirect("evaluation:plan", pk=programme.pk)


@login_required
@require_POST
def plan_unlink(request: AuthenticatedHttpRequest, pk: int, link_id: int) -> HttpResponse:
    programme = _manage(request, pk)
    with service_errors(request):
        plan.unlink_indicator(programme=programme, link_id=link_id)
        messages.success(request, _("The link is removed."))
    return redirect("evaluation:plan", pk=programme.pk)
