"""Problem themes of a cohort: the page, and one address per change a facilitator makes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import ServiceError, service_errors
from peerlearn.http import AuthenticatedHttpRequest

from .. import selectors, services
from ..models import IntakeSurvey, Theme
from .access import programme_for


@login_required
@require_GET
def themes(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.view_themes")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    context = {
        "programme": programme,
        "cohort": cohort,
        "survey": survey,
        "themes": list(selectors.themes_of(survey)),
        "unthemed": selectors.unthemed_challenges(survey),
        "can_manage": request.user.has_perm("matching.manage_matching", programme),
    }
    return render(request, "matching/themes.html", context)


def _survey_to_change(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> IntakeSurvey:
    programme = programme_for(request, pk, "matching.view_themes")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    if not request.user.has_perm("matching.manage_matching", programme):
        raise PermissionDenied(_("Only facilitators can change themes."))
    return services.ensure_survey(cohort=cohort)


def _theme(survey: IntakeSurvey, theme_id: int) -> Theme:
    return get_object_or_404(survey.themes.all(), pk=theme_id)


def _back(survey: IntakeSurvey) -> HttpResponse:
    return redirect("matching:themes", pk=survey.cohort.programme_id, cohort_id=survey.cohort_id)


def _choice(value: str | None) -> int:
    """A choice from a list in the form; anything else is refused in plain words."""
    try:
        return int(value or "")
    except ValueError:
        raise ServiceError(_("Please choose from the list.")) from None


@login_required
@require_POST
def propose(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    survey = _survey_to_change(request, pk, cohort_id)
    with service_errors(request):
        count_text = request.POST.get("count", "").strip()
        count = _choice(count_text) if count_text else None
        if count is not None and not 1 <= count <= 50:
            raise ServiceError(_("Choose between 1 and 50 themes, or leave it empty."))
        created = services.propose_cohort_themes(survey=survey, count=count)
        messages.success(
            request,
            ngettext("%(count)d theme proposed.", "%(count)d themes proposed.", len(created))
            % {"count": len(created)},
        )
    return _back(survey)


@login_required
@require_POST
def accept(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    survey = _survey_to_change(request, pk, cohort_id)
    with service_errors(request):
        services.accept_themes(survey=survey)
        messages.success(request, _("Themes accepted: matching will use them."))
    return _back(survey)


@login_required
@require_POST
def rename(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, theme_id: int
) -> HttpResponse:
    survey = _survey_to_change(request, pk, cohort_id)
    theme = _theme(survey, theme_id)
    with service_errors(request):
        services.rename_theme(theme=theme, name=request.POST.get("name", ""))
        messages.success(request, _("Theme renamed."))
    return _back(survey)


@login_required
@require_POST
def merge(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, theme_id: int
) -> HttpResponse:
    survey = _survey_to_change(request, pk, cohort_id)
    source = _theme(survey, theme_id)
    with service_errors(request):
        target = _theme(survey, _choice(request.POST.get("target")))
        services.merge_themes(source=source, target=target)
        messages.success(request, _("Themes merged."))
    return _back(survey)


@login_required
@require_POST
def split(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, theme_id: int
) -> HttpResponse:
    survey = _survey_to_change(request, pk, cohort_id)
    theme = _theme(survey, theme_id)
    with service_errors(request):
        ids = [_choice(value) for value in request.POST.getlist("challenges")]
        services.split_theme(theme=theme, challenge_ids=ids, name=request.POST.get("name", ""))
        messages.success(request, _("Theme split."))
    return _back(survey)


@login_required
@require_POST
def delete(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, theme_id: int
) -> HttpResponse:
    survey = _survey_to_change(request, pk, cohort_id)
    theme = _theme(survey, theme_id)
    with service_errors(request):
        services.delete_empty_theme(theme=theme)
        messages.success(request, _("Theme deleted."))
    return _back(survey)


@login_required
@require_POST
def move_statement(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, challenge_id: int
) -> HttpResponse:
    """Move a challenge statement to another theme, or (with no target) out of every theme."""
    survey = _survey_to_change(request, pk, cohort_id)
    challenge = get_object_or_404(selectors.challenges_of(survey), pk=challenge_id)
    with service_errors(request):
        target = request.POST.get("target", "")
        destination = _theme(survey, _choice(target)) if target else None
        services.move_challenge(challenge=challenge, theme=destination)
        messages.success(request, _("Statement moved."))
    return _back(survey)
