"""Writes of peer adviser placements: a facilitator places a peer in another organisation; the
adviser and the facilitators record check-ins; the adviser reflects at the end."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.errors import ServiceError
from peerlearn.roles import Role
from programmes import selectors as programmes

from .models import Placement, PlacementCheckIn

if TYPE_CHECKING:
    from peerlearn.users.models import User
    from programmes.models import Organisation, Programme


class PlacementError(ServiceError):
    """A placement request that cannot be carried out."""


@transaction.atomic
def create_placement(
    *,
    programme: Programme,
    by: User,
    peer: User,
    host_organisation: Organisation,
    starts_on: date,
    ends_on: date,
    goals: str,
) -> Placement:
    membership = (
        programmes.all_memberships()
        .filter(programme=programme, user=peer, role=Role.PEER, organisation__isnull=False)
        .select_related("organisation")
        .first()
    )
    if membership is None or membership.organisation is None:
        raise PlacementError(_("Choose a peer of this programme who represents an organisation."))
    if membership.organisation.pk == host_organisation.pk:
        raise PlacementError(
            _("The host organisation must be another than the adviser's own."),
            field="host_organisation",
        )
    if ends_on < starts_on:
        raise PlacementError(_("The placement cannot end before it starts."), field="ends_on")
    goals = goals.strip()
    if not goals:
        raise PlacementError(_("Write the goals of the placement."), field="goals")
    return Placement.objects.create(
        programme=programme,
        peer=peer,
        home_organisation=membership.organisation,
        host_organisation=host_organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        goals=goals,
        created_by=by,
    )


@transaction.atomic
def add_check_in(
    *, placement: Placement, by: User, held_on: date, progress: str
) -> PlacementCheckIn:
    progress = progress.strip()
    if not progress:
        raise PlacementError(_("Say how the goals are progressing."), field="progress")
    if held_on < placement.starts_on:
        raise PlacementError(
            _("A check-in cannot come before the placement starts."), field="held_on"
        )
    return PlacementCheckIn.objects.create(
        placement=placement, held_on=held_on, progress=progress, by=by
    )


@transaction.atomic
def reflect_on_placement(*, placement: Placement, by: Any, text: str) -> Placement:
    if by.pk != placement.peer_id:
        raise PlacementError(_("Only the adviser writes the reflection at the end."))
    text = text.strip()
    if not text:
        raise PlacementError(_("Write your reflection."), field="text")
    if timezone.localdate() < placement.starts_on:
        raise PlacementError(_("The placement has not started yet."))
    placement.end_reflection = text
    placement.reflected_at = timezone.now()
    placement.save(update_fields=["end_reflection", "reflected_at"])
    return placement
