"""Reads for programmes, always scoped to what the user may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from peerlearn.permissions import roles_in
from peerlearn.roles import Role

from .models import Contact, Invitation, Membership, Programme

INVITATION_SALT = "peerlearn.invitation"


def programmes_for(user: Any) -> QuerySet[Programme]:
    """Programmes the user holds a role in (every programme for a site admin)."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(memberships__user=user).distinct()


def get_programme_for(user: Any, pk: int) -> Programme:
    """The programme with this id, or 404 when it does not exist *or* the user has no role."""
    return get_object_or_404(programmes_for(user), pk=pk)


def memberships_visible_to(user: Any, programme: Programme) -> QuerySet[Membership]:
    """Who the user may see in a programme.

    Facilitators, managers and site admins see everyone; a sponsor sees the programme's staff and
    their own organisation's people; a peer sees the staff and the peers of their own cohort(s).
    """
    base = Membership.objects.filter(programme=programme).select_related(
        "user", "organisation", "cohort"
    )
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return base
    staff = base.filter(role__in=[Role.FACILITATOR, Role.MANAGER])
    if Role.SPONSOR in roles:
        organisations = Membership.objects.filter(
            user=user, programme=programme, role=Role.SPONSOR
        ).values("organisation")
        return staff | base.filter(organisation__in=organisations)
    if Role.PEER in roles:
        cohorts = Membership.objects.filter(
            user=user, programme=programme, role=Role.PEER, cohort__isnull=False
        ).values("cohort")
        return staff | base.filter(role=Role.PEER, cohort__in=cohorts) | base.filter(user=user)
    return base.none()


def roles_by_programme(user: Any) -> dict[int, list[str]]:
    """``{programme_id: [role labels]}`` for the user's own programme list, in one query."""
    result: dict[int, list[str]] = {}
    rows = Membership.objects.filter(user=user).values_list("programme_id", "role")
    labels = dict(Role.choices)
    for programme_id, role in rows:
        result.setdefault(programme_id, []).append(str(labels[role]))
    return result


def invitations_for(user: Any, programme: Programme) -> QuerySet[Invitation]:
    """Invitations of a programme, for the people allowed to invite."""
    if not user.has_perm("programmes.invite_people", programme):
        return Invitation.objects.none()
    return programme.invitations.select_related("organisation", "cohort", "invited_by")


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT)


def invitation_from_token(token: str, *, max_age_days: int) -> Invitation | None:
    """The invitation a signed link points at, or ``None`` when tampered, expired or unknown."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age_days * 86400)
    except signing.BadSignature:
        return None
    pk = data.get("invitation") if isinstance(data, dict) else None
    if not isinstance(pk, int):
        return None
    return (
        Invitation.objects.select_related("programme", "organisation", "cohort")
        .filter(pk=pk)
        .first()
    )


def peers_of(programme: Programme) -> QuerySet[Membership]:
    """The programme's peer memberships (with their person, organisation and cohort)."""
    return (
        Membership.objects.filter(programme=programme, role=Role.PEER)
        .select_related("user", "organisation", "cohort")
        .order_by("user__full_name", "user__email")
    )


def contact_edges(programme: Programme) -> list[tuple[int, int, date, bool]]:
    """Every logged contact of the programme as ``(user id, user id, date, confirmed)``.

    The data of the network indicators: one tuple per logged contact, the person who logged it
    first. Contacts with someone who no longer holds a role in the programme are kept.
    """
    rows = Contact.objects.filter(programme=programme).values_list(
        "logged_by_id", "with_user_id", "occurred_on", "confirmed_at"
    )
    return [
        (a, b, occurred_on, confirmed_at is not None) for a, b, occurred_on, confirmed_at in rows
    ]
