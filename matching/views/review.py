"""The review of a run's groups: compact group cards a page at a time, moving a peer (found by
search) into a group with a warning that names what the move breaks, locks, publication after
the list of what is wrong, and who has opened their group's notice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.listing import Listing, paginate

from .. import selectors, services
from ..forms import MoveForm, PublishForm, ReviewFilters
from ..issues import readable_choice, readable_issue
from ..models import Group, MatchingRun
from .access import id_or_404, programme_for

if TYPE_CHECKING:
    from programmes.models import Programme

CARDS_PER_PAGE = 12
# Issues of the constraint report shown above the groups; the cards name the rest.
REPORT_ROWS = 30
# What the review's forms post back so that, without scripts, the facilitator comes back to the
# same page of groups with the same filters.
KEPT = ("page", "q", "rules")


def run_to_review(
    request: AuthenticatedHttpRequest, pk: int, run_id: int
) -> tuple[Programme, MatchingRun]:
    programme = programme_for(request, pk, "matching.manage_matching")
    return programme, selectors.get_run_for(programme, run_id)


def to_run(programme: Programme, run: MatchingRun, back: str = "") -> HttpResponse:
    """To the run's review, on the page of groups and with the filters posted in ``back``
    (the review's query string; a bare page number also works)."""
    response = redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)
    back = back[:500]
    posted = QueryDict(f"page={back}" if back.isdigit() else back)
    kept = QueryDict(mutable=True)
    for key in KEPT:
        value = posted.get(key, "")[:100]
        if value and (key != "page" or value.isdigit()):
            kept[key] = value
    if kept:
        response["Location"] += f"?{kept.urlencode()}"
    return response


def group_listing(request: AuthenticatedHttpRequest, run: MatchingRun) -> Listing:
    """One page of the run's groups, those breaking a rule first, filtered as asked."""
    filters = ReviewFilters(request)
    chosen = filters.values()
    groups = selectors.review_groups(run, text=chosen.get("q", ""), rules=chosen.get("rules", ""))
    return paginate(
        request, groups, per_page=CARDS_PER_PAGE, filters=filters, label=_("Pages of groups")
    )


def posted_back(request: AuthenticatedHttpRequest) -> str:
    return str(request.POST.get("back") or request.POST.get("page", ""))


def back_query(listing: Listing) -> str:
    """The review's query string, posted back by its forms (see :func:`to_run`)."""
    query = QueryDict(mutable=True)
    for key in KEPT:
        value = listing.query.get(key, "")
        if value:
            query[key] = value
    return query.urlencode()


def cards_context(
    request: AuthenticatedHttpRequest, programme: Programme, run: MatchingRun, groups: Any
) -> dict[str, Any]:
    can_manage = request.user.has_perm("matching.manage_matching", programme)
    cards = selectors.group_cards(run, groups)
    for card in cards:
        card["warnings"] = [readable_issue(issue) for issue in card["issues"]]
    return {
        "programme": programme,
        "run": run,
        "cards": cards,
        "can_manage": can_manage,
        "can_edit": can_manage and run.status == MatchingRun.Status.DONE,
        "isolated": set((run.stats or {}).get("isolated", [])),
        "size_bounds": (run.options.get("min_size"), run.options.get("max_size")),
    }


def _changed_groups(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    run: MatchingRun,
    groups: list[Group],
    *,
    warning: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """HTMX: the changed groups' cards (swapped by id) and the constraint report."""
    run.refresh_from_db()
    context = cards_context(request, programme, run, groups)
    context.update(
        {
            "warning": warning,
            "error": error,
            **report_context(run),
            "oob": True,
            "back": posted_back(request)[:500],
        }
    )
    return render(request, "matching/_changed_groups.html", context, status=status)


def report_rows(run: MatchingRun, *, limit: int = REPORT_ROWS) -> list[dict[str, Any]]:
    """The first ``limit`` issues of the run's constraint report, those breaking a rule
    first, in the page's language (each group's card names its own)."""
    issues = sorted(
        enumerate(run.report_issues),
        key=lambda item: item[1].get("kind") not in selectors.BREAKING_KINDS,
    )
    return [
        {
            **issue,
            "text": readable_issue(issue),
            "index": index,
            "choices": [
                {**choice, "text": readable_choice(choice)} for choice in issue.get("choices", [])
            ],
        }
        for index, issue in issues[:limit]
    ]


def report_context(run: MatchingRun) -> dict[str, Any]:
    """The constraint report as the review shows it: a few issues, and how many more."""
    return {
        "report": report_rows(run),
        "report_more": max(0, len(run.report_issues) - REPORT_ROWS),
    }


@login_required
@require_POST
def run_move(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Move a peer into a group. A move that breaks a rule of the run answers with a warning
    naming who and what, and a button to confirm; only a confirmed move is made."""
    programme, run = run_to_review(request, pk, run_id)
    form = MoveForm(request.POST, groups=run.groups.all(), run=run)
    htmx = bool(getattr(request, "htmx", False))
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        target = form.cleaned_data.get("to_group") if hasattr(form, "cleaned_data") else None
        if htmx:
            groups = [target] if target else []
            return _changed_groups(request, programme, run, groups, error=error, status=400)
        messages.error(request, error)
        return to_run(programme, run, posted_back(request))
    to_group = form.cleaned_data["to_group"]
    user_id = form.cleaned_data["peer"]
    source = selectors.members_of_run(run).filter(user_id=user_id).select_related("group").first()
    groups = [g for g in (source.group if source else None, to_group) if g is not None]
    warning = None
    error = ""
    with service_errors() as outcome:
        services.move_peer(
            run=run,
            user_id=user_id,
            to_group=to_group,
            moved_by=request.user,
            reason=form.cleaned_data["reason"],
            confirmed=form.cleaned_data["confirm"],
        )
    if isinstance(outcome.error, services.MoveNeedsConfirmation):
        member = source.user if source else None
        warning = {
            "peer": form.cleaned_data["peer"],
            "email": member.email if member else "",
            "name": str(member) if member else "",
            "to_group": to_group,
            "reason": form.cleaned_data["reason"],
            "problems": [readable_issue(i.to_dict()) for i in outcome.error.check.violations],
        }
    elif outcome.error is not None:
        error = outcome.error.message
    if htmx:
        status = 400 if error else 200
        return _changed_groups(
            request, programme, run, groups, warning=warning, error=error, status=status
        )
    if warning is not None:
        context = {"programme": programme, "run": run, "warning": warning}
        return render(request, "matching/move_confirm.html", context, status=409)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Peer moved."))
    return to_run(programme, run, posted_back(request))


@login_required
@require_GET
def member_search(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """HTMX: up to ten members of the run matching the typed name or email, as options."""
    programme, run = run_to_review(request, pk, run_id)
    query = request.GET.get("peer", "")[:254]
    members = selectors.search_run_members(run, query)
    return render(
        request, "matching/_member_options.html", {"members": members, "programme": programme}
    )


@login_required
@require_POST
def run_lock(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme, run = run_to_review(request, pk, run_id)
    member = get_object_or_404(
        selectors.members_of_run(run).select_related("group"),
        user_id=id_or_404(request.POST.get("user_id")),
    )
    services.set_locked(member=member, locked=request.POST.get("locked") == "1")
    if getattr(request, "htmx", False):
        return _changed_groups(request, programme, run, [member.group])
    return to_run(programme, run, posted_back(request))


@login_required
@require_http_methods(["GET", "POST"])
def run_publish(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """What is wrong with the groups first (sizes, rules broken, peers in no group), then
    publication, confirmed when anything is wrong."""
    programme, run = run_to_review(request, pk, run_id)
    if run.is_published or run.status != MatchingRun.Status.DONE:
        messages.error(request, _("Only a finished run that is not published can be published."))
        return to_run(programme, run)
    check = selectors.publication_check(run)
    problems = [readable_issue(issue.to_dict()) for issue in check.violations]
    notes = [readable_issue(i.to_dict()) for i in check.issues if i.kind == "note"]
    needs_confirmation = bool(check.violations or check.unplaced)
    form = PublishForm(
        request.POST if request.method == "POST" else None, needs_confirmation=needs_confirmation
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_errors(form):
                services.publish_run(
                    run=run,
                    published_by=request.user,
                    confirmed=form.cleaned_data.get("confirm", False),
                )
                messages.success(
                    request,
                    _(
                        "Groups published: each peer is told by email and on their group's page, "
                        "and you can see below who has opened it."
                    ),
                )
                return to_run(programme, run)
        status = 400
    context = {
        "programme": programme,
        "run": run,
        "form": form,
        "problems": problems,
        "notes": notes[:50],
        "unplaced": check.unplaced,
        "groups": run.groups.count(),
        "members": run.members.count(),
    }
    return render(request, "matching/publish.html", context, status=status)
