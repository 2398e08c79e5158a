"""The sponsor's progress report, its monthly email, and unsubscribing from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from group_life import selectors as group_life
from peerlearn.http import AuthenticatedHttpRequest, posted_id
from programmes.selectors import get_programme_for

from .. import selectors, services
from .common import require


@login_required
def sponsor_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(
        request,
        "diffusion.view_sponsor_report",
        programme,
        _("Progress reports are for the organisation's sponsor and the programme's staff."),
    )
    user = request.user
    organisations = selectors.report_organisations(user, programme)
    chosen = request.GET.get("organisation")
    organisation = None
    if chosen:
        organisation = get_object_or_404(organisations, pk=posted_id(chosen))
    else:
        organisation = organisations.first()
    sponsor_membership = (
        selectors.own_sponsor_roles(user, programme).filter(organisation=organisation).first()
    )
    context = {
        "programme": programme,
        "organisations": organisations,
        "organisation": organisation,
        "report": selectors.sponsor_report(programme, organisation) if organisation else None,
        "placements": (
            list(group_life.placements_of_organisation(programme, organisation))
            if organisation
            else []
        ),
        "sponsor_membership": sponsor_membership,
        "subscribed": sponsor_membership is not None
        and selectors.receives_sponsor_report(sponsor_membership),
    }
    return render(request, "diffusion/sponsor_report.html", context)


@login_required
@require_POST
def sponsor_subscription(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(
        request,
        "diffusion.view_sponsor_report",
        programme,
        _("Progress reports are for the organisation's sponsor and the programme's staff."),
    )
    membership = get_object_or_404(
        selectors.own_sponsor_roles(request.user, programme),
        pk=posted_id(request.POST.get("membership")),
    )
    subscribed = request.POST.get("subscribed") == "1"
    services.set_sponsor_report_subscription(membership=membership, subscribed=subscribed)
    if subscribed:
        messages.success(request, _("You will receive the monthly progress report by email."))
    else:
        messages.success(request, _("You will no longer receive the monthly progress report."))
    url = reverse("diffusion:sponsor_report", kwargs={"pk": programme.pk})
    return redirect(f"{url}?organisation={membership.organisation_id}")


@require_http_methods(["GET", "POST"])
def sponsor_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from the monthly email, from the link in the email itself."""
    membership = selectors.membership_from_unsubscribe_token(token)
    if membership is None:
        return render(request, "diffusion/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.set_sponsor_report_subscription(membership=membership, subscribed=False)
        done = True
    return render(request, "diffusion/unsubscribe.html", {"membership": membership, "done": done})
