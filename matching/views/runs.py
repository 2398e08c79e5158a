"""Matching runs: a new run, its progress, the review of its groups (moves, locks, peers who
leave, requests to move), publication, late joiners and runs side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest, posted_id, posted_ids

from .. import engine, selectors, services
from ..explanations import reason_text, warning_text
from ..forms import RunForm
from ..issues import readable_choice
from ..models import MatchingRun, MoveRequest
from .access import id_or_404, programme_for
from .review import (
    back_query,
    cards_context,
    group_listing,
    report_context,
    run_to_review,
    to_run,
)

if TYPE_CHECKING:
    from programmes.models import Programme


@login_required
@require_http_methods(["GET", "POST"])
def run_new(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.manage_matching")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    form = RunForm(request.POST or None, peer_emails=selectors.intake_done_emails(cohort))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_errors(form):
                run = services.start_run(
                    cohort=cohort, created_by=request.user, options=form.options
                )
                return redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)
        status = 400
    strategy = form.data.get("strategy", "problem") if form.is_bound else "problem"
    context = {
        "programme": programme,
        "cohort": cohort,
        "survey": survey,
        "form": form,
        "warnings": _warnings_for(strategy),
        "peers_ready": len(form.peer_emails),
        "peer_sets": [form["keep_together"], form["keep_apart"]],
    }
    return render(request, "matching/run_new.html", context, status=status)


def _proposal_text(proposal: engine.ReplacementCandidate) -> str:
    """What a candidate shares with the group, in the page's language."""
    return " ".join(
        [reason_text(reason.to_dict()) for reason in proposal.reasons] + list(proposal.problems)
    )


def _warnings_for(strategy: str) -> list[str]:
    if strategy not in engine.STRATEGIES:
        return []
    if strategy == "hybrid":
        return []
    warnings = list(engine.strategy_warnings(engine.Options(strategy=strategy)))  # type: ignore[arg-type]
    if strategy == "role":
        warnings.append(engine.ROLE_NOTE)
    return [warning_text(warning) for warning in warnings]


@login_required
@require_GET
def strategy_warning(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HTMX: the warning for the chosen strategy (Experiment 1)."""
    programme = programme_for(request, pk, "matching.manage_matching")
    strategy = request.GET.get("strategy", "problem")
    warnings = _warnings_for(strategy)
    if strategy == "hybrid":
        weights = {k: request.GET.get(f"weight_{k}", "0") for k in ("task", "context")}
        for key, text in (("task", engine.TASK_WARNING), ("context", engine.CONTEXT_WARNING)):
            try:
                if float(weights[key] or 0) > 0:
                    warnings.append(warning_text(text))
            except ValueError:
                continue
    return render(
        request, "matching/_strategy_warning.html", {"warnings": warnings, "programme": programme}
    )


def _run_context(
    request: AuthenticatedHttpRequest, programme: Programme, run: MatchingRun
) -> dict[str, Any]:
    listing = group_listing(request, run)
    context = cards_context(request, programme, run, list(listing))
    can_manage = context["can_manage"]
    notices = selectors.notices_of(run)
    context.update(
        {
            "listing": listing,
            "back": back_query(listing),
            "group_count": run.groups.count(),
            **report_context(run),
            "requests": selectors.pending_move_requests(run) if can_manage else [],
            "moves": selectors.moves_of(run)[:50],
            "churn": selectors.churn(run),
            "unplaced": selectors.unplaced_done_peers(run)[:50] if run.is_published else [],
            "notices_sent": notices.count() if run.is_published else 0,
            "notices_opened": notices.filter(opened_at__isnull=False).count()
            if run.is_published
            else 0,
            "not_opened": notices.filter(opened_at__isnull=True)[:50] if run.is_published else [],
            "other_runs": selectors.runs_of(programme)
            .filter(cohort=run.cohort, status=MatchingRun.Status.DONE)
            .exclude(pk=run.pk)[:10],
        }
    )
    return context


@login_required
@require_GET
def run_detail(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.view_runs")
    run = selectors.get_run_for(programme, run_id)
    return render(request, "matching/run_detail.html", _run_context(request, programme, run))


def _index_or_404(value: str | None) -> int:
    """A position in the constraint report (from 0), or 404 for anything else."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        raise Http404
    return int(text)


@login_required
@require_POST
def run_choice(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Start a new run with one of the choices the constraint report offers (pairs, a group of
    their own, relaxing a rule, other sizes)."""
    programme, run = run_to_review(request, pk, run_id)
    issues = run.report_issues
    issue_index = _index_or_404(request.POST.get("issue"))
    choice_index = _index_or_404(request.POST.get("choice"))
    if issue_index >= len(issues) or choice_index >= len(issues[issue_index].get("choices", [])):
        messages.error(request, _("That choice is no longer in the report; look at it again."))
        return to_run(programme, run)
    choice = engine.Choice.from_dict(issues[issue_index]["choices"][choice_index])
    with service_errors(request):
        options = engine.apply_choice(engine.Options.from_dict(run.options), choice)
        new = services.start_run(cohort=run.cohort, created_by=request.user, options=options)
        messages.success(
            request,
            _("%(run)s started with: %(choice)s")
            % {"run": new.name, "choice": readable_choice(choice.to_dict())},
        )
        return redirect("matching:run_detail", pk=programme.pk, run_id=new.pk)
    return to_run(programme, run)


@login_required
@require_GET
def peer_search(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    """HTMX: peers of the cohort matching the typed name or email, to add to a set of the run
    form (keep together, keep apart)."""
    programme = programme_for(request, pk, "matching.manage_matching")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    query = request.GET.get("q", "")[:254]
    context = {
        "peers": selectors.search_cohort_peers(cohort, query),
        "target": request.GET.get("target", "") if request.GET.get("target") in TARGETS else "",
        "query": query,
    }
    return render(request, "matching/_peer_results.html", context)


TARGETS = ("id_keep_together", "id_keep_apart")


@login_required
@require_GET
def run_progress(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """HTMX polling: the progress bar, or (once done) a signal to reload the page."""
    programme = programme_for(request, pk, "matching.view_runs")
    run = selectors.get_run_for(programme, run_id)
    context = {
        "run": run,
        "programme": programme,
        "can_manage": request.user.has_perm("matching.manage_matching", programme),
    }
    response = render(request, "matching/_progress.html", context)
    if run.is_finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_retry(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Run a failed run again: a new run of the cohort with the same parameters."""
    programme, run = run_to_review(request, pk, run_id)
    with service_errors(request):
        again = services.retry_run(run=run, created_by=request.user)
        messages.success(request, _("A new run with the same parameters is started."))
        return to_run(programme, again)
    return to_run(programme, run)


@login_required
@require_POST
def run_place_late_joiners(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme, run = run_to_review(request, pk, run_id)
    if not run.is_published:
        messages.error(request, _("Late joiners join published groups only."))
    else:
        result = services.place_late_joiners(run_id=run.pk)
        placed = result["placed"]
        messages.success(
            request,
            ngettext("%(count)d late joiner placed.", "%(count)d late joiners placed.", placed)
            % {"count": placed},
        )
    return to_run(programme, run)


def _move_request(
    request: AuthenticatedHttpRequest, pk: int, run_id: int, request_id: int
) -> tuple[Programme, MatchingRun, MoveRequest]:
    programme, run = run_to_review(request, pk, run_id)
    move_request = get_object_or_404(selectors.move_requests_of(run), pk=request_id)
    return programme, run, move_request


@login_required
@require_POST
def approve_request(
    request: AuthenticatedHttpRequest, pk: int, run_id: int, request_id: int
) -> HttpResponse:
    """Approve a peer's request to move: to the group chosen here, or else the one they asked."""
    programme, run, move_request = _move_request(request, pk, run_id, request_id)
    target = None
    if request.POST.get("to_group"):
        target = get_object_or_404(run.groups.all(), pk=id_or_404(request.POST["to_group"]))
    elif request.POST.get("to_group_label", "").strip():
        label = request.POST["to_group_label"].strip()[:40]
        target = run.groups.filter(label=label).first()
        if target is None:
            messages.error(request, _("This run has no group %(label)s.") % {"label": label})
            return to_run(programme, run)
    with service_errors(request):
        services.decide_move_request(
            move_request=move_request,
            decided_by=request.user,
            approve=True,
            to_group=target,
            note=request.POST.get("note", ""),
            confirmed=request.POST.get("confirm") == "1",
        )
        messages.success(request, _("Move approved."))
    return to_run(programme, run)


@login_required
@require_POST
def decline_request(
    request: AuthenticatedHttpRequest, pk: int, run_id: int, request_id: int
) -> HttpResponse:
    programme, run, move_request = _move_request(request, pk, run_id, request_id)
    with service_errors(request):
        services.decide_move_request(
            move_request=move_request,
            decided_by=request.user,
            approve=False,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Move declined."))
    return to_run(programme, run)


@login_required
@require_http_methods(["GET", "POST"])
def run_leave(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """A peer leaves their group (e.g. left their post); shows replacement proposals."""
    programme, run = run_to_review(request, pk, run_id)
    if request.method == "POST":
        member = get_object_or_404(
            selectors.members_of_run(run).select_related("group"),
            user_id=id_or_404(request.POST.get("user_id")),
        )
        with service_errors(request):
            group = services.remove_from_group(
                member=member, removed_by=request.user, reason=request.POST.get("reason", "")
            )
            url = reverse("matching:run_leave", kwargs={"pk": programme.pk, "run_id": run.pk})
            return redirect(f"{url}?group={group.pk}&left={member.user_id}")
        return to_run(programme, run)
    group = get_object_or_404(run.groups.all(), pk=id_or_404(request.GET.get("group")))
    left = request.GET.get("left")
    proposals = selectors.replacement_proposals(
        group=group, leaving_user_id=posted_id(left) if left else None
    )
    names = {
        str(m.user_id): m.user
        for m in selectors.peer_memberships(run.cohort).select_related("user")
    }
    context = {
        "programme": programme,
        "run": run,
        "group": group,
        "proposals": [(p, names.get(p.peer_id), _proposal_text(p)) for p in proposals[:10]],
    }
    return render(request, "matching/replacements.html", context)


@login_required
@require_GET
def run_compare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.view_runs")
    ids = posted_ids(request.GET.getlist("runs"))[:4]
    runs = [selectors.get_run_for(programme, run_id) for run_id in ids]
    rows = []
    for run in runs:
        groups = list(selectors.groups_of(run))
        sizes = [len(g.members.all()) for g in groups]
        rows.append(
            {
                "run": run,
                "groups": len(groups),
                "sizes": f"{min(sizes)}-{max(sizes)}" if sizes else "—",
                "isolated": len((run.stats or {}).get("isolated", [])),
                "coverage": (run.stats or {}).get("theme_coverage"),
                "violations": sum(
                    1 for issue in run.report_issues if issue.get("kind") == "violation"
                ),
            }
        )
    context = {"programme": programme, "rows": rows}
    return render(request, "matching/run_compare.html", context)
