"""Pages of group life. Thin: they check permissions and call selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matching.selectors import published_groups
from peerlearn.flags import RiskFlag
from peerlearn.users.models import User
from programmes.selectors import get_programme_for

from . import selectors, services
from .flags import flags_for
from .forms import (
    EndProductForm,
    MeetingForm,
    MeetingSlotForm,
    NoContactWeeksForm,
    NoteForm,
    PairRequestForm,
    ProblemDraftForm,
    RubricForm,
    SubGroupForm,
    VisitForm,
    VisitReflectionForm,
)
from .models import BlindSideNote, EndProduct, MeetingSlot, PairRequest

if TYPE_CHECKING:
    from matching.models import Group
    from programmes.models import Programme

DENIED = "You do not have access to this part of the programme."


def _programme(request: HttpRequest, pk: int, perm: str) -> Programme:
    programme = get_programme_for(request.user, pk)
    if not request.user.has_perm(perm, programme):
        raise PermissionDenied(_(DENIED))
    return programme


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _group(request: HttpRequest, pk: int, group_id: int, perm: str) -> tuple[Programme, Group]:
    programme = get_programme_for(request.user, pk)
    group = selectors.get_workspace_group(request.user, programme, group_id)
    if not request.user.has_perm(perm, group):
        raise PermissionDenied(_(DENIED))
    return programme, group


@login_required
@require_http_methods(["GET", "POST"])
def group_life(request: HttpRequest, pk: int) -> HttpResponse:
    """ "My group": a peer goes to their group's workspace; a facilitator sees every group's
    progress, the flags and the no-contact setting."""
    programme = _programme(request, pk, "group_life.view_group_life")
    is_staff = request.user.has_perm("group_life.score_product", programme)
    groups = list(selectors.workspace_groups_for(request.user, programme))
    if not is_staff:
        if request.method == "POST":
            raise PermissionDenied(_(DENIED))
        if len(groups) == 1:
            return redirect("group_life:workspace", pk=programme.pk, group_id=groups[0].pk)
        return render(
            request,
            "group_life/home.html",
            {"programme": programme, "groups": groups, "is_staff": False},
        )
    form = NoContactWeeksForm(
        request.POST or None, initial={"weeks": selectors.no_contact_weeks(programme)}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.set_no_contact_weeks(programme=programme, weeks=form.cleaned_data["weeks"])
            messages.success(request, _("The setting is saved."))
            return redirect("group_life:group_life", pk=programme.pk)
        status = 400
    flags: list[RiskFlag] = flags_for(programme)
    context = {
        "programme": programme,
        "is_staff": True,
        "rows": selectors.progress_of(groups),
        "flags": flags,
        "form": form,
    }
    return render(request, "group_life/home.html", context, status=status)


def _workspace_context(request: HttpRequest, programme: Programme, group: Group) -> dict[str, Any]:
    workspace = selectors.workspace_of(group)
    product = EndProduct.objects.filter(group=group).first()
    member = request.user.has_perm("group_life.contribute_to_group", group)
    return {
        "programme": programme,
        "group": group,
        "workspace": workspace,
        "members": list(group.members.select_related("user")),
        "drafts": list(selectors.problem_history(group)),
        "slots": list(group.meeting_slots.all()),
        "meetings": list(group.meetings.all()[:20]),
        "product": product,
        "contacts": list(selectors.group_contacts(group)[:30]),
        "attendance": list(selectors.group_attendance(group)[:30]),
        "reflections": list(selectors.group_reflections(request.user, group)[:20]),
        "prompts": list(selectors.prompts_for(request.user, programme).filter(group=group)[:10]),
        "is_member": member,
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


WORKSPACE_ACTIONS = {"draft", "distil", "slot", "slot_remove", "meeting", "product", "board"}


@login_required
@require_http_methods(["GET", "POST"])
def workspace(request: HttpRequest, pk: int, group_id: int) -> HttpResponse:
    programme, group = _group(request, pk, group_id, "group_life.view_workspace")
    if request.method == "GET":
        return render(
            request, "group_life/workspace.html", _workspace_context(request, programme, group)
        )
    action = request.POST.get("action", "")
    if action == "score":
        return _score(request, programme, group)
    if action not in WORKSPACE_ACTIONS:
        context = _workspace_context(request, programme, group)
        messages.error(request, _("This action is not known."))
        return render(request, "group_life/workspace.html", context, status=400)
    if not request.user.has_perm("group_life.contribute_to_group", group):
        raise PermissionDenied(_("Only the members of the group can change its workspace."))
    context = _workspace_context(request, programme, group)
    user = _user(request)
    try:
        if action == "draft":
            form: Any = ProblemDraftForm(request.POST)
            context["draft_form"] = form
            if form.is_valid():
                services.add_problem_draft(group=group, author=user, text=form.cleaned_data["text"])
                messages.success(request, _("Your draft is saved."))
                return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
        elif action == "distil":
            draft = get_object_or_404(group.problem_drafts, pk=_int(request.POST.get("draft")))
            services.mark_distilled(group=group, draft=draft, by=user)
            messages.success(request, _("The problem statement is marked distilled."))
            return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
        elif action == "slot":
            form = MeetingSlotForm(request.POST)
            context["slot_form"] = form
            if form.is_valid():
                data = form.cleaned_data
                services.add_meeting_slot(
                    group=group,
                    by=user,
                    every=data["every"],
                    weekday=data["weekday"],
                    at=data["time"],
                    duration_minutes=data["duration_minutes"],
                    starts_on=data["starts_on"],
                    location=data["location"],
                )
                messages.success(request, _("The meeting slot is added."))
                return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
        elif action == "slot_remove":
            slot = get_object_or_404(MeetingSlot, group=group, pk=_int(request.POST.get("slot")))
            services.remove_meeting_slot(slot=slot)
            messages.success(request, _("The meeting slot is removed."))
            return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
        elif action == "meeting":
            form = MeetingForm(request.POST)
            context["meeting_form"] = form
            if form.is_valid():
                services.log_meeting(
                    group=group,
                    by=user,
                    held_on=form.cleaned_data["held_on"],
                    notes=form.cleaned_data["notes"],
                )
                messages.success(request, _("The meeting is logged."))
                return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
        elif action == "product":
            form = EndProductForm(request.POST, request.FILES)
            context["product_form"] = form
            if form.is_valid():
                services.submit_product(
                    group=group,
                    by=user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    file=form.cleaned_data["file"],
                )
                messages.success(request, _("Your end product is submitted."))
                return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
        elif action == "board":
            shown = request.POST.get("shown") == "1"
            services.set_progress_board(group=group, shown=shown)
            messages.success(
                request,
                _("Your group's progress is on the board.")
                if shown
                else _("Your group's progress is no longer on the board."),
            )
            return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
    except services.GroupLifeError as error:
        messages.error(request, str(error))
    return render(request, "group_life/workspace.html", context, status=400)


def _score(request: HttpRequest, programme: Programme, group: Group) -> HttpResponse:
    if not request.user.has_perm("group_life.score_product", group):
        raise PermissionDenied(_("Only a facilitator scores the end product."))
    product = get_object_or_404(EndProduct, group=group)
    form = RubricForm(request.POST)
    context = _workspace_context(request, programme, group)
    context["rubric_form"] = form
    if form.is_valid():
        data = form.cleaned_data
        services.score_product(
            product=product,
            by=_user(request),
            new_ideas=data["new_ideas"],
            different_experiences=data["different_experiences"],
            peer_interaction=data["peer_interaction"],
            note=data["note"],
        )
        messages.success(request, _("The rubric score is saved."))
        return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
    return render(request, "group_life/workspace.html", context, status=400)


@login_required
@require_GET
def product_file(request: HttpRequest, pk: int, group_id: int) -> FileResponse:
    """The end product's file, to the group and the facilitators only."""
    _programme, group = _group(request, pk, group_id, "group_life.view_workspace")
    product = EndProduct.objects.filter(group=group).first()
    if product is None or not product.file:
        raise Http404(_("There is no file."))
    name = str(product.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(product.file.open("rb"), as_attachment=True, filename=name)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _board_response(
    request: HttpRequest, programme: Programme, group: Group, form: NoteForm, status: int = 200
) -> HttpResponse:
    context = {
        "programme": programme,
        "group": group,
        "notes": selectors.board_notes(group),
        "quadrants": BlindSideNote.Quadrant.choices,
        "form": form,
        "can_edit": request.user.has_perm("group_life.contribute_to_group", group),
    }
    template = (
        "group_life/_board.html"
        if getattr(request, "htmx", False)
        else "group_life/blind_side.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def blind_side(request: HttpRequest, pk: int, group_id: int) -> HttpResponse:
    programme, group = _group(request, pk, group_id, "group_life.view_workspace")
    if request.method == "GET":
        return _board_response(request, programme, group, NoteForm())
    if not request.user.has_perm("group_life.contribute_to_group", group):
        raise PermissionDenied(_("Only the members of the group can change its board."))
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(
            group=group,
            author=_user(request),
            quadrant=form.cleaned_data["quadrant"],
            text=form.cleaned_data["text"],
        )
        if getattr(request, "htmx", False):
            return _board_response(request, programme, group, NoteForm())
        messages.success(request, _("Your note is on the board."))
        return redirect("group_life:blind_side", pk=programme.pk, group_id=group.pk)
    return _board_response(request, programme, group, form, status=400)


@login_required
@require_POST
def blind_side_move(request: HttpRequest, pk: int, group_id: int, note_id: int) -> HttpResponse:
    programme, group = _group(request, pk, group_id, "group_life.contribute_to_group")
    note = get_object_or_404(BlindSideNote, group=group, pk=note_id)
    try:
        services.move_note(note=note, quadrant=request.POST.get("quadrant", ""), by=_user(request))
    except services.GroupLifeError as error:
        messages.error(request, str(error))
        return _board_response(request, programme, group, NoteForm(), status=400)
    if getattr(request, "htmx", False):
        return _board_response(request, programme, group, NoteForm())
    messages.success(request, _("The note is moved."))
    return redirect("group_life:blind_side", pk=programme.pk, group_id=group.pk)


def _partners(user: Any, programme: Programme) -> list[tuple[int, str]]:
    return [(m.user_id, str(m.user)) for m in selectors.pair_partners(user, programme)]


@login_required
@require_http_methods(["GET", "POST"])
def pairs(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "group_life.view_group_life")
    can_request = request.user.has_perm("group_life.request_pair", programme)
    form = PairRequestForm(request.POST or None, partners=_partners(request.user, programme))
    status = 200
    if request.method == "POST":
        if not can_request:
            raise PermissionDenied(_("Only peers ask to pair."))
        if form.is_valid():
            try:
                pair = services.request_pair(
                    programme=programme,
                    requested_by=_user(request),
                    requested_of=get_object_or_404(User, pk=form.cleaned_data["requested_of"]),
                    purpose=form.cleaned_data["purpose"],
                )
            except services.GroupLifeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your request is sent; your peer will answer."))
                return redirect("group_life:pair", pk=programme.pk, pair_id=pair.pk)
        status = 400
    context = {
        "programme": programme,
        "pairs": list(selectors.pairs_for(request.user, programme)),
        "form": form,
        "can_request": can_request,
    }
    return render(request, "group_life/pairs.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest, pk: int, pair_id: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    item: PairRequest = selectors.get_pair_for(request.user, programme, pair_id)
    if not request.user.has_perm("group_life.view_pair", item):
        raise PermissionDenied(_(DENIED))
    visit_form = VisitForm(
        initial={
            "learning_agenda": item.learning_agenda,
            "reciprocal": bool(item.visit and item.visit.reciprocal),
            "location": item.visit.location if item.visit else "",
        }
    )
    reflection_form = VisitReflectionForm(initial={"reflection": item.reflection})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("accept", "decline"):
                if not request.user.has_perm("group_life.answer_pair", item):
                    raise PermissionDenied(_("Only the peer who was asked can answer."))
                services.answer_pair(pair=item, accept=action == "accept")
                messages.success(request, _("Your answer is saved."))
                return redirect("group_life:pair", pk=programme.pk, pair_id=item.pk)
            if not request.user.has_perm("group_life.plan_pair", item):
                raise PermissionDenied(_("Only the two peers of the pair can plan it."))
            if action == "visit":
                visit_form = VisitForm(request.POST)
                if visit_form.is_valid():
                    data = visit_form.cleaned_data
                    services.plan_visit(
                        pair=item,
                        by=_user(request),
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        location=data["location"],
                        reciprocal=data["reciprocal"],
                        learning_agenda=data["learning_agenda"],
                    )
                    messages.success(request, _("The site visit is planned."))
                    return redirect("group_life:pair", pk=programme.pk, pair_id=item.pk)
            elif action == "reflect":
                reflection_form = VisitReflectionForm(request.POST)
                if reflection_form.is_valid():
                    services.reflect_on_visit(
                        pair=item, text=reflection_form.cleaned_data["reflection"]
                    )
                    messages.success(request, _("Your reflection is saved."))
                    return redirect("group_life:pair", pk=programme.pk, pair_id=item.pk)
            else:
                messages.error(request, _("This action is not known."))
        except services.GroupLifeError as error:
            messages.error(request, str(error))
        status = 400
    context = {
        "programme": programme,
        "pair": item,
        "visit_form": visit_form,
        "reflection_form": reflection_form,
        "can_answer": request.user.has_perm("group_life.answer_pair", item),
        "can_plan": request.user.has_perm("group_life.plan_pair", item),
    }
    return render(request, "group_life/pair.html", context, status=status)


@login_required
@require_GET
def progress_board(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "group_life.view_progress_board")
    rows = selectors.progress_of(selectors.board_groups(programme))
    return render(request, "group_life/progress_board.html", {"programme": programme, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def cross_group(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "group_life.view_group_life")
    can_manage = request.user.has_perm("group_life.manage_sub_groups", programme)
    form = SubGroupForm(request.POST or None, groups=published_groups(programme))
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only a facilitator spins off a sub-group."))
        if form.is_valid():
            try:
                services.spin_off_sub_group(
                    programme=programme,
                    by=_user(request),
                    name=form.cleaned_data["name"],
                    problem=form.cleaned_data["problem"],
                    groups=list(form.cleaned_data["groups"]),
                )
            except services.GroupLifeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The sub-group is spun off."))
                return redirect("group_life:cross_group", pk=programme.pk)
        status = 400
    shared: list[tuple[str, list[Group]]] = []
    if can_manage:
        by_problem: dict[str, list[Group]] = {}
        for group in published_groups(programme).select_related("workspace__distilled"):
            for theme in group.shared_themes or {}:
                by_problem.setdefault(str(theme), []).append(group)
        shared = sorted(
            ((name, gs) for name, gs in by_problem.items() if len(gs) > 1), key=lambda x: x[0]
        )
    context = {
        "programme": programme,
        "sub_groups": list(selectors.sub_groups_for(request.user, programme)),
        "form": form if can_manage else None,
        "shared": shared,
    }
    return render(request, "group_life/cross_group.html", context, status=status)
