"""Pages of group life. Thin: they check a rule and call selectors and services; each change
to a workspace or a pair has its own address (the workspace actions are in
``views_workspace``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matching.selectors import published_groups
from peerlearn.errors import service_errors
from peerlearn.flags import current_flags, summarise_flags
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.listing import paginate
from programmes.selectors import get_programme_for

from . import overview, selectors, services
from .access import DENIED, group_for, programme_for
from .forms import (
    GroupFilters,
    NoContactWeeksForm,
    NoteForm,
    PairRequestForm,
    SubGroupForm,
    VisitForm,
    VisitReflectionForm,
)
from .models import BlindSideNote, PairRequest

if TYPE_CHECKING:
    from matching.models import Group
    from programmes.models import Programme


@login_required
@require_http_methods(["GET", "POST"])
def group_life(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "My group": a peer goes to their group's workspace; a facilitator sees every group's
    progress, the flags and the no-contact setting."""
    programme = programme_for(request, pk, "group_life.view_group_life")
    is_staff = request.user.has_perm("group_life.score_product", programme)
    if not is_staff:
        groups = list(selectors.workspace_groups_for(request.user, programme))
        if request.method == "POST":
            raise PermissionDenied(DENIED)
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
            with service_errors(form):
                services.set_no_contact_weeks(programme=programme, weeks=form.cleaned_data["weeks"])
                messages.success(request, _("The setting is saved."))
                return redirect("group_life:group_life", pk=programme.pk)
        status = 400
    filters = GroupFilters(request)
    wanted = filters.values()
    shown = published_groups(programme, with_members=False)
    if "flag" in wanted:
        since = selectors.stale_window(programme, timezone.localdate())
        shown = overview.flagged_groups(programme, wanted["flag"], since)
    if "q" in wanted:
        shown = shown.filter(label__icontains=wanted["q"])
    listing = paginate(
        request, overview.with_progress(shown), filters=filters, label=_("Pages of groups")
    )
    context = {
        "programme": programme,
        "is_staff": True,
        "groups": listing,
        "rows": overview.progress_rows(listing),
        "flag_groups": summarise_flags(current_flags(programme, only=["group_life"])[0]),
        "form": form,
    }
    return render(request, "group_life/home.html", context, status=status)


# Blind Side board


def _board_response(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    group: Group,
    form: NoteForm,
    status: int = 200,
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
def blind_side(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    programme, group = group_for(request, pk, group_id, "group_life.view_workspace")
    if request.method == "GET":
        return _board_response(request, programme, group, NoteForm())
    if not request.user.has_perm("group_life.contribute_to_group", group):
        raise PermissionDenied(_("Only the members of the group can change its board."))
    form = NoteForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.add_note(
                group=group,
                author=request.user,
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
def blind_side_move(
    request: AuthenticatedHttpRequest, pk: int, group_id: int, note_id: int
) -> HttpResponse:
    programme, group = group_for(request, pk, group_id, "group_life.contribute_to_group")
    note = get_object_or_404(selectors.notes_of(group), pk=note_id)
    with service_errors(request):
        services.move_note(note=note, quadrant=request.POST.get("quadrant", ""), by=request.user)
        if getattr(request, "htmx", False):
            return _board_response(request, programme, group, NoteForm())
        messages.success(request, _("The note is moved."))
        return redirect("group_life:blind_side", pk=programme.pk, group_id=group.pk)
    return _board_response(request, programme, group, NoteForm(), status=400)


# Pairs and site visits


@login_required
@require_http_methods(["GET", "POST"])
def pairs(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.view_group_life")
    can_request = request.user.has_perm("group_life.request_pair", programme)
    form = PairRequestForm(
        request.POST or None, partners=selectors.pair_partners(request.user, programme)
    )
    status = 200
    if request.method == "POST":
        if not can_request:
            raise PermissionDenied(_("Only peers ask to pair."))
        if form.is_valid():
            with service_errors(form):
                pair = services.request_pair(
                    programme=programme,
                    requested_by=request.user,
                    requested_of=form.cleaned_data["requested_of"].user,
                    purpose=form.cleaned_data["purpose"],
                )
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


def _pair(
    request: AuthenticatedHttpRequest, pk: int, pair_id: int
) -> tuple[Programme, PairRequest]:
    programme = get_programme_for(request.user, pk)
    item = selectors.get_pair_for(request.user, programme, pair_id)
    if not request.user.has_perm("group_life.view_pair", item):
        raise PermissionDenied(DENIED)
    return programme, item


def _pair_page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    item: PairRequest,
    *,
    visit_form: VisitForm | None = None,
    reflection_form: VisitReflectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if visit_form is None:
        visit_form = VisitForm(
            initial={
                "learning_agenda": item.learning_agenda,
                "reciprocal": bool(item.visit and item.visit.reciprocal),
                "location": item.visit.location if item.visit else "",
            }
        )
    if reflection_form is None:
        reflection_form = VisitReflectionForm(initial={"reflection": item.reflection})
    context = {
        "programme": programme,
        "pair": item,
        "visit_form": visit_form,
        "reflection_form": reflection_form,
        "can_answer": request.user.has_perm("group_life.answer_pair", item),
        "can_plan": request.user.has_perm("group_life.plan_pair", item),
    }
    return render(request, "group_life/pair.html", context, status=status)


def _to_pair(programme: Programme, item: PairRequest) -> HttpResponse:
    return redirect("group_life:pair", pk=programme.pk, pair_id=item.pk)


@login_required
@require_GET
def pair(request: AuthenticatedHttpRequest, pk: int, pair_id: int) -> HttpResponse:
    programme, item = _pair(request, pk, pair_id)
    return _pair_page(request, programme, item)


def _answer(request: AuthenticatedHttpRequest, pk: int, pair_id: int, accept: bool) -> HttpResponse:
    programme, item = _pair(request, pk, pair_id)
    if not request.user.has_perm("group_life.answer_pair", item):
        raise PermissionDenied(_("Only the peer who was asked can answer."))
    with service_errors(request):
        services.answer_pair(pair=item, accept=accept)
        messages.success(request, _("Your answer is saved."))
        return _to_pair(programme, item)
    return _pair_page(request, programme, item, status=400)


@login_required
@require_POST
def pair_accept(request: AuthenticatedHttpRequest, pk: int, pair_id: int) -> HttpResponse:
    return _answer(request, pk, pair_id, accept=True)


@login_required
@require_POST
def pair_decline(request: AuthenticatedHttpRequest, pk: int, pair_id: int) -> HttpResponse:
    return _answer(request, pk, pair_id, accept=False)


def _pair_to_plan(
    request: AuthenticatedHttpRequest, pk: int, pair_id: int
) -> tuple[Programme, PairRequest]:
    programme, item = _pair(request, pk, pair_id)
    if not request.user.has_perm("group_life.plan_pair", item):
        raise PermissionDenied(_("Only the two peers of the pair can plan it."))
    return programme, item


@login_required
@require_POST
def pair_visit(request: AuthenticatedHttpRequest, pk: int, pair_id: int) -> HttpResponse:
    """Plan (or re-plan) the pair's site visit."""
    programme, item = _pair_to_plan(request, pk, pair_id)
    form = VisitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(request):
            services.plan_visit(
                pair=item,
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"],
                reciprocal=data["reciprocal"],
                learning_agenda=data["learning_agenda"],
            )
            messages.success(request, _("The site visit is planned."))
            return _to_pair(programme, item)
    return _pair_page(request, programme, item, visit_form=form, status=400)


@login_required
@require_POST
def pair_reflection(request: AuthenticatedHttpRequest, pk: int, pair_id: int) -> HttpResponse:
    """What the peers learned on the visit, once it has taken place."""
    programme, item = _pair_to_plan(request, pk, pair_id)
    form = VisitReflectionForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.reflect_on_visit(pair=item, text=form.cleaned_data["reflection"])
            messages.success(request, _("Your reflection is saved."))
            return _to_pair(programme, item)
    return _pair_page(request, programme, item, reflection_form=form, status=400)


# The programme's groups together


@login_required
@require_GET
def progress_board(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.view_progress_board")
    listing = paginate(
        request,
        overview.with_progress(selectors.board_groups(programme)),
        label=_("Pages of groups"),
    )
    context = {"programme": programme, "groups": listing, "rows": overview.progress_rows(listing)}
    return render(request, "group_life/progress_board.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cross_group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.view_group_life")
    can_manage = request.user.has_perm("group_life.manage_sub_groups", programme)
    form = SubGroupForm(request.POST or None, groups=published_groups(programme))
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only a facilitator spins off a sub-group."))
        if form.is_valid():
            with service_errors(form):
                services.spin_off_sub_group(
                    programme=programme,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    problem=form.cleaned_data["problem"],
                    groups=list(form.cleaned_data["groups"]),
                )
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
