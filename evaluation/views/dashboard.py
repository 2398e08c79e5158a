"""The managers' side: the dashboard, the printable report, exports, and impact indicators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.roles import roles_in

from .. import indicators, plan, selectors, services
from ..forms import ImpactIndicatorForm, ObservationForm
from ..models import AccessRecord
from .common import STAFF_ONLY, programme_with_perm

if TYPE_CHECKING:
    from programmes.models import Programme

#: The printable report shows this many stories, the latest first, and counts the others.
REPORT_STORIES = 10


@login_required
def dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
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
        "theory": plan.progress(
            programme, {i.code: i.label for _t, _l, items in data.tiers for i in items}
        ),
    }
    return render(request, "evaluation/dashboard.html", context)


@login_required
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The printable report: aggregates, and the latest stories shared with the programme
    (how many more there are, not all of them)."""
    programme = programme_with_perm(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    data = indicators.dashboard(programme)
    services.record_access(
        programme=programme, user=request.user, action=AccessRecord.Action.REPORT
    )
    shared = selectors.stories_for(request.user, programme).exclude(
        visibility__in=["private", "group", "facilitators"]
    )
    stories = list(shared[:REPORT_STORIES])
    return render(
        request,
        "evaluation/report.html",
        {
            "programme": programme,
            "d": data,
            "rates": selectors.response_rates(programme),
            "stories": stories,
            "more_stories": shared.count() - len(stories) if len(stories) == REPORT_STORIES else 0,
            "today": timezone.localdate(),
        },
    )


def _impact_page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    *,
    indicator_form: ImpactIndicatorForm | None = None,
    observation_form: ObservationForm | None = None,
) -> HttpResponse:
    """The impact indicators and their observations per country, with the forms to add them (a
    form given back bound shows its errors)."""
    indicator_list = list(selectors.impact_indicators(programme))
    choices = [(i.pk, i.name) for i in indicator_list]
    refused = indicator_form is not None or observation_form is not None
    return render(
        request,
        "evaluation/impact.html",
        {
            "programme": programme,
            "rows": indicators.impact_rows(programme),
            "indicators": indicator_list,
            "indicator_form": indicator_form or ImpactIndicatorForm(),
            "observation_form": observation_form or ObservationForm(indicators=choices),
            "can_edit": request.user.has_perm("evaluation.manage_impact", programme),
        },
        status=400 if refused else 200,
    )


@login_required
@require_GET
def impact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    return _impact_page(request, programme)


def _impact_editor(request: AuthenticatedHttpRequest, pk: int) -> Programme:
    programme = programme_with_perm(request, pk, "evaluation.view_dashboard", _(STAFF_ONLY))
    if not request.user.has_perm("evaluation.manage_impact", programme):
        raise PermissionDenied(_("Only the programme's facilitators can configure indicators."))
    return programme


@login_required
@require_POST
def impact_indicator_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _impact_editor(request, pk)
    form = ImpactIndicatorForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.add_impact_indicator(programme=programme, **form.cleaned_data)
            messages.success(request, _("Indicator added."))
            return redirect("evaluation:impact", pk=programme.pk)
    return _impact_page(request, programme, indicator_form=form)


@login_required
@require_POST
def impact_observation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _impact_editor(request, pk)
    indicator_list = list(selectors.impact_indicators(programme))
    form = ObservationForm(request.POST, indicators=[(i.pk, i.name) for i in indicator_list])
    if form.is_valid():
        data = form.cleaned_data
        chosen = next(i for i in indicator_list if str(i.pk) == data["indicator"])
        with service_errors(request):
            services.record_observation(
                indicator=chosen,
                country=data["country"],
                observed_on=data["observed_on"],
                value=data["value"],
            )
            messages.success(request, _("Observation recorded."))
            return redirect("evaluation:impact", pk=programme.pk)
    return _impact_page(request, programme, observation_form=form)
