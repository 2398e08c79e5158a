"""Proposals and versions of a cohort's themes: asking for a proposal (from the statements
alone, or starting from theme names), its progress, comparing a version with the themes in
use, and replacing them (only when confirmed) or setting a proposal aside."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import ServiceError, service_errors
from peerlearn.http import AuthenticatedHttpRequest

from .. import selectors, services, themes
from ..forms import GuidedThemesForm, ProposeThemesForm
from ..models import IntakeSurvey, ThemeSet
from .access import programme_for
from .themes import as_id, back, render_page, survey_to_change

MOVES_SHOWN = 100


def _language() -> str:
    """The facilitator's language, in which theme names are proposed."""
    return (get_language() or "en").split("-")[0].lower()


def _queued(request: AuthenticatedHttpRequest, proposal: ThemeSet) -> None:
    """Say where the proposal is (without a task queue it is done already)."""
    proposal.refresh_from_db()
    if proposal.status == ThemeSet.Status.SAVED:
        text = ngettext(
            "%(count)d theme proposed; the cohort's themes are these now.",
            "%(count)d themes proposed; the cohort's themes are these now.",
            proposal.theme_count,
        ) % {"count": proposal.theme_count}
    elif proposal.status == ThemeSet.Status.READY:
        text = _("The proposal is ready: compare it with the themes in use.")
    elif proposal.status == ThemeSet.Status.FAILED:
        messages.error(request, proposal.error)
        return
    else:
        text = _("Themes are being proposed: this page shows the progress.")
    messages.success(request, text)


@login_required
@require_POST
def propose(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    """Propose themes from the statements alone (``count`` of them, or a count chosen)."""
    survey = survey_to_change(request, pk, cohort_id)
    form = ProposeThemesForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            proposal = services.request_proposal(
                survey=survey,
                by=request.user,
                count=form.cleaned_data["count"],
                language=_language(),
            )
            _queued(request, proposal)
            return back(request, survey)
    return render_page(request, survey, status=400, propose_form=form)


@login_required
@require_POST
def propose_guided(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    """Propose themes starting from theme names with a line of description."""
    survey = survey_to_change(request, pk, cohort_id)
    form = GuidedThemesForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            proposal = services.request_proposal(
                survey=survey,
                by=request.user,
                seeds=form.cleaned_data["seeds"],
                new_count=form.cleaned_data["new_count"],
                language=_language(),
            )
            _queued(request, proposal)
            return back(request, survey)
    return render_page(request, survey, status=400, guided_form=form, guided_open=True)


@login_required
@require_GET
def proposal_progress(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, set_id: int
) -> HttpResponse:
    """HTMX polling: the progress of a proposal, or (once it is done) a signal to reload."""
    programme = programme_for(request, pk, "matching.manage_matching")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    proposal = selectors.get_theme_set(survey, set_id)
    context = {"programme": programme, "cohort": cohort, "proposal": proposal}
    response = render(request, "matching/_theme_progress.html", context)
    if not proposal.is_active and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


def _version_context(survey: IntakeSurvey, theme_set: ThemeSet) -> dict[str, Any]:
    live = selectors.live_theme_members(survey)
    candidate = selectors.theme_set_members(survey, theme_set)
    changes = themes.compare(live, candidate)
    shown = changes.moves[:MOVES_SHOWN]
    texts = selectors.statement_texts(survey, [move.statement for move in shown])
    return {
        "programme": survey.cohort.programme,
        "cohort": survey.cohort,
        "survey": survey,
        "theme_set": theme_set,
        "changes": changes,
        "moves": [(texts.get(move.statement, ""), move) for move in shown],
        "more_moves": max(0, len(changes.moves) - len(shown)),
        "in_use": theme_set.pk == survey.current_set_id and not survey.themes_edited,
        "can_apply": theme_set.status in (ThemeSet.Status.READY, ThemeSet.Status.SAVED),
        "candidate_themes": sorted(candidate.items(), key=lambda item: (-len(item[1]), item[0])),
    }


@login_required
@require_GET
def version(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, set_id: int
) -> HttpResponse:
    """What would change if this version replaced the themes in use."""
    survey = survey_to_change(request, pk, cohort_id)
    theme_set = selectors.get_theme_set(survey, set_id)
    return render(request, "matching/theme_version.html", _version_context(survey, theme_set))


@login_required
@require_POST
def apply(request: AuthenticatedHttpRequest, pk: int, cohort_id: int, set_id: int) -> HttpResponse:
    """Replace the themes in use by this version, once confirmed."""
    survey = survey_to_change(request, pk, cohort_id)
    theme_set = selectors.get_theme_set(survey, set_id)
    with service_errors(request):
        revision = as_id(request.POST.get("revision", ""))
        if revision is None:
            raise ServiceError(_("Compare the themes again before replacing them."))
        created = services.apply_theme_set(
            theme_set=theme_set,
            by=request.user,
            revision=revision,
            confirmed=request.POST.get("confirm") == "yes",
        )
        messages.success(
            request,
            ngettext(
                "The themes in use are now version %(number)d (%(count)d theme).",
                "The themes in use are now version %(number)d (%(count)d themes).",
                len(created),
            )
            % {"number": theme_set.number, "count": len(created)},
        )
        return back(request, survey)
    survey.refresh_from_db()
    theme_set.refresh_from_db()
    context = _version_context(survey, theme_set)
    return render(request, "matching/theme_version.html", context, status=400)


@login_required
@require_POST
def discard(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, set_id: int
) -> HttpResponse:
    """Set a proposal aside; the themes in use stay as they are."""
    survey = survey_to_change(request, pk, cohort_id)
    theme_set = selectors.get_theme_set(survey, set_id)
    with service_errors(request):
        services.discard_proposal(theme_set=theme_set)
        messages.success(request, _("Proposal set aside: the themes in use did not change."))
    return back(request, survey)
