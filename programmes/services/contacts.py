"""The contact log: a peer logs a contact, the other person confirms it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.users.models import User

from ..models import Contact, Programme
from ..selectors import contact_partners
from .errors import StageOneError


@transaction.atomic
def log_contact(
    *,
    programme: Programme,
    logged_by: User,
    with_user: User,
    occurred_on: date,
    channel: str,
    topic: str = "",
) -> Contact:
    if with_user.pk == logged_by.pk:
        raise StageOneError(_("A contact is between two people: choose someone else."))
    if occurred_on > timezone.localdate():
        raise StageOneError(_("The date of a contact cannot be in the future."))
    if not contact_partners(logged_by, programme).filter(pk=with_user.pk).exists():
        raise StageOneError(_("This is not someone you can log a contact with."))
    return Contact.objects.create(
        programme=programme,
        logged_by=logged_by,
        with_user=with_user,
        occurred_on=occurred_on,
        channel=channel,
        topic=topic.strip(),
    )


@transaction.atomic
def confirm_contact(*, contact: Contact, user: User) -> Contact:
    if contact.with_user_id != user.pk:
        raise StageOneError(_("Only the other person of a contact can confirm it."))
    if contact.confirmed_at is None:
        contact.confirmed_at = timezone.now()
        contact.save(update_fields=["confirmed_at"])
    return contact


@transaction.atomic
def log_contacts_in_bulk(
    *, programme: Programme, contacts: Iterable[tuple[int, int, date, str, str, bool]]
) -> int:
    """Many contacts at once, e.g. a contact log kept elsewhere or the demo of a large programme:
    rows of ``(logged_by_id, with_user_id, occurred_on, channel, topic, confirmed)``. Refused
    (``StageOneError``) when a row is with oneself or in the future. Returns the count."""
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for logged_by_id, with_user_id, occurred_on, channel, topic, confirmed in contacts:
        if logged_by_id == with_user_id:
            raise StageOneError(_("A contact is between two people: choose someone else."))
        if occurred_on > today:
            raise StageOneError(_("The date of a contact cannot be in the future."))
        rows.append(
            Contact(
                programme=programme,
                logged_by_id=logged_by_id,
                with_user_id=with_user_id,
                occurred_on=occurred_on,
                channel=channel,
                topic=topic.strip(),
                confirmed_at=now if confirmed else None,
            )
        )
    Contact.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
