"""Matching runs: a new run, its progress, the review of its groups (moves, locks, peers who
leave, requests to move), publication, late joiners and runs side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest

from .. import engine, selectors, services
from ..explanations import reason_text, warning_text
from ..forms import MoveForm, RunForm
from ..models import MatchingRun, MoveRequest
from .access import id_or_404, programme_for

if TYPE_CHECKING:
    from programmes.models import Programme


@login_required
@require_http_methods(["GET", "POST"])
def run_new(request: AuthenticatedHttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.manage_matching")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    form = RunForm(request.POST or None)
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
        "peers_ready": len(selectors.cohort_peers(cohort)),
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
    groups = list(selectors.groups_of(run))
    can_manage = request.user.has_perm("matching.manage_matching", programme)
    return {
        "programme": programme,
        "run": run,
        "groups": groups,
        "can_manage": can_manage,
        "can_edit": can_manage and run.status == MatchingRun.Status.DONE,
        "isolated": set((run.stats or {}).get("isolated", [])),
        "requests": selectors.pending_move_requests(run) if can_manage else [],
        "moves": selectors.moves_of(run)[:50],
        "churn": selectors.churn(run),
        "unplaced": selectors.unplaced_done_peers(run) if run.is_published else [],
        "other_runs": selectors.runs_of(programme)
        .filter(cohort=run.cohort, status=MatchingRun.Status.DONE)
        .exclude(pk=run.pk)[:10],
    }


@login_required
@require_GET
def run_detail(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "matching.view_runs")
    run = selectors.get_run_for(programme, run_id)
    return render(request, "matching/run_detail.html", _run_context(request, programme, run))


@login_required
@require_GET
def run_progress(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """HTMX polling: the progress bar, or (once done) a signal to reload the page."""
    programme = programme_for(request, pk, "matching.view_runs")
    run = selectors.get_run_for(programme, run_id)
    response = render(request, "matching/_progress.html", {"run": run, "programme": programme})
    if run.is_finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


def _run_to_review(
    request: AuthenticatedHttpRequest, pk: int, run_id: int
) -> tuple[Programme, MatchingRun]:
    programme = programme_for(request, pk, "matching.manage_matching")
    return programme, selectors.get_run_for(programme, run_id)


def _to_run(programme: Programme, run: MatchingRun) -> HttpResponse:
    return redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)


def _groups_partial(
    request: AuthenticatedHttpRequest, programme: Programme, run: MatchingRun
) -> HttpResponse:
    run.refresh_from_db()
    return render(request, "matching/_groups.html", _run_context(request, programme, run))


@login_required
@require_POST
def run_move(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme, run = _run_to_review(request, pk, run_id)
    form = MoveForm(request.POST, groups=run.groups.all())
    error = _("Choose the group to move the peer to.")
    if form.is_valid():
        with service_errors(form) as outcome:
            services.move_peer(
                run=run,
                user_id=form.cleaned_data["user_id"],
                to_group=form.cleaned_data["to_group"],
                moved_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        error = outcome.error.message if outcome.error else ""
    if getattr(request, "htmx", False):
        response = _groups_partial(request, programme, run)
        if error:
            response.status_code = 400
            response.content = (
                f'<p class="message error" role="alert">{escape(error)}</p>'.encode()
                + response.content
            )
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Peer moved."))
    return _to_run(programme, run)


@login_required
@require_POST
def run_lock(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme, run = _run_to_review(request, pk, run_id)
    member = get_object_or_404(
        selectors.members_of_run(run), user_id=id_or_404(request.POST.get("user_id"))
    )
    services.set_locked(member=member, locked=request.POST.get("locked") == "1")
    if getattr(request, "htmx", False):
        return _groups_partial(request, programme, run)
    return _to_run(programme, run)


@login_required
@require_POST
def run_publish(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme, run = _run_to_review(request, pk, run_id)
    with service_errors(request):
        services.publish_run(run=run, published_by=request.user)
        messages.success(request, _("Groups published: each peer can now see their group."))
    return _to_run(programme, run)


@login_required
@require_POST
def run_place_late_joiners(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme, run = _run_to_review(request, pk, run_id)
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
    return _to_run(programme, run)


def _move_request(
    request: AuthenticatedHttpRequest, pk: int, run_id: int, request_id: int
) -> tuple[Programme, MatchingRun, MoveRequest]:
    programme, run = _run_to_review(request, pk, run_id)
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
    with service_errors(request):
        services.decide_move_request(
            move_request=move_request,
            decided_by=request.user,
            approve=True,
            to_group=target,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Move approved."))
    return _to_run(programme, run)


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
    return _to_run(programme, run)


@login_required
@require_http_methods(["GET", "POST"])
def run_leave(request: AuthenticatedHttpRequest, pk: int, run_id: int) -> HttpResponse:
    """A peer leaves their group (e.g. left their post); shows replacement proposals."""
    programme, run = _run_to_review(request, pk, run_id)
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
        return _to_run(programme, run)
    group = get_object_or_404(run.groups.all(), pk=id_or_404(request.GET.get("group")))
    left = request.GET.get("left")
    proposals = selectors.replacement_proposals(
        group=group, leaving_user_id=int(left) if left and left.isdigit() else None
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
    ids = [int(v) for v in request.GET.getlist("runs") if v.isdigit()][:4]
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
