"""Report-back sessions at home: logging one, its attendees and materials, and the attendee's
feedback through their personal link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import get_programme_for

from .. import forms, graph, selectors, services
from .common import no_store, require


@login_required
@require_http_methods(["GET", "POST"])
def report_back_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(
        request, "diffusion.log_report_back", programme, _("Only peers log report-back sessions.")
    )
    form = forms.ReportBackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            try:
                report_back = services.log_report_back(
                    submission_key=data["submission_key"],
                    programme=programme,
                    peer=request.user,
                    title=data["title"],
                    held_on=data["held_on"],
                    audience=data["audience"],
                    audience_size=data["audience_size"],
                    level=data["level"],
                    lessons=data["lessons"],
                    lessons_visible_to_sponsor=data["lessons_visible_to_sponsor"],
                    materials=data["materials"] or None,
                    attendee_emails=data["attendee_emails"],
                )
            except services.AlreadyLogged as already:
                messages.info(request, already.message)
                return redirect(already.report_back)
            count = report_back.recipients.count()
            messages.success(
                request,
                ngettext(
                    "Your report-back is logged; %(count)d attendee will receive a link.",
                    "Your report-back is logged; %(count)d attendees will receive a link.",
                    count,
                )
                % {"count": count},
            )
            return redirect(report_back)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "diffusion/report_back_form.html",
        {"programme": programme, "form": form},
        status=status,
    )


def _get_report_back(request: AuthenticatedHttpRequest, report_back_pk: int) -> Any:
    report_back = selectors.get_report_back_for(request.user, report_back_pk)
    require(
        request, "diffusion.view_report_back", report_back, _("You cannot see this report-back.")
    )
    return report_back


def _report_back_page(
    request: AuthenticatedHttpRequest, report_back: Any, attendees_form: Any = None
) -> HttpResponse:
    user = request.user
    can_see_people = user.has_perm("diffusion.change_report_back", report_back)
    context = {
        "programme": report_back.programme,
        "report_back": report_back,
        "recipients": report_back.recipients.select_related("shared_by") if can_see_people else [],
        "can_see_people": can_see_people,
        "show_lessons": can_see_people
        or selectors.sees_whole_programme(user, report_back.programme)
        or report_back.lessons_visible_to_sponsor,
        "attendees_form": attendees_form or forms.AttendeesForm(),
        "materials_name": report_back.materials.name.rsplit("/", 1)[-1]
        if report_back.materials
        else "",
        "reach": graph.reach_of(graph.build_graph([report_back])),
    }
    return render(
        request,
        "diffusion/report_back_detail.html",
        context,
        status=400 if attendees_form else 200,
    )


@login_required
def report_back_detail(request: AuthenticatedHttpRequest, report_back_pk: int) -> HttpResponse:
    return _report_back_page(request, _get_report_back(request, report_back_pk))


@login_required
@require_POST
def report_back_attendees(request: AuthenticatedHttpRequest, report_back_pk: int) -> HttpResponse:
    report_back = _get_report_back(request, report_back_pk)
    require(
        request,
        "diffusion.change_report_back",
        report_back,
        _("Only the peer who held the session can add attendees."),
    )
    form = forms.AttendeesForm(request.POST)
    if not form.is_valid():
        return _report_back_page(request, report_back, form)
    with service_errors(form):
        added = services.add_attendees(report_back=report_back, emails=form.cleaned_data["emails"])
        messages.success(
            request,
            ngettext(
                "%(count)d attendee added; they will receive a link.",
                "%(count)d attendees added; each will receive a link.",
                len(added),
            )
            % {"count": len(added)},
        )
        return redirect(report_back)
    return _report_back_page(request, report_back, form)


@login_required
def report_back_materials(request: AuthenticatedHttpRequest, report_back_pk: int) -> FileResponse:
    """The session's materials, to the people who may see the report-back's attendees."""
    report_back = _get_report_back(request, report_back_pk)
    require(
        request,
        "diffusion.change_report_back",
        report_back,
        _("Only the peer who held the session and the facilitators can open its materials."),
    )
    if not report_back.materials:
        raise Http404
    name = report_back.materials.name.rsplit("/", 1)[-1]
    return FileResponse(report_back.materials.open("rb"), as_attachment=True, filename=name)


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """The attendee's two questions, reached through their personal link, without an account."""
    recipient = selectors.recipient_from_token(token)
    if recipient is None:
        return no_store(render(request, "diffusion/feedback_invalid.html", status=404))
    state = selectors.link_state(recipient)
    if state != "open":
        return no_store(
            render(request, "diffusion/feedback_invalid.html", {"state": state}, status=410)
        )
    report_back = recipient.report_back
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors() as refused:
            onward = services.submit_feedback(
                recipient=recipient,
                will_use=form.cleaned_data["will_use"],
                share_with=form.cleaned_data["share_with"],
            )
            withheld = sum(1 for person in onward if person.email_withheld)
            thanks = {"onward": len(onward) - withheld, "withheld": withheld}
            return no_store(render(request, "diffusion/feedback_thanks.html", thanks))
        return no_store(
            render(
                request,
                "diffusion/feedback_invalid.html",
                {"state": "answered", "error": str(refused.error)},
                status=410,
            )
        )
    context = {
        "form": form,
        "title": report_back.title,
        "held_on": report_back.held_on,
        "sharer": (recipient.shared_by.email if recipient.shared_by else None)
        or report_back.peer.full_name,
    }
    status = 400 if request.method == "POST" else 200
    return no_store(render(request, "diffusion/feedback.html", context, status=status))
