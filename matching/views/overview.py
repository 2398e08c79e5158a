"""Matching at a glance for each role, and a peer's own group (with a request to move)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.listing import paginate

from .. import selectors, services
from ..forms import MoveRequestForm
from .access import programme_for


@login_required
@require_GET
def overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.view_matching")
    can_manage = request.user.has_perm("matching.manage_matching", programme)
    can_view_runs = request.user.has_perm("matching.view_runs", programme)
    cohorts = None
    rows = []
    if can_view_runs:
        cohorts = paginate(
            request,
            selectors.cohorts_with_counts(programme),
            per_page=10,
            label=_("Pages of cohorts"),
        )
        runs = selectors.latest_runs([cohort.pk for cohort in cohorts])
        for cohort in cohorts:
            cohort_runs = runs.get(cohort.pk, [])
            rows.append(
                {
                    "cohort": cohort,
                    "survey": getattr(cohort, "intake_survey", None),
                    "peers": cohort.peer_count,
                    "done": cohort.done_count,
                    "themes": cohort.theme_count,
                    "runs": cohort_runs,
                    "published": next((r for r in cohort_runs if r.published_at), None),
                }
            )
    context = {
        "programme": programme,
        "cohorts": rows,
        "cohort_pages": cohorts,
        "can_manage": can_manage,
        "can_view_runs": can_view_runs,
        "is_peer": request.user.has_perm("matching.fill_intake", programme),
        "my_group": selectors.my_group(request.user, programme),
    }
    return render(request, "matching/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.view_my_group")
    group = selectors.my_group(request.user, programme)
    form = None
    pending = None
    status = 200
    if group is not None:
        run = group.run
        others = run.groups.exclude(pk=group.pk)
        form = MoveRequestForm(request.POST or None, groups=others)
        if request.method == "POST":
            if form.is_valid():
                with service_errors(form):
                    services.request_move(
                        run=run,
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                        wanted_group=form.cleaned_data["wanted_group"],
                    )
                    messages.success(request, _("Your request is sent to your facilitator."))
                    return redirect("matching:my_group", pk=programme.pk)
            status = 400
        # read after the post: a request sent at the same moment from elsewhere shows here
        pending = run.move_requests.filter(user=request.user).first()
    elif request.method == "POST":
        messages.error(request, _("You have no published group yet."))
        return redirect("matching:my_group", pk=programme.pk)
    notice = selectors.unopened_notice(request.user, programme) if group else None
    if notice is not None and request.method == "GET":
        services.open_notice(user=request.user, run=notice.run)
    contacts = selectors.member_contacts(request.user, group) if group else []
    context = {
        "programme": programme,
        "group": group,
        "members": contacts,
        "mailto": selectors.mailto_group(contacts, exclude=request.user.pk),
        "hidden_count": sum(1 for c in contacts if c["hidden"]),
        "notice": notice,
        "form": form,
        "pending": pending,
    }
    return render(request, "matching/my_group.html", context, status=status)
