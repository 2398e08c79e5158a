"""Pages of matching. Thin: they check permissions and call selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.users.models import User
from programmes.selectors import get_programme_for

from . import engine, selectors, services
from .forms import IntakeForm, MoveForm, MoveRequestForm, RunForm, SurveyForm
from .models import Challenge, GroupMember, IntakeSurvey, MatchingRun, MoveRequest, Theme

if TYPE_CHECKING:
    from programmes.models import Programme


def _programme(request: HttpRequest, pk: int, perm: str) -> Programme:
    programme = get_programme_for(request.user, pk)
    if not request.user.has_perm(perm, programme):
        raise PermissionDenied(_("You do not have access to this part of the programme."))
    return programme


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.view_matching")
    cohorts = []
    can_manage = request.user.has_perm("matching.manage_matching", programme)
    can_view_runs = request.user.has_perm("matching.view_runs", programme)
    if can_view_runs:
        for cohort in programme.cohorts.all():
            survey = selectors.survey_of(cohort)
            rows = selectors.intake_completion(survey) if survey else []
            cohorts.append(
                {
                    "cohort": cohort,
                    "survey": survey,
                    "peers": len(rows) or selectors.peer_memberships(cohort).count(),
                    "done": sum(1 for row in rows if row.done),
                    "themes": survey.themes.count() if survey else 0,
                    "runs": selectors.runs_of(programme).filter(cohort=cohort)[:10],
                    "published": selectors.published_run(cohort),
                }
            )
    context = {
        "programme": programme,
        "cohorts": cohorts,
        "can_manage": can_manage,
        "can_view_runs": can_view_runs,
        "is_peer": request.user.has_perm("matching.fill_intake", programme),
        "my_group": selectors.my_group(request.user, programme),
    }
    return render(request, "matching/overview.html", context)


# ---------------------------------------------------------------------- intake (peer)


def _peer_survey(request: HttpRequest, programme: Programme) -> IntakeSurvey:
    cohort = selectors.peer_cohort(request.user, programme)
    if cohort is None:
        raise PermissionDenied(_("You are not in a cohort of this programme yet."))
    return services.ensure_survey(cohort=cohort)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.fill_intake")
    survey = _peer_survey(request, programme)
    response = selectors.own_response(request.user, survey)
    is_open = selectors.intake_open(survey, request.user)
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("Groups are published, so the intake is closed."))
            return redirect("matching:intake", pk=programme.pk)
        form = IntakeForm(request.POST, survey=survey)
        if form.is_valid():
            try:
                services.submit_intake(survey=survey, user=_user(request), answers=form.answers())
            except services.MatchingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your answers are saved. You can revise them until groups are "
                        "published."
                    ),
                )
                return redirect("matching:intake", pk=programme.pk)
        services.save_draft(
            survey=survey, user=_user(request), data=IntakeForm.draft_from(request.POST)
        )
    else:
        stored: dict[str, Any] = {}
        if response is not None:
            stored = response.draft or response.answers
        form = IntakeForm(initial=IntakeForm.initial_from(stored), survey=survey)
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
def intake_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave (HTMX): keep what the peer has typed so far."""
    programme = _programme(request, pk, "matching.fill_intake")
    survey = _peer_survey(request, programme)
    if not selectors.intake_open(survey, request.user):
        return render(request, "matching/_draft_status.html", {"closed": True}, status=409)
    response = services.save_draft(
        survey=survey, user=_user(request), data=IntakeForm.draft_from(request.POST)
    )
    return render(request, "matching/_draft_status.html", {"response": response})


# ---------------------------------------------------------------------- survey set-up (facilitator)


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.manage_matching")
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
    rows = selectors.intake_completion(survey)
    context = {
        "programme": programme,
        "cohort": cohort,
        "survey": survey,
        "form": form,
        "rows": rows,
        "done": sum(1 for row in rows if row.done),
    }
    return render(request, "matching/survey.html", context)


@login_required
@require_POST
def send_reminders(request: HttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    from .tasks import send_intake_reminders

    programme = _programme(request, pk, "matching.manage_matching")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    send_intake_reminders.delay(survey.pk)
    messages.success(request, _("Reminders are on their way to the peers who have not finished."))
    return redirect("matching:survey", pk=programme.pk, cohort_id=cohort.pk)


# ---------------------------------------------------------------------- themes


@login_required
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.view_themes")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    if request.method == "POST":
        if not request.user.has_perm("matching.manage_matching", programme):
            raise PermissionDenied(_("Only facilitators can change themes."))
        try:
            _theme_action(request, survey)
        except services.MatchingError as error:
            messages.error(request, str(error))
        return redirect("matching:themes", pk=programme.pk, cohort_id=cohort.pk)
    theme_list = list(selectors.themes_of(survey))
    context = {
        "programme": programme,
        "cohort": cohort,
        "survey": survey,
        "themes": theme_list,
        "unthemed": selectors.unthemed_challenges(survey),
        "can_manage": request.user.has_perm("matching.manage_matching", programme),
    }
    return render(request, "matching/themes.html", context)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise services.MatchingError(_("Please choose from the list.")) from None


def _theme_action(request: HttpRequest, survey: IntakeSurvey) -> None:
    action = request.POST.get("action", "")
    theme_of = survey.themes.all()
    if action == "propose":
        count_text = request.POST.get("count", "").strip()
        count = _int(count_text) if count_text else None
        if count is not None and not 1 <= count <= 50:
            raise services.MatchingError(_("Choose between 1 and 50 themes, or leave it empty."))
        created = services.propose_cohort_themes(survey=survey, count=count)
        messages.success(
            request,
            ngettext("%(count)d theme proposed.", "%(count)d themes proposed.", len(created))
            % {"count": len(created)},
        )
    elif action == "rename":
        theme = get_object_or_404(theme_of, pk=_int(request.POST.get("theme")))
        services.rename_theme(theme=theme, name=request.POST.get("name", ""))
        messages.success(request, _("Theme renamed."))
    elif action == "merge":
        source = get_object_or_404(theme_of, pk=_int(request.POST.get("theme")))
        target = get_object_or_404(theme_of, pk=_int(request.POST.get("target")))
        services.merge_themes(source=source, target=target)
        messages.success(request, _("Themes merged."))
    elif action == "split":
        theme = get_object_or_404(theme_of, pk=_int(request.POST.get("theme")))
        ids = [_int(v) for v in request.POST.getlist("challenges")]
        services.split_theme(theme=theme, challenge_ids=ids, name=request.POST.get("name", ""))
        messages.success(request, _("Theme split."))
    elif action == "move":
        challenge = get_object_or_404(
            Challenge.objects.filter(response__survey=survey),
            pk=_int(request.POST.get("challenge")),
        )
        target_id = request.POST.get("target", "")
        destination: Theme | None = (
            get_object_or_404(theme_of, pk=_int(target_id)) if target_id else None
        )
        services.move_challenge(challenge=challenge, theme=destination)
        messages.success(request, _("Statement moved."))
    elif action == "delete":
        theme = get_object_or_404(theme_of, pk=_int(request.POST.get("theme")))
        services.delete_empty_theme(theme=theme)
        messages.success(request, _("Theme deleted."))
    elif action == "accept":
        services.accept_themes(survey=survey)
        messages.success(request, _("Themes accepted: matching will use them."))
    else:
        raise services.MatchingError(_("Unknown action."))


# ---------------------------------------------------------------------- runs


@login_required
@require_http_methods(["GET", "POST"])
def run_new(request: HttpRequest, pk: int, cohort_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.manage_matching")
    cohort = selectors.get_cohort_for(request.user, programme, cohort_id)
    survey = services.ensure_survey(cohort=cohort)
    form = RunForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.start_run(
                    cohort=cohort, created_by=_user(request), options=form.options
                )
            except services.MatchingError as error:
                form.add_error(None, str(error))
            else:
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


def _warnings_for(strategy: str) -> list[str]:
    if strategy not in engine.STRATEGIES:
        return []
    if strategy == "hybrid":
        return []
    warnings = list(engine.strategy_warnings(engine.Options(strategy=strategy)))  # type: ignore[arg-type]
    if strategy == "role":
        warnings.append(engine.ROLE_NOTE)
    return warnings


@login_required
@require_GET
def strategy_warning(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the warning for the chosen strategy (Experiment 1)."""
    programme = _programme(request, pk, "matching.manage_matching")
    strategy = request.GET.get("strategy", "problem")
    warnings = _warnings_for(strategy)
    if strategy == "hybrid":
        weights = {k: request.GET.get(f"weight_{k}", "0") for k in ("task", "context")}
        for key, text in (("task", engine.TASK_WARNING), ("context", engine.CONTEXT_WARNING)):
            try:
                if float(weights[key] or 0) > 0:
                    warnings.append(text)
            except ValueError:
                continue
    return render(
        request, "matching/_strategy_warning.html", {"warnings": warnings, "programme": programme}
    )


def _run_context(request: HttpRequest, programme: Programme, run: MatchingRun) -> dict[str, Any]:
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
def run_detail(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.view_runs")
    run = selectors.get_run_for(programme, run_id)
    return render(request, "matching/run_detail.html", _run_context(request, programme, run))


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """HTMX polling: the progress bar, or (once done) a signal to reload the page."""
    programme = _programme(request, pk, "matching.view_runs")
    run = selectors.get_run_for(programme, run_id)
    response = render(request, "matching/_progress.html", {"run": run, "programme": programme})
    if run.is_finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


def _groups_partial(request: HttpRequest, programme: Programme, run: MatchingRun) -> HttpResponse:
    run.refresh_from_db()
    return render(request, "matching/_groups.html", _run_context(request, programme, run))


@login_required
@require_POST
def run_move(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.manage_matching")
    run = selectors.get_run_for(programme, run_id)
    form = MoveForm(request.POST, groups=run.groups.all())
    error = ""
    if form.is_valid():
        try:
            services.move_peer(
                run=run,
                user_id=form.cleaned_data["user_id"],
                to_group=form.cleaned_data["to_group"],
                moved_by=_user(request),
                reason=form.cleaned_data["reason"],
            )
        except services.MatchingError as exc:
            error = str(exc)
    else:
        error = _("Choose the group to move the peer to.")
    if getattr(request, "htmx", False):
        response = _groups_partial(request, programme, run)
        if error:
            response.status_code = 400
            response.content = (
                f'<p class="message error" role="alert">{_escape(error)}</p>'.encode()
                + response.content
            )
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Peer moved."))
    return redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)


def _escape(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


@login_required
@require_POST
def run_lock(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.manage_matching")
    run = selectors.get_run_for(programme, run_id)
    member = get_object_or_404(GroupMember.objects.filter(run=run), user_id=_int_or_404(request))
    services.set_locked(member=member, locked=request.POST.get("locked") == "1")
    if getattr(request, "htmx", False):
        return _groups_partial(request, programme, run)
    return redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)


def _int_or_404(request: HttpRequest) -> int:
    from django.http import Http404

    try:
        return int(request.POST.get("user_id", ""))
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.manage_matching")
    run = selectors.get_run_for(programme, run_id)
    try:
        services.publish_run(run=run, published_by=_user(request))
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Groups published: each peer can now see their group."))
    return redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)


@login_required
@require_POST
def run_place_late_joiners(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.manage_matching")
    run = selectors.get_run_for(programme, run_id)
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
    return redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)


@login_required
@require_POST
def decide_request(request: HttpRequest, pk: int, run_id: int, request_id: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.manage_matching")
    run = selectors.get_run_for(programme, run_id)
    move_request = get_object_or_404(MoveRequest.objects.filter(run=run), pk=request_id)
    approve = request.POST.get("decision") == "approve"
    target = None
    if request.POST.get("to_group"):
        target = get_object_or_404(run.groups.all(), pk=_int_or_404_value(request.POST["to_group"]))
    try:
        services.decide_move_request(
            move_request=move_request,
            decided_by=_user(request),
            approve=approve,
            to_group=target,
            note=request.POST.get("note", ""),
        )
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Move approved.") if approve else _("Move declined."))
    return redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)


def _int_or_404_value(value: str) -> int:
    from django.http import Http404

    try:
        return int(value)
    except ValueError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def run_leave(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """A peer leaves their group (e.g. left their post); shows replacement proposals."""
    programme = _programme(request, pk, "matching.manage_matching")
    run = selectors.get_run_for(programme, run_id)
    if request.method == "POST":
        member = get_object_or_404(
            GroupMember.objects.filter(run=run).select_related("group"),
            user_id=_int_or_404(request),
        )
        try:
            group = services.remove_from_group(
                member=member, removed_by=_user(request), reason=request.POST.get("reason", "")
            )
        except services.MatchingError as error:
            messages.error(request, str(error))
            return redirect("matching:run_detail", pk=programme.pk, run_id=run.pk)
        url = reverse("matching:run_leave", kwargs={"pk": programme.pk, "run_id": run.pk})
        return redirect(f"{url}?group={group.pk}&left={member.user_id}")
    group = get_object_or_404(run.groups.all(), pk=_int_or_404_value(request.GET.get("group", "")))
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
        "proposals": [(p, names.get(p.peer_id)) for p in proposals[:10]],
    }
    return render(request, "matching/replacements.html", context)


@login_required
@require_GET
def run_compare(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.view_runs")
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


# ---------------------------------------------------------------------- peer: my group


@login_required
@require_http_methods(["GET", "POST"])
def my_group(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "matching.view_my_group")
    group = selectors.my_group(request.user, programme)
    form = None
    pending = None
    status = 200
    if group is not None:
        run = group.run
        others = run.groups.exclude(pk=group.pk)
        form = MoveRequestForm(request.POST or None, groups=others)
        pending = run.move_requests.filter(user=_user(request)).first()
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.request_move(
                        run=run,
                        user=_user(request),
                        reason=form.cleaned_data["reason"],
                        wanted_group=form.cleaned_data["wanted_group"],
                    )
                except services.MatchingError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Your request is sent to your facilitator."))
                    return redirect("matching:my_group", pk=programme.pk)
            status = 400
    elif request.method == "POST":
        messages.error(request, _("You have no published group yet."))
        return redirect("matching:my_group", pk=programme.pk)
    context = {
        "programme": programme,
        "group": group,
        "members": list(group.members.select_related("user")) if group else [],
        "form": form,
        "pending": pending,
    }
    return render(request, "matching/my_group.html", context, status=status)
