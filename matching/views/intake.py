"""The intake: a peer's answers (with autosave), and its set-up and reminders for facilitators."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.jobs import enqueue
from peerlearn.listing import paginate

from .. import selectors, services
from ..forms import CompletionFilters, IntakeForm, SurveyForm
from ..models import IntakeSurvey
from ..tasks import send_intake_reminders
from .access import programme_for

if TYPE_CHECKING:
    from programmes.models import Programme


def _peer_survey(request: AuthenticatedHttpRequest, programme: Programme) -> IntakeSurvey:
    cohort = selectors.peer_cohort(request.user, programme)
    if cohort is None:
        raise PermissionDenied(_("You are not in a cohort of this programme yet."))
    return services.ensure_survey(cohort=cohort)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.fill_intake")
    survey = _peer_survey(request, programme)
    response = selectors.own_response(request.user, survey)
    is_open = selectors.intake_open(survey, request.user)
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("Groups are published, so the intake is closed."))
            return redirect("matching:intake", pk=programme.pk)
        form = IntakeForm(request.POST, survey=survey)
        if form.is_valid():
            with service_errors(form):
                services.submit_intake(survey=survey, user=request.user, answers=form.answers())
                messages.success(
                    request,
                    _(
                        "Thank you: your answers are saved. You can revise them until groups are "
                        "published."
                    ),
                )
                return redirect("matching:intake", pk=programme.pk)
        services.save_draft(
            survey=survey, user=request.user, data=IntakeForm.draft_from(request.POST)
        )
    else:
        stored: dict[str, Any] = {}
        if response is not None:
            stored = response.draft or response.answers
        initial = IntakeForm.initial_from(stored)
        if not initial.get("languages"):
            initial["languages"] = selectors.imported_languages_of(request.user, programme)
        form = IntakeForm(initial=initial, survey=survey)
    context = {
        "programme": programme,
        "survey": survey,
        "form": form,
        "response": response,
        "is_open": is_open,
    }
    return render(request, "matching/intake.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def intake_draft(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Autosave (HTMX): keep what the peer has typed so far."""
    programme = programme_for(request, pk, "matching.fill_intake")
    survey = _peer_survey(request, programme)
    if not selectors.intake_open(survey, request.user):
        return render(request, "matching/_draft_status.html", {"closed": True}, status=409)
    response = services.save_draft(
        survey=survey, user=request.user, data=IntakeForm.draft_from(request.POST)
    )
    return render(request, "matching/_draft_status.html", {"response": response})


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.manage_matching")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    form = SurveyForm(
        request.POST or None,
        initial={"factors": survey.factors, "introduction": survey.introduction},
    )
    if request.method == "POST" and form.is_valid():
        services.update_survey(
            survey=survey,
            factors=form.cleaned_data["factors"],
            introduction=form.cleaned_data["introduction"],
        )
        messages.success(request, _("The intake survey is saved."))
        return redirect("matching:survey", pk=programme.pk, cohort_id=cohort.pk)
    filters = CompletionFilters(request)
    everyone = selectors.completion_rows(survey)
    context = {
        "programme": programme,
        "cohort": cohort,
        "survey": survey,
        "form": form,
        "rows": paginate(
            request,
            selectors.completion_rows(survey, **filters.values()),
            filters=filters,
            label=_("Pages of peers"),
        ),
        "done": everyone.filter(submitted_at__isnull=False).count(),  # type: ignore[misc]
        "total": everyone.count(),
    }
    return render(request, "matching/survey.html", context)


@login_required
@require_POST
def send_reminders(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.manage_matching")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    if enqueue(send_intake_reminders, survey.pk):
        messages.success(
            request, _("Reminders are on their way to the peers who have not finished.")
        )
    else:
        messages.error(
            request,
            _(
                "The reminders could not be sent: the background service cannot be reached. "
                "Please try again in a few minutes."
            ),
        )
    return redirect("matching:survey", pk=programme.pk, cohort_id=cohort.pk)
