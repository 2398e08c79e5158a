"""The network's governance: the steering group's members, meetings and decisions; the
co-funding partners and their resources by year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.roles import roles_in

from ..models import Funder, Resource, SteeringDecision, SteeringMeeting, SteeringMember
from .errors import StageOneError

if TYPE_CHECKING:
    from peerlearn.users.models import User

    from ..models import Programme


@transaction.atomic
def add_steering_member(
    *, programme: Programme, user: User, position: str = "", country: str = ""
) -> SteeringMember:
    if not roles_in(user, programme):
        raise StageOneError(_("Choose someone who holds a role in the programme."), field="user")
    member, _created = SteeringMember.objects.update_or_create(
        programme=programme,
        user=user,
        defaults={
            "position": position.strip(),
            "country": country.strip().upper()[:2],
            "since": timezone.localdate(),
        },
    )
    return member


@transaction.atomic
def remove_steering_member(*, member: SteeringMember) -> None:
    member.delete()


@transaction.atomic
def record_steering_meeting(
    *, programme: Programme, held_on: date, place: str = "", notes: str = ""
) -> SteeringMeeting:
    return SteeringMeeting.objects.create(
        programme=programme, held_on=held_on, place=place.strip(), notes=notes.strip()
    )


@transaction.atomic
def record_decision(
    *,
    programme: Programme,
    recorded_by: User,
    text: str,
    decided_on: date,
    meeting: SteeringMeeting | None = None,
) -> SteeringDecision:
    text = text.strip()
    if not text:
        raise StageOneError(_("Write the decision."), field="text")
    if decided_on > timezone.localdate():
        raise StageOneError(_("A decision is recorded once it is taken."), field="decided_on")
    if meeting is not None and meeting.programme_id != programme.pk:
        raise StageOneError(_("Choose a meeting of this steering group."), field="meeting")
    return SteeringDecision.objects.create(
        programme=programme,
        meeting=meeting,
        decided_on=decided_on,
        text=text,
        recorded_by=recorded_by,
    )


@transaction.atomic
def add_resource(
    *,
    programme: Programme,
    funder_name: str,
    year: int,
    kind: str,
    purpose: str,
    amount: Decimal,
    currency: str = "USD",
    description: str = "",
) -> Resource:
    """Record what a partner gives in a year; the partner is added the first time."""
    name = " ".join(funder_name.split())
    if not name:
        raise StageOneError(_("Name the partner."), field="funder_name")
    if amount < 0:
        raise StageOneError(_("An amount is zero or more."), field="amount")
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise StageOneError(_("Write the currency as a three-letter code."), field="currency")
    funder = Funder.objects.filter(programme=programme, name__iexact=name).first()
    if funder is None:
        funder = Funder.objects.create(programme=programme, name=name[:200])
    return Resource.objects.create(
        programme=programme,
        funder=funder,
        year=year,
        kind=kind,
        purpose=purpose,
        amount=amount,
        currency=currency,
        description=description.strip(),
    )
