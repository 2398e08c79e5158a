"""Pages of diffusion. Thin: they check a rule, then call selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.roles import Role, roles_in
from programmes.selectors import all_organisations, get_programme_for, memberships_visible_to

from . import forms, graph, selectors, services
from .flags import flags_for
from .models import DiffusionPlan, Pilot, PilotMilestone, SponsorReportOptOut

if TYPE_CHECKING:
    from programmes.models import Programme


def _require(request: HttpRequest, perm: str, obj: Any, message: str) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _user(request: HttpRequest) -> Any:
    return request.user


# ---------------------------------------------------------------------------------------------
# Overview and graph


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(request, "diffusion.view_diffusion", programme, _("You cannot see this programme."))
    user = _user(request)
    roles = roles_in(user, programme)
    staff = selectors.sees_whole_programme(user, programme)
    chapters = selectors.chapters_for(user, programme)
    # a sponsor's figures cover their own organisation's peers only
    figures = selectors.reach_figures_for(user, programme)
    context: dict[str, Any] = {
        "programme": programme,
        "roles": roles,
        "staff": staff,
        "is_peer": Role.PEER in roles,
        "my_plan": DiffusionPlan.objects.filter(programme=programme, peer=user).first(),
        "plans": selectors.plans_for(user, programme),
        "report_backs": selectors.report_backs_for(user, programme)[:50],
        "chapters": chapters,
        "pilots": selectors.pilots_for(user, programme),
        "stories": selectors.stories_for(user, programme),
        "reach": figures.reach_by_depth,
        "peer_count": figures.peers,
        "diffusing_count": figures.peers_diffusing,
        "flags": flags_for(programme) if staff else [],
    }
    return render(request, "diffusion/overview.html", context)


def _graph_sessions(user: Any, programme: Programme) -> Any:
    """The whole programme's report-backs for staff; the own cohort's for a peer; the own
    organisation's for a sponsor."""
    from .models import ReportBack

    sessions = ReportBack.objects.filter(programme=programme).select_related("peer")
    if selectors.sees_whole_programme(user, programme):
        return sessions
    if Role.PEER in roles_in(user, programme):
        return sessions.filter(peer_id__in=selectors.cohort_peer_ids(user, programme))
    return selectors.report_backs_for(user, programme)


@login_required
def graph_page(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(request, "diffusion.view_diffusion", programme, _("You cannot see this programme."))
    user = _user(request)
    chapters = selectors.chapters_for(user, programme)
    diffusion_graph = graph.build_graph(_graph_sessions(user, programme), chapters)
    picture = graph.draw(
        diffusion_graph,
        title=_("Diffusion graph of %(programme)s") % {"programme": programme.name},
    )
    context = {
        "programme": programme,
        "picture": picture,
        "reach": graph.reach_of(diffusion_graph),
        "peers_shown": sum(1 for _n, d in diffusion_graph.nodes(data=True) if d["kind"] == "peer"),
    }
    return render(request, "diffusion/graph.html", context)


# ---------------------------------------------------------------------------------------------
# Diffusion plans


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(request, "diffusion.make_plan", programme, _("Only peers make diffusion plans."))
    user = _user(request)
    plan = DiffusionPlan.objects.filter(programme=programme, peer=user).first()
    form = forms.PlanForm(request.POST or None, initial={"goal": plan.goal if plan else ""})
    if request.method == "POST" and form.is_valid():
        plan = services.save_plan(
            programme=programme,
            peer=user,
            goal=form.cleaned_data["goal"],
            propose=form.cleaned_data["propose"],
        )
        messages.success(request, _("Your diffusion plan is saved."))
        return redirect(plan)
    return render(
        request, "diffusion/plan_form.html", {"programme": programme, "form": form, "plan": plan}
    )


def _plan_page(request: HttpRequest, plan: DiffusionPlan, **forms_: Any) -> HttpResponse:
    context = {
        "programme": plan.programme,
        "plan": plan,
        "activities": plan.activities.all(),
        "activity_form": forms_.get("activity_form") or forms.PlannedActivityForm(),
        "confirm_form": forms_.get("confirm_form")
        or forms.ConfirmPlanForm(initial={"time_and_means": plan.time_and_means}),
    }
    status = 400 if forms_ else 200
    return render(request, "diffusion/plan_detail.html", context, status=status)


def _get_plan(request: HttpRequest, plan_pk: int) -> DiffusionPlan:
    plan = selectors.get_plan_for(request.user, plan_pk)
    _require(request, "diffusion.view_plan", plan, _("You cannot see this diffusion plan."))
    return plan


@login_required
def plan_detail(request: HttpRequest, plan_pk: int) -> HttpResponse:
    return _plan_page(request, _get_plan(request, plan_pk))


@login_required
@require_POST
def plan_activity_add(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _get_plan(request, plan_pk)
    _require(request, "diffusion.change_plan", plan, _("Only the peer can change their plan."))
    form = forms.PlannedActivityForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, activity_form=form)
    services.add_planned_activity(plan=plan, **form.cleaned_data)
    messages.success(request, _("The activity is added to the plan."))
    return redirect(plan)


@login_required
@require_POST
def plan_confirm(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _get_plan(request, plan_pk)
    _require(
        request,
        "diffusion.confirm_plan",
        plan,
        _("Only the sponsor of the peer's organisation can confirm this plan."),
    )
    form = forms.ConfirmPlanForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, confirm_form=form)
    try:
        services.confirm_plan(
            plan=plan, sponsor=_user(request), time_and_means=form.cleaned_data["time_and_means"]
        )
    except services.DiffusionError as error:
        form.add_error(None, str(error))
        return _plan_page(request, plan, confirm_form=form)
    messages.success(request, _("You confirmed the plan and the time and means committed."))
    return redirect(plan)


# ---------------------------------------------------------------------------------------------
# Report-backs


@login_required
@require_http_methods(["GET", "POST"])
def report_back_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(
        request, "diffusion.log_report_back", programme, _("Only peers log report-back sessions.")
    )
    form = forms.ReportBackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report_back = services.log_report_back(
                programme=programme,
                peer=_user(request),
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
        except services.DiffusionError as error:
            form.add_error(None, str(error))
        else:
            count = report_back.recipients.count()
            messages.success(
                request,
                _("Your report-back is logged; %(count)d attendee(s) will receive a link.")
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


def _get_report_back(request: HttpRequest, report_back_pk: int) -> Any:
    report_back = selectors.get_report_back_for(request.user, report_back_pk)
    _require(
        request, "diffusion.view_report_back", report_back, _("You cannot see this report-back.")
    )
    return report_back


def _report_back_page(
    request: HttpRequest, report_back: Any, attendees_form: Any = None
) -> HttpResponse:
    user = _user(request)
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
def report_back_detail(request: HttpRequest, report_back_pk: int) -> HttpResponse:
    return _report_back_page(request, _get_report_back(request, report_back_pk))


@login_required
@require_POST
def report_back_attendees(request: HttpRequest, report_back_pk: int) -> HttpResponse:
    report_back = _get_report_back(request, report_back_pk)
    _require(
        request,
        "diffusion.change_report_back",
        report_back,
        _("Only the peer who held the session can add attendees."),
    )
    form = forms.AttendeesForm(request.POST)
    if not form.is_valid():
        return _report_back_page(request, report_back, form)
    try:
        added = services.add_attendees(report_back=report_back, emails=form.cleaned_data["emails"])
    except services.DiffusionError as error:
        form.add_error("emails", str(error))
        return _report_back_page(request, report_back, form)
    messages.success(
        request, _("%(count)d attendee(s) added; each will receive a link.") % {"count": len(added)}
    )
    return redirect(report_back)


@login_required
def report_back_materials(request: HttpRequest, report_back_pk: int) -> FileResponse:
    """The session's materials, to the people who may see the report-back's attendees."""
    report_back = _get_report_back(request, report_back_pk)
    _require(
        request,
        "diffusion.change_report_back",
        report_back,
        _("Only the peer who held the session and the facilitators can open its materials."),
    )
    if not report_back.materials:
        raise Http404
    name = report_back.materials.name.rsplit("/", 1)[-1]
    return FileResponse(report_back.materials.open("rb"), as_attachment=True, filename=name)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """The attendee's two questions, reached through their personal link, without an account."""
    recipient = selectors.recipient_from_token(token)
    if recipient is None:
        return _no_store(render(request, "diffusion/feedback_invalid.html", status=404))
    state = selectors.link_state(recipient)
    if state != "open":
        return _no_store(
            render(request, "diffusion/feedback_invalid.html", {"state": state}, status=410)
        )
    report_back = recipient.report_back
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            onward = services.submit_feedback(
                recipient=recipient,
                will_use=form.cleaned_data["will_use"],
                share_with=form.cleaned_data["share_with"],
            )
        except services.DiffusionError as error:
            return _no_store(
                render(
                    request,
                    "diffusion/feedback_invalid.html",
                    {"state": "answered", "error": str(error)},
                    status=410,
                )
            )
        withheld = sum(1 for person in onward if person.email_withheld)
        thanks = {"onward": len(onward) - withheld, "withheld": withheld}
        return _no_store(render(request, "diffusion/feedback_thanks.html", thanks))
    context = {
        "form": form,
        "title": report_back.title,
        "held_on": report_back.held_on,
        "sharer": (recipient.shared_by.email if recipient.shared_by else None)
        or report_back.peer.full_name,
    }
    status = 400 if request.method == "POST" else 200
    return _no_store(render(request, "diffusion/feedback.html", context, status=status))


# ---------------------------------------------------------------------------------------------
# Chapters


@login_required
@require_http_methods(["GET", "POST"])
def chapter_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(request, "diffusion.add_chapter", programme, _("Only peers launch chapters."))
    organisation = selectors.peer_organisation(request.user, programme)
    initial = {"country": organisation.country if organisation else "", "launched_on": None}
    form = forms.ChapterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            chapter = services.launch_chapter(
                programme=programme, founded_by=_user(request), **form.cleaned_data
            )
        except services.DiffusionError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The chapter is launched."))
            return redirect(chapter)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "diffusion/chapter_form.html",
        {"programme": programme, "form": form},
        status=status,
    )


def _get_chapter(request: HttpRequest, chapter_pk: int) -> Any:
    chapter = selectors.get_chapter_for(request.user, chapter_pk)
    _require(request, "diffusion.view_chapter", chapter, _("You cannot see this chapter."))
    return chapter


def _chapter_page(request: HttpRequest, chapter: Any, **forms_: Any) -> HttpResponse:
    context = {
        "programme": chapter.programme,
        "chapter": chapter,
        "members": chapter.members.all(),
        "meetings": chapter.meetings.all(),
        "member_form": forms_.get("member_form") or forms.ChapterMemberForm(),
        "meeting_form": forms_.get("meeting_form") or forms.ChapterMeetingForm(),
    }
    return render(request, "diffusion/chapter_detail.html", context, status=400 if forms_ else 200)


@login_required
def chapter_detail(request: HttpRequest, chapter_pk: int) -> HttpResponse:
    return _chapter_page(request, _get_chapter(request, chapter_pk))


@login_required
@require_POST
def chapter_member_add(request: HttpRequest, chapter_pk: int) -> HttpResponse:
    chapter = _get_chapter(request, chapter_pk)
    _require(request, "diffusion.change_chapter", chapter, _("Only the chapter's founder can."))
    form = forms.ChapterMemberForm(request.POST)
    if not form.is_valid():
        return _chapter_page(request, chapter, member_form=form)
    try:
        services.add_chapter_member(chapter=chapter, **form.cleaned_data)
    except services.DiffusionError as error:
        form.add_error("email", str(error))
        return _chapter_page(request, chapter, member_form=form)
    messages.success(request, _("The member is added."))
    return redirect(chapter)


@login_required
@require_POST
def chapter_meeting_add(request: HttpRequest, chapter_pk: int) -> HttpResponse:
    chapter = _get_chapter(request, chapter_pk)
    _require(request, "diffusion.change_chapter", chapter, _("Only the chapter's founder can."))
    form = forms.ChapterMeetingForm(request.POST)
    if not form.is_valid():
        return _chapter_page(request, chapter, meeting_form=form)
    services.add_chapter_meeting(chapter=chapter, **form.cleaned_data)
    messages.success(request, _("The meeting is recorded."))
    return redirect(chapter)


# ---------------------------------------------------------------------------------------------
# Rapid-results pilots


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(request, "diffusion.add_pilot", programme, _("Only peers start pilots."))
    form = forms.PilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pilot = services.start_pilot(
            programme=programme,
            lead=_user(request),
            title=data["title"],
            goal=data["goal"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        messages.success(request, _("The pilot is started."))
        return redirect(pilot)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "diffusion/pilot_form.html", {"programme": programme, "form": form}, status=status
    )


def _get_pilot(request: HttpRequest, pilot_pk: int) -> Pilot:
    pilot = selectors.get_pilot_for(request.user, pilot_pk)
    _require(request, "diffusion.view_pilot", pilot, _("You cannot see this pilot."))
    return pilot


def _pilot_page(request: HttpRequest, pilot: Pilot, **forms_: Any) -> HttpResponse:
    can_change = request.user.has_perm("diffusion.change_pilot", pilot)
    today = timezone.localdate()
    context = {
        "programme": pilot.programme,
        "pilot": pilot,
        "steps": pilot.steps.all(),
        "milestones": pilot.milestones.all(),
        "updates": pilot.updates.select_related("author"),
        "can_change": can_change,
        "days_left": (pilot.ends_on - today).days,
        "step_form": forms_.get("step_form") or forms.PilotStepForm(),
        "milestone_form": forms_.get("milestone_form") or forms.MilestoneForm(),
        "update_form": forms_.get("update_form") or forms.PilotUpdateForm(can_change=can_change),
    }
    return render(request, "diffusion/pilot_detail.html", context, status=400 if forms_ else 200)


@login_required
def pilot_detail(request: HttpRequest, pilot_pk: int) -> HttpResponse:
    return _pilot_page(request, _get_pilot(request, pilot_pk))


@login_required
@require_POST
def pilot_step_add(request: HttpRequest, pilot_pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pilot_pk)
    _require(request, "diffusion.change_pilot", pilot, _("Only the pilot's lead can."))
    form = forms.PilotStepForm(request.POST)
    if not form.is_valid():
        return _pilot_page(request, pilot, step_form=form)
    services.add_pilot_step(pilot=pilot, **form.cleaned_data)
    messages.success(request, _("The step is added to the results chain."))
    return redirect(pilot)


@login_required
@require_POST
def pilot_milestone_add(request: HttpRequest, pilot_pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pilot_pk)
    _require(request, "diffusion.change_pilot", pilot, _("Only the pilot's lead can."))
    form = forms.MilestoneForm(request.POST)
    if not form.is_valid():
        return _pilot_page(request, pilot, milestone_form=form)
    services.add_milestone(pilot=pilot, **form.cleaned_data)
    messages.success(request, _("The milestone is added."))
    return redirect(pilot)


@login_required
@require_POST
def pilot_milestone_reached(request: HttpRequest, pilot_pk: int, milestone_pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pilot_pk)
    _require(request, "diffusion.change_pilot", pilot, _("Only the pilot's lead can."))
    milestone = get_object_or_404(PilotMilestone, pk=milestone_pk, pilot=pilot)
    services.mark_milestone_reached(milestone=milestone, reached_on=timezone.localdate())
    messages.success(request, _("The milestone is marked as reached."))
    return redirect(pilot)


@login_required
@require_POST
def pilot_update_add(request: HttpRequest, pilot_pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pilot_pk)
    _require(
        request, "diffusion.comment_pilot", pilot, _("Only peers and facilitators can comment.")
    )
    can_change = request.user.has_perm("diffusion.change_pilot", pilot)
    form = forms.PilotUpdateForm(request.POST, can_change=can_change)
    valid = form.is_valid()
    if valid:
        services.post_pilot_update(
            pilot=pilot,
            author=_user(request),
            text=form.cleaned_data["text"],
            status=form.cleaned_data.get("status", ""),
            outcome=form.cleaned_data.get("outcome", ""),
        )
    if getattr(request, "htmx", False):
        # the updates section alone, with a fresh form (or the errors), swapped in place
        pilot.refresh_from_db()
        context = {
            "pilot": pilot,
            "updates": pilot.updates.select_related("author"),
            "update_form": forms.PilotUpdateForm(can_change=can_change) if valid else form,
        }
        return render(request, "diffusion/_pilot_updates.html", context)
    if not valid:
        return _pilot_page(request, pilot, update_form=form)
    messages.success(request, _("Your comment is posted."))
    return redirect(pilot)


# ---------------------------------------------------------------------------------------------
# Impact stories


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(
        request, "diffusion.add_story", programme, _("Only peers and facilitators add stories.")
    )
    form = forms.StoryForm(request.POST or None, programme=programme, user=_user(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = services.record_story(
                programme=programme,
                recorded_by=_user(request),
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                happened_on=data["happened_on"],
                evidence=data["evidence"],
                evidence_url=data["evidence_url"],
                organisation=data["organisation"],
                peers=list(data["peers"]),
                pilots=list(data["pilots"]),
            )
        except services.DiffusionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The impact story is recorded."))
            return redirect(story)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "diffusion/story_form.html", {"programme": programme, "form": form}, status=status
    )


@login_required
def story_detail(request: HttpRequest, story_pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, story_pk)
    _require(request, "diffusion.view_story", story, _("You cannot see this story."))
    return render(
        request,
        "diffusion/story_detail.html",
        {
            "programme": story.programme,
            "story": story,
            "peers": story.peers.filter(
                pk__in=memberships_visible_to(request.user, story.programme).values("user_id")
            ),
            "pilots": story.pilots.all(),
        },
    )


# ---------------------------------------------------------------------------------------------
# The sponsor's progress report


def _report_organisations(user: Any, programme: Programme) -> Any:
    if selectors.sees_whole_programme(user, programme):
        return (
            all_organisations()
            .filter(memberships__programme=programme, memberships__role=Role.PEER)
            .distinct()
        )
    return selectors.sponsored_organisations(user, programme)


@login_required
def sponsor_report(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(
        request,
        "diffusion.view_sponsor_report",
        programme,
        _("Progress reports are for the organisation's sponsor and the programme's staff."),
    )
    user = _user(request)
    organisations = _report_organisations(user, programme)
    chosen = request.GET.get("organisation")
    organisation = None
    if chosen:
        if not chosen.isdigit():
            raise Http404
        organisation = get_object_or_404(organisations, pk=int(chosen))
    else:
        organisation = organisations.first()
    sponsor_membership = (
        programme.memberships.filter(user=user, role=Role.SPONSOR, organisation=organisation)
        .select_related("organisation")
        .first()
    )
    context = {
        "programme": programme,
        "organisations": organisations,
        "organisation": organisation,
        "report": selectors.sponsor_report(programme, organisation) if organisation else None,
        "sponsor_membership": sponsor_membership,
        "subscribed": sponsor_membership is not None
        and not SponsorReportOptOut.objects.filter(membership=sponsor_membership).exists(),
    }
    return render(request, "diffusion/sponsor_report.html", context)


@login_required
@require_POST
def sponsor_subscription(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    _require(
        request,
        "diffusion.view_sponsor_report",
        programme,
        _("Progress reports are for the organisation's sponsor and the programme's staff."),
    )
    membership = get_object_or_404(
        programme.memberships.filter(user=_user(request), role=Role.SPONSOR),
        pk=request.POST.get("membership") or 0,
    )
    subscribed = request.POST.get("subscribed") == "1"
    services.set_sponsor_report_subscription(membership=membership, subscribed=subscribed)
    if subscribed:
        messages.success(request, _("You will receive the monthly progress report by email."))
    else:
        messages.success(request, _("You will no longer receive the monthly progress report."))
    url = reverse("diffusion:sponsor_report", kwargs={"pk": programme.pk})
    return redirect(f"{url}?organisation={membership.organisation_id}")


@require_http_methods(["GET", "POST"])
def sponsor_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from the monthly email, from the link in the email itself."""
    membership = services.membership_from_unsubscribe_token(token)
    if membership is None:
        return render(request, "diffusion/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.set_sponsor_report_subscription(membership=membership, subscribed=False)
        done = True
    return render(request, "diffusion/unsubscribe.html", {"membership": membership, "done": done})
