"""A person's data rights: asking to erase their account, and a facilitator confirming it."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import mail, personal_data
from peerlearn.errors import ServiceError
from peerlearn.roles import Role

from .models import ErasureRequest, User

log = logging.getLogger("peerlearn.erasure")


def facilitators_of(user: User) -> list[User]:
    """The facilitators of every programme ``user`` belongs to (themselves aside)."""
    programme_ids = user.memberships.values("programme_id")
    return list(
        User.objects.filter(
            memberships__programme_id__in=programme_ids,
            memberships__role=Role.FACILITATOR,
            is_active=True,
        )
        .exclude(pk=user.pk)
        .distinct()
    )


def may_confirm(viewer: Any, request: ErasureRequest) -> bool:
    """A site administrator, or a facilitator of a programme the person belongs to; never the
    person themselves."""
    if not viewer.is_authenticated or viewer.pk == request.user_id:
        return False
    if viewer.is_superuser:
        return True
    return request.user.memberships.filter(
        programme_id__in=viewer.memberships.filter(role=Role.FACILITATOR).values("programme_id")
    ).exists()


@transaction.atomic
def request_erasure(*, user: User, reason: str = "") -> ErasureRequest:
    if user.is_erased:
        raise ServiceError(_("This account is already erased."))
    try:
        with transaction.atomic():
            erasure = ErasureRequest.objects.create(user=user, reason=reason.strip())
    except IntegrityError:
        raise ServiceError(_("Your request is already waiting for a facilitator.")) from None
    url = mail.absolute_url(reverse("erasure_requests"))
    facilitators = facilitators_of(user)

    def tell_facilitators() -> None:
        for facilitator in facilitators:
            mail.send_email(
                to=facilitator,
                subject=gettext_lazy("A person asks to erase their account"),
                template="account/email/erasure_requested",
                context={"url": url},
            )

    transaction.on_commit(tell_facilitators)
    log.info("erasure requested: account %s, request %s", user.pk, erasure.pk)
    return erasure


@transaction.atomic
def withdraw_erasure(*, user: User) -> None:
    updated = ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).update(
        status=ErasureRequest.Status.WITHDRAWN
    )
    if not updated:
        raise ServiceError(_("There is no request to withdraw."))


@transaction.atomic
def confirm_erasure(*, erasure: ErasureRequest, by: User) -> ErasureRequest:
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureRequest.Status.PENDING:
        raise ServiceError(_("This request has already been handled."))
    if not may_confirm(by, erasure):
        raise ServiceError(_("Only a facilitator of the person's programme can confirm."))
    return _erase(erasure=erasure, by=by)


def _erase(*, erasure: ErasureRequest, by: User | None) -> ErasureRequest:
    changes = personal_data.erase(erasure.user)
    erasure.status = ErasureRequest.Status.DONE
    erasure.confirmed_by = by
    erasure.confirmed_at = timezone.now()
    erasure.changes = changes
    erasure.reason = ""
    erasure.save()
    log.info(
        "account %s erased (request %s, by %s): %s",
        erasure.user_id,
        erasure.pk,
        by.pk if by else "retention",
        changes,
    )
    return erasure


@transaction.atomic
def erase_for_retention(*, user: User) -> ErasureRequest | None:
    """Erase ``user`` because the retention period of their programmes has passed; recorded as
    an erasure with no person confirming it. Nothing happens to an erased account."""
    if user.is_erased:
        return None
    ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).update(
        status=ErasureRequest.Status.WITHDRAWN
    )
    erasure = ErasureRequest.objects.create(user=user, source="retention")
    return _erase(erasure=erasure, by=None)
