"""A group's workspace: the page, and one address per change the members make (the problem
statement, meetings, the end product, the progress board) or the facilitator makes (the
rubric score)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest

from . import selectors, services
from .access import group_for
from .forms import (
    EndProductForm,
    MeetingForm,
    MeetingSlotForm,
    ProblemDraftForm,
    RubricForm,
    SessionNoteForm,
)

if TYPE_CHECKING:
    from matching.models import Group
    from programmes.models import Programme


def _context(
    request: AuthenticatedHttpRequest, programme: Programme, group: Group
) -> dict[str, Any]:
    workspace = selectors.workspace_of(group)
    members = selectors.member_contacts(request.user, group)
    product = selectors.end_product_of(group)
    member = request.user.has_perm("group_life.contribute_to_group", group)
    return {
        "programme": programme,
        "group": group,
        "workspace": workspace,
        "members": members,
        "mailto": selectors.mailto_group(members, exclude=request.user.pk),
        "drafts": list(selectors.problem_history(group)),
        "slots": list(group.meeting_slots.all()),
        "meetings": list(group.meetings.all()[:20]),
        "product": product,
        "contacts": list(selectors.group_contacts(group)[:30]),
        "attendance": list(selectors.group_attendance(group)[:30]),
        "reflections": list(selectors.group_reflections(request.user, group)[:20]),
        "prompts": list(selectors.prompts_for(request.user, programme).filter(group=group)[:10]),
        "session_notes": list(selectors.session_notes_of(group)[:20]),
        "session_form": SessionNoteForm(activities=selectors.guided_activities(programme)),
        "is_member": member,
        # A programme manager may read a workspace but not group life's own pages.
        "sees_group_life": request.user.has_perm("group_life.view_group_life", programme),
        "can_score": request.user.has_perm("group_life.score_product", group),
        "draft_form": ProblemDraftForm(),
        "slot_form": MeetingSlotForm(),
        "meeting_form": MeetingForm(),
        "product_form": EndProductForm(initial={"title": product.title} if product else None),
        "rubric_form": RubricForm(
            initial={
                "new_ideas": product.new_ideas,
                "different_experiences": product.different_experiences,
                "peer_interaction": product.peer_interaction,
                "note": product.rubric_note,
            }
            if product
            else None
        ),
    }


@login_required
@require_GET
def workspace(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    programme, group = group_for(request, pk, group_id, "group_life.view_workspace")
    return render(request, "group_life/workspace.html", _context(request, programme, group))


def _group_to_change(
    request: AuthenticatedHttpRequest, pk: int, group_id: int
) -> tuple[Programme, Group]:
    programme, group = group_for(request, pk, group_id, "group_life.view_workspace")
    if not request.user.has_perm("group_life.contribute_to_group", group):
        raise PermissionDenied(_("Only the members of the group can change its workspace."))
    return programme, group


def _done(request: AuthenticatedHttpRequest, group: Group, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("group_life:workspace", pk=group.programme.pk, group_id=group.pk)


def _refused(
    request: AuthenticatedHttpRequest, programme: Programme, group: Group, **sent: forms.Form
) -> HttpResponse:
    """The workspace again (400), with the form as it was sent and why it was refused."""
    context = _context(request, programme, group)
    context.update(sent)
    return render(request, "group_life/workspace.html", context, status=400)


@login_required
@require_POST
def add_draft(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    """A new draft of the group's problem statement; the earlier ones stay in the history."""
    programme, group = _group_to_change(request, pk, group_id)
    form = ProblemDraftForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.add_problem_draft(
                group=group, author=request.user, text=form.cleaned_data["text"]
            )
            return _done(request, group, _("Your draft is saved."))
    return _refused(request, programme, group, draft_form=form)


@login_required
@require_POST
def distil(
    request: AuthenticatedHttpRequest, pk: int, group_id: int, draft_id: int
) -> HttpResponse:
    """The members agree: this draft is the group's distilled problem statement."""
    programme, group = _group_to_change(request, pk, group_id)
    draft = get_object_or_404(selectors.problem_history(group), pk=draft_id)
    with service_errors(request):
        services.mark_distilled(group=group, draft=draft, by=request.user)
        return _done(request, group, _("The problem statement is marked distilled."))
    return _refused(request, programme, group)


@login_required
@require_POST
def add_slot(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    """A regular meeting of the group (every day, or every one to four weeks)."""
    programme, group = _group_to_change(request, pk, group_id)
    form = MeetingSlotForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(request):
            services.add_meeting_slot(
                group=group,
                by=request.user,
                every=data["every"],
                weekday=data["weekday"],
                at=data["time"],
                duration_minutes=data["duration_minutes"],
                starts_on=data["starts_on"],
                location=data["location"],
            )
            return _done(request, group, _("The meeting slot is added."))
    return _refused(request, programme, group, slot_form=form)


@login_required
@require_POST
def remove_slot(
    request: AuthenticatedHttpRequest, pk: int, group_id: int, slot_id: int
) -> HttpResponse:
    _programme, group = _group_to_change(request, pk, group_id)
    slot = get_object_or_404(group.meeting_slots.all(), pk=slot_id)
    services.remove_meeting_slot(slot=slot)
    return _done(request, group, _("The meeting slot is removed."))


@login_required
@require_POST
def log_meeting(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    """A meeting that took place, with what the group did."""
    programme, group = _group_to_change(request, pk, group_id)
    form = MeetingForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.log_meeting(
                group=group,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
            )
            return _done(request, group, _("The meeting is logged."))
    return _refused(request, programme, group, meeting_form=form)


@login_required
@require_POST
def add_session_note(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    """The group's notes of a guided conversation held at an activity."""
    programme, group = _group_to_change(request, pk, group_id)
    activities = selectors.guided_activities(programme)
    form = SessionNoteForm(request.POST, activities=activities)
    if form.is_valid():
        with service_errors(request):
            services.save_session_notes(
                group=group,
                by=request.user,
                activity=activities.get(pk=int(form.cleaned_data["activity"])),
                text=form.cleaned_data["text"],
            )
            return _done(request, group, _("The notes are saved in the workspace."))
    return _refused(request, programme, group, session_form=form)


@login_required
@require_POST
def submit_product(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    """The group's end product: a file (checked), a text, or both."""
    programme, group = _group_to_change(request, pk, group_id)
    form = EndProductForm(request.POST, request.FILES)
    if form.is_valid():
        with service_errors(request):
            services.submit_product(
                group=group,
                by=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"],
            )
            return _done(request, group, _("Your end product is submitted."))
    return _refused(request, programme, group, product_form=form)


@login_required
@require_POST
def score_product(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    """The facilitator scores the end product with the rubric."""
    programme, group = group_for(request, pk, group_id, "group_life.view_workspace")
    if not request.user.has_perm("group_life.score_product", group):
        raise PermissionDenied(_("Only a facilitator scores the end product."))
    product = selectors.end_product_of(group)
    if product is None:
        raise Http404(_("There is no end product yet."))
    form = RubricForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(request):
            services.score_product(
                product=product,
                by=request.user,
                new_ideas=data["new_ideas"],
                different_experiences=data["different_experiences"],
                peer_interaction=data["peer_interaction"],
                note=data["note"],
            )
            return _done(request, group, _("The rubric score is saved."))
    return _refused(request, programme, group, rubric_form=form)


@login_required
@require_POST
def set_board(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    """Show the group's progress on the programme's progress board, or take it off."""
    _programme, group = _group_to_change(request, pk, group_id)
    shown = request.POST.get("shown") == "1"
    services.set_progress_board(group=group, shown=shown)
    return _done(
        request,
        group,
        _("Your group's progress is on the board.")
        if shown
        else _("Your group's progress is no longer on the board."),
    )


@login_required
@require_GET
def product_file(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> FileResponse:
    """The end product's file, to the group and the facilitators only."""
    _programme, group = group_for(request, pk, group_id, "group_life.view_workspace")
    product = selectors.end_product_of(group)
    if product is None or not product.file:
        raise Http404(_("There is no file."))
    name = str(product.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(product.file.open("rb"), as_attachment=True, filename=name)
