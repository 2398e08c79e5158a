"""Problem themes of a cohort: the page (theme cards, statements to search, filter and page
through), and one address per change a facilitator makes to the themes in use.

A change refused (an empty or taken name, no statement chosen…) shows the page again with
what was typed and ticked, and the reason.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import ServiceError, service_errors
from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import working_groups_of

from .. import selectors, services
from ..forms import GuidedThemesForm, ProposeThemesForm, seeds_text
from ..models import IntakeSurvey, Theme
from ..selectors import NO_THEME, StatementFilter
from .access import programme_for

PAGE_SIZE = 50
SEARCH_LENGTH = 200
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
_ID = re.compile(r"[0-9]{1,18}")


def as_id(value: object) -> int | None:
    """An id or page number typed in a form or address: ASCII digits a database integer can
    hold, else None (``"²"`` or ``"٣"`` pass ``str.isdigit`` but are no ids)."""
    text = str(value or "")
    return int(text) if _ID.fullmatch(text) else None


def language_name(code: str) -> str:
    """A statement's language, named in the active language."""
    if not code:
        return _("language not known yet")
    if code == "und":
        return _("language not recognised")
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def statement_filter(query: QueryDict) -> StatementFilter:
    """The page's filters from its query string; values that make no sense are ignored."""
    theme = query.get("theme", "")
    language = query.get("language", "")
    return StatementFilter(
        text=" ".join(query.get("q", "").split())[:SEARCH_LENGTH],
        theme=theme if theme == NO_THEME or as_id(theme) is not None else "",
        language=language if _LANGUAGE_CODE.fullmatch(language) or language == "und" else "",
    )


def filter_query(chosen: StatementFilter) -> str:
    query = QueryDict(mutable=True)
    for key, value in (("q", chosen.text), ("theme", chosen.theme), ("language", chosen.language)):
        if value:
            query[key] = value
    return query.urlencode()


def _page_context(
    request: AuthenticatedHttpRequest, survey: IntakeSurvey, query: QueryDict
) -> dict[str, Any]:
    cohort = survey.cohort
    programme = cohort.programme
    cards = list(selectors.theme_cards(survey))
    chosen = statement_filter(query)
    paginator = Paginator(selectors.filtered_statements(survey, chosen), PAGE_SIZE)
    page = paginator.get_page(query.get("page"))
    languages = selectors.statement_languages(survey)
    names = {code: language_name(code) for code, _count in languages}
    statements = [
        (statement, names.get(statement.language) or language_name(statement.language))
        for statement in page.object_list
    ]
    total = sum(count for _code, count in languages)
    can_manage = request.user.has_perm("matching.manage_matching", programme)
    current_query = filter_query(chosen)
    if page.number > 1:
        current_query = (
            f"{current_query}&page={page.number}" if current_query else f"page={page.number}"
        )
    context: dict[str, Any] = {
        "programme": programme,
        "cohort": cohort,
        "survey": survey,
        "themes": cards,
        "theme_total": len(cards),
        "statement_total": total,
        "unassigned": total - sum(int(getattr(card, "statement_count", 0)) for card in cards),
        "statement_languages": [(code, names[code], count) for code, count in languages],
        "chosen": chosen,
        "chosen_theme": next((c for c in cards if str(c.pk) == chosen.theme), None),
        "no_theme": NO_THEME,
        "page": page,
        "statements": statements,
        "filter_query": filter_query(chosen),
        "current_query": current_query,
        "can_manage": can_manage,
        "checked": set(),
        "new_theme_name": "",
        "renaming": None,
    }
    if can_manage:
        context.update(
            proposal=selectors.latest_proposal(survey),
            versions=list(selectors.theme_versions(survey)),
            propose_form=ProposeThemesForm(),
            guided_form=GuidedThemesForm(initial={"seeds": seeds_text(working_groups_of(cohort))}),
        )
    return context


def render_page(
    request: AuthenticatedHttpRequest,
    survey: IntakeSurvey,
    *,
    status: int = 200,
    **overrides: Any,
) -> HttpResponse:
    """The themes page; after a refused change, with what was typed (``overrides``) and the
    filters the facilitator was looking at."""
    query = request.GET
    if request.method == "POST":
        query = QueryDict(str(request.POST.get("return_query", ""))[:1000])
    context = _page_context(request, survey, query)
    context.update(overrides)
    template = "matching/themes.html"
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "statements":
        template = "matching/_theme_statements.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def themes(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.view_themes")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    return render_page(request, survey)


def survey_to_change(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> IntakeSurvey:
    programme = programme_for(request, pk, "matching.view_themes")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    if not request.user.has_perm("matching.manage_matching", programme):
        raise PermissionDenied(_("Only facilitators can change themes."))
    return services.ensure_survey(cohort=cohort)


def _theme(survey: IntakeSurvey, theme_id: int) -> Theme:
    return get_object_or_404(survey.themes.all(), pk=theme_id)


def _chosen_theme(survey: IntakeSurvey, value: str | None) -> Theme:
    """A theme chosen in a form: one of the programme's (the service refuses, in plain words, a
    theme of another cohort); anything else is not in the list."""
    theme = selectors.programme_themes(survey.cohort.programme_id).filter(pk=_choice(value)).first()
    if theme is None:
        raise ServiceError(_("Please choose from the list."))
    return theme


def back(request: AuthenticatedHttpRequest, survey: IntakeSurvey) -> HttpResponse:
    """To the themes page, with the filters and page the facilitator was looking at."""
    url = reverse("matching:themes", args=[survey.cohort.programme_id, survey.cohort_id])
    posted = QueryDict(str(request.POST.get("return_query", ""))[:1000])
    chosen = statement_filter(posted)
    query = filter_query(chosen)
    page = as_id(posted.get("page", ""))
    if page is not None:
        query = f"{query}&page={page}" if query else f"page={page}"
    return redirect(f"{url}?{query}" if query else url)


def _choice(value: str | None) -> int:
    """A choice from a list in the form; anything else is refused in plain words."""
    chosen = as_id(value)
    if chosen is None:
        raise ServiceError(_("Please choose from the list."))
    return chosen


def _chosen_statements(request: AuthenticatedHttpRequest) -> list[int]:
    return [_choice(value) for value in request.POST.getlist("challenges")]


@login_required
@require_POST
def accept(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    survey = survey_to_change(request, pk, cohort_id)
    with service_errors(request):
        services.accept_themes(survey=survey)
        messages.success(request, _("Themes accepted: matching will use them."))
    return back(request, survey)


@login_required
@require_POST
def rename(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, theme_id: int
) -> HttpResponse:
    survey = survey_to_change(request, pk, cohort_id)
    theme = _theme(survey, theme_id)
    name = request.POST.get("name", "")
    with service_errors(request):
        services.rename_theme(theme=theme, name=name, by=request.user)
        messages.success(request, _("Theme renamed."))
        return back(request, survey)
    return render_page(request, survey, status=400, renaming={"id": theme.pk, "name": name[:200]})


@login_required
@require_POST
def merge(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    survey = survey_to_change(request, pk, cohort_id)
    with service_errors(request):
        source = _chosen_theme(survey, request.POST.get("source"))
        target = _chosen_theme(survey, request.POST.get("target"))
        services.merge_themes(source=source, target=target, by=request.user)
        messages.success(
            request,
            _("“%(source)s” merged into “%(target)s”.")
            % {"source": source.name, "target": target.name},
        )
        return back(request, survey)
    return render_page(request, survey, status=400)


@login_required
@require_POST
def delete(
    request: AuthenticatedHttpRequest, pk: int, cohort_id: int, theme_id: int
) -> HttpResponse:
    survey = survey_to_change(request, pk, cohort_id)
    theme = _theme(survey, theme_id)
    with service_errors(request):
        services.delete_empty_theme(theme=theme, by=request.user)
        messages.success(request, _("Theme deleted."))
    return back(request, survey)


def _kept(request: AuthenticatedHttpRequest) -> set[int]:
    return {pk for pk in map(as_id, request.POST.getlist("challenges")) if pk is not None}


@login_required
@require_POST
def move_statements(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    """Move the ticked statements to the chosen theme (or out of every theme)."""
    survey = survey_to_change(request, pk, cohort_id)
    htmx = getattr(request, "htmx", None)
    in_place = bool(htmx and htmx.target == "statements")
    with service_errors() as refused:
        ids = _chosen_statements(request)
        target = request.POST.get("target", "")
        if not target:
            raise ServiceError(_("Choose the theme to move the statements to."))
        destination = None if target == NO_THEME else _chosen_theme(survey, target)
        moved = services.move_statements(
            survey=survey, challenge_ids=ids, theme=destination, by=request.user
        )
        text = ngettext("%(count)d statement moved.", "%(count)d statements moved.", moved) % {
            "count": moved
        }
        if in_place:
            # The page of statements and the theme counts, not the whole page again.
            return render_page(request, survey, oob=True, moved_message=text)
        messages.success(request, text)
        return back(request, survey)
    assert refused.error is not None
    if in_place:
        # htmx swaps only a successful answer in: the refusal is said in the statements section,
        # with the statements still ticked.
        return render_page(
            request, survey, checked=_kept(request), moved_error=refused.error.message
        )
    messages.error(request, refused.error.message)
    return render_page(request, survey, status=400, checked=_kept(request))


@login_required
@require_POST
def create(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    """A new theme, holding the ticked statements."""
    survey = survey_to_change(request, pk, cohort_id)
    name = request.POST.get("name", "")
    with service_errors(request):
        theme = services.create_theme(
            survey=survey, name=name, challenge_ids=_chosen_statements(request), by=request.user
        )
        messages.success(request, _("Theme “%(name)s” created.") % {"name": theme.name})
        return back(request, survey)
    return render_page(
        request, survey, status=400, checked=_kept(request), new_theme_name=name[:200]
    )
