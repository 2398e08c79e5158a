"""Stopping reminder emails: the signed link in each email, and the opt-out it records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse

from peerlearn import mail, tokens
from peerlearn.users.models import User

from ..models import ReminderOptOut

if TYPE_CHECKING:
    from programmes.models import Programme


def unsubscribe_token(user: User, programme: Programme) -> str:
    return tokens.REMINDER_UNSUBSCRIBE.make({"u": user.pk, "p": programme.pk})


def unsubscribe_url(user_id: int, programme_id: int) -> str:
    """The "stop these reminders" link of a programme's reminder emails to a person."""
    token = tokens.REMINDER_UNSUBSCRIBE.make({"u": user_id, "p": programme_id})
    return mail.absolute_url(reverse("evaluation:unsubscribe", kwargs={"token": token}))


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    data = tokens.REMINDER_UNSUBSCRIBE.read(token)
    if data is None:
        return None
    user, programme = data.get("u"), data.get("p")
    if isinstance(user, int) and isinstance(programme, int):
        return user, programme
    return None


@transaction.atomic
def opt_out(*, user_id: int, programme_id: int) -> ReminderOptOut:
    optout, _created = ReminderOptOut.objects.get_or_create(
        user_id=user_id, programme_id=programme_id
    )
    return optout
