"""Retention: a programme's personal data is anonymised a set number of months after it ends.

Every night :func:`apply_retention` tells the facilitators of a programme whose date comes
within :data:`NOTICE_DAYS` what will happen and when, and on the date erases the peers and
sponsors of the programme who take part in no other programme still keeping its data
(facilitators and managers run programmes and keep their accounts). Each erasure is recorded
like a confirmed request (see :mod:`peerlearn.users.services`).
"""

from __future__ import annotations

import calendar
import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from peerlearn import mail
from peerlearn.roles import Role
from peerlearn.users.services import erase_for_retention

from ..models import Membership, Programme

log = logging.getLogger("peerlearn.retention")

NOTICE_DAYS = 30
ERASED_ROLES = (Role.PEER, Role.SPONSOR)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def anonymised_on(programme: Programme) -> date | None:
    """The day the programme's personal data is anonymised, if it has a retention period."""
    if programme.retention_months is None or programme.ends_on is None:
        return None
    return add_months(programme.ends_on, programme.retention_months)


def _keeps_data(programme: Programme, today: date) -> bool:
    due = anonymised_on(programme)
    return programme.personal_data_anonymised_at is None and (due is None or due > today)


def people_to_erase(programme: Programme, today: date) -> list[int]:
    """Peers and sponsors of ``programme`` with no role in another programme that still
    keeps its data."""
    candidates = set(
        Membership.objects.filter(programme=programme, role__in=ERASED_ROLES).values_list(
            "user_id", flat=True
        )
    )
    staying: set[int] = set()
    others = (
        Membership.objects.filter(user_id__in=candidates)
        .exclude(programme=programme)
        .select_related("programme")
    )
    for membership in others:
        if membership.role not in ERASED_ROLES or _keeps_data(membership.programme, today):
            staying.add(membership.user_id)
    return sorted(candidates - staying)


def send_notice(programme: Programme, due: date) -> tuple[int, BaseException | None]:
    """Email each facilitator of ``programme`` (a row locked by the caller) that its personal
    data will be anonymised on ``due``, once: each one emailed is noted on the programme, so a
    retry writes only to the others. An address the mail server refuses is logged and skipped;
    a mail server that may answer later is returned (after noting who was told) so that the job
    is tried again. Returns how many were told by this call, and that failure or None."""
    facilitators = [
        m.user
        for m in Membership.objects.filter(
            programme=programme, role=Role.FACILITATOR, user__is_active=True
        ).select_related("user")
    ]
    url = mail.absolute_url(reverse("programmes:edit", kwargs={"pk": programme.pk}))
    told = set(programme.retention_notice_told)

    def tell(facilitator: Any) -> bool:
        if facilitator.pk in told:
            return False
        mail.send_email(
            to=facilitator,
            subject=gettext_lazy("Personal data of %(programme)s will be anonymised"),
            subject_params={"programme": programme.name},
            template="programmes/email/retention_notice",
            context={"programme": programme, "due": due, "url": url},
        )
        told.add(facilitator.pk)
        return True

    failure: BaseException | None = None
    count = 0
    try:
        count = mail.send_each(facilitators, tell)
    except Exception as error:
        if not mail.is_sending_error(error):
            raise
        failure = error
    programme.retention_notice_told = sorted(told)
    if failure is None:
        programme.retention_notice_sent_at = timezone.now()
    programme.save(update_fields=["retention_notice_told", "retention_notice_sent_at"])
    return count, failure


@transaction.atomic
def anonymise_programme(*, programme: Programme, today: date) -> int:
    """Erase the programme's peers and sponsors (see :func:`people_to_erase`); idempotent."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.personal_data_anonymised_at is not None:
        return 0
    from peerlearn.users.models import User

    erased = 0
    for user in User.objects.filter(pk__in=people_to_erase(programme, today)):
        if erase_for_retention(user=user) is not None:
            erased += 1
    programme.personal_data_anonymised_at = timezone.now()
    programme.save(update_fields=["personal_data_anonymised_at"])
    log.info("programme %s: retention reached, %s accounts erased", programme.pk, erased)
    return erased


def apply_retention(*, today: date | None = None) -> dict[str, int]:
    """Send the notices that are due and anonymise the programmes whose date has come."""
    today = today or timezone.localdate()
    done = {"notices": 0, "programmes": 0, "erased": 0}
    waiting: BaseException | None = None
    due_programmes = Programme.objects.filter(
        retention_months__isnull=False,
        ends_on__isnull=False,
        personal_data_anonymised_at__isnull=True,
    )
    for programme in due_programmes:
        due = anonymised_on(programme)
        if due is None:
            continue
        if today >= due:
            done["erased"] += anonymise_programme(programme=programme, today=today)
            done["programmes"] += 1
        elif (due - today).days <= NOTICE_DAYS and programme.retention_notice_sent_at is None:
            with transaction.atomic():
                locked = Programme.objects.select_for_update().get(pk=programme.pk)
                if locked.retention_notice_sent_at is None:
                    _told, failure = send_notice(locked, due)
                    if failure is None:
                        done["notices"] += 1
                    # who was told is saved; the other programmes go on, and the job is tried
                    # again for the rest
                    waiting = waiting or failure
    if waiting is not None:
        raise waiting
    return done
