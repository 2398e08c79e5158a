"""Reads of peer adviser placements, scoped to who may see them: the programme's staff, the
adviser, and the sponsors of the home and the host organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from peerlearn.roles import Role, roles_in
from programmes import selectors as programmes

from .models import Placement

if TYPE_CHECKING:
    from programmes.models import Organisation, Programme


def placements_for(user: Any, programme: Programme) -> QuerySet[Placement]:
    base = Placement.objects.filter(programme=programme).select_related(
        "peer", "home_organisation", "host_organisation"
    )
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return base
    condition = Q(peer=user)
    if Role.SPONSOR in roles:
        sponsored = programmes.sponsored_organisations(user, programme)
        condition |= Q(home_organisation__in=sponsored) | Q(host_organisation__in=sponsored)
    return base.filter(condition)


def get_placement(user: Any, programme: Programme, placement_id: int) -> Placement:
    placement = placements_for(user, programme).filter(pk=placement_id).first()
    if placement is None:
        raise Http404
    return placement


def placements_of_organisation(
    programme: Programme, organisation: Organisation
) -> QuerySet[Placement]:
    """Placements the organisation sends or hosts (for its sponsor's page)."""
    return (
        Placement.objects.filter(programme=programme)
        .filter(Q(home_organisation=organisation) | Q(host_organisation=organisation))
        .select_related("peer", "home_organisation", "host_organisation")
        .prefetch_related("check_ins")
    )
