"""Pages of peer adviser placements; each change has its own address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.listing import paginate
from peerlearn.roles import Role
from programmes import selectors as programmes

from ..access import DENIED, programme_for
from . import selectors, services
from .forms import CheckInForm, PlacementForm, ReflectionForm

if TYPE_CHECKING:
    from programmes.models import Programme

    from .models import Placement


VIEW = "group_life.view_placements"


def _form(programme: Programme, data: object = None) -> PlacementForm:
    peers = (
        programmes.all_memberships()
        .filter(programme=programme, role=Role.PEER, organisation__isnull=False)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )
    return PlacementForm(
        data,
        peers=peers,
        organisations=[(o.pk, o.name) for o in programmes.organisations_of(programme)],
    )


def _list(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    form: PlacementForm | None,
    status: int = 200,
) -> HttpResponse:
    listing = paginate(
        request,
        selectors.placements_for(request.user, programme)
        .prefetch_related("check_ins")
        .order_by("-starts_on", "-pk"),
        label=_("Pages of placements"),
    )
    return render(
        request,
        "group_life/placements/list.html",
        {
            "programme": programme,
            "placements": listing,
            "listing": listing,
            "form": form,
            "can_manage": form is not None,
        },
        status=status,
    )


@login_required
@require_GET
def placements(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    can_manage = request.user.has_perm("group_life.manage_placements", programme)
    return _list(request, programme, _form(programme) if can_manage else None)


@login_required
@require_POST
def placement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.manage_placements")
    form = _form(programme, request.POST)
    if form.is_valid():
        peer = form.cleaned_data["peer"]  # a peer membership of the programme
        host = (
            programmes.organisations_of(programme)
            .filter(pk=form.cleaned_data["host_organisation"])
            .first()
        )
        if host is None:
            raise Http404
        with service_errors(form):
            placement = services.create_placement(
                programme=programme,
                by=request.user,
                peer=peer.user,
                host_organisation=host,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                goals=form.cleaned_data["goals"],
            )
            messages.success(request, _("The placement is recorded."))
            return redirect("group_life:placement", pk=programme.pk, placement_id=placement.pk)
    return _list(request, programme, form, status=400)


def _detail(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    placement: Placement,
    check_in: CheckInForm,
    reflection: ReflectionForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "group_life/placements/detail.html",
        {
            "programme": programme,
            "placement": placement,
            "check_ins": list(placement.check_ins.select_related("by")),
            "check_in_form": check_in,
            "reflection_form": reflection,
            "can_check_in": request.user.has_perm("group_life.check_in_placement", placement),
            "can_reflect": request.user.has_perm("group_life.reflect_on_placement", placement),
        },
        status=status,
    )


@login_required
@require_GET
def placement(request: AuthenticatedHttpRequest, pk: int, placement_id: int) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    item = selectors.get_placement(request.user, programme, placement_id)
    return _detail(
        request,
        programme,
        item,
        CheckInForm(),
        ReflectionForm(initial={"text": item.end_reflection}),
    )


@login_required
@require_POST
def placement_check_in(
    request: AuthenticatedHttpRequest, pk: int, placement_id: int
) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    item = selectors.get_placement(request.user, programme, placement_id)
    if not request.user.has_perm("group_life.check_in_placement", item):
        raise PermissionDenied(DENIED)
    form = CheckInForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.add_check_in(placement=item, by=request.user, **form.cleaned_data)
            messages.success(request, _("The check-in is recorded."))
            return redirect("group_life:placement", pk=programme.pk, placement_id=item.pk)
    return _detail(request, programme, item, form, ReflectionForm(), status=400)


@login_required
@require_POST
def placement_reflection(
    request: AuthenticatedHttpRequest, pk: int, placement_id: int
) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    item = selectors.get_placement(request.user, programme, placement_id)
    if not request.user.has_perm("group_life.reflect_on_placement", item):
        raise PermissionDenied(_("Only the adviser writes the reflection at the end."))
    form = ReflectionForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.reflect_on_placement(
                placement=item, by=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Your reflection is saved."))
            return redirect("group_life:placement", pk=programme.pk, placement_id=item.pk)
    return _detail(request, programme, item, CheckInForm(), form, status=400)
