"""A person's data rights: asking to erase their account, and a facilitator confirming it."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import mail, personal_data
from peerlearn.errors import ServiceError
from peerlearn.jobs import enqueue_row_on_commit, hand_over_waiting
from peerlearn.roles import Role

from .models import DataExport, ErasureRequest, User

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
def request_erasure(*, user: User, reason: str = "", job: Any) -> ErasureRequest:
    """Record a person's request to erase their account; their facilitators are told by email
    (``job(request id)``, see :func:`tell_facilitators`) once it is committed."""
    if user.is_erased:
        raise ServiceError(_("This account is already erased."))
    try:
        with transaction.atomic():
            erasure = ErasureRequest.objects.create(user=user, reason=reason.strip())
    except IntegrityError:
        raise ServiceError(_("Your request is already waiting for a facilitator.")) from None
    enqueue_row_on_commit(job, erasure)
    log.info("erasure requested: account %s, request %s", user.pk, erasure.pk)
    return erasure


def tell_facilitators(*, request_id: int) -> int:
    """Email each facilitator of the person that an erasure request waits for them, once: each
    one emailed is noted on the request, so a retry writes only to the others. An address the
    mail server refuses is logged and skipped; a mail server that may answer later is raised
    (after noting who was told) so that the job is tried again. Returns how many were told."""
    failure: BaseException | None = None
    with transaction.atomic():
        erasure = (
            ErasureRequest.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(
                pk=request_id,
                status=ErasureRequest.Status.PENDING,
                facilitators_told_at__isnull=True,
            )
            .first()
        )
        if erasure is None:
            return 0
        told = set(erasure.facilitators_told)
        url = mail.absolute_url(reverse("erasure_requests"))

        def tell(facilitator: User) -> bool:
            if facilitator.pk in told:
                return False
            mail.send_email(
                to=facilitator,
                subject=gettext_lazy("A person asks to erase their account"),
                template="account/email/erasure_requested",
                context={"url": url},
            )
            told.add(facilitator.pk)
            return True

        count = 0
        try:
            count = mail.send_each(facilitators_of(erasure.user), tell)
        except Exception as error:
            if not mail.is_sending_error(error):
                raise
            failure = error
        erasure.facilitators_told = sorted(told)
        if failure is None:
            erasure.facilitators_told_at = timezone.now()
        erasure.save(update_fields=["facilitators_told", "facilitators_told_at"])
    if failure is not None:
        raise failure
    return count


# A job the broker never took is handed over again QUEUE_GRACE after it was asked for; one it
# took but that has not done its work REQUEUE_AFTER later (a lost message) is handed over again.
QUEUE_GRACE = timedelta(minutes=1)
REQUEUE_AFTER = timedelta(minutes=30)
ERASURE_NOTICE_GIVE_UP_AFTER = timedelta(days=2)
EXPORT_GIVE_UP_AFTER = timedelta(days=2)


def queue_waiting_jobs(
    *, export_job: Any, erasure_job: Any, now: datetime | None = None
) -> dict[str, int]:
    """Periodic: hand to the broker the job of every download still to build or to announce to
    its owner (``export_job(export id)``) and of every erasure request whose facilitators were
    not told yet (``erasure_job(request id)``) that waits for it. Returns how many of each were
    handed over."""
    now = now or timezone.now()
    return {
        "exports": hand_over_waiting(
            DataExport.objects.filter(owner_told_at__isnull=True),
            export_job,
            now=now,
            grace=QUEUE_GRACE,
            requeue_after=REQUEUE_AFTER,
            give_up_after=EXPORT_GIVE_UP_AFTER,
        ),
        "erasure_notices": hand_over_waiting(
            ErasureRequest.objects.filter(
                status=ErasureRequest.Status.PENDING, facilitators_told_at__isnull=True
            ),
            erasure_job,
            now=now,
            grace=QUEUE_GRACE,
            requeue_after=REQUEUE_AFTER,
            requested="requested_at",
            give_up_after=ERASURE_NOTICE_GIVE_UP_AFTER,
        ),
    }


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


# The download of a person's data, built in the background when it is large.

#: Up to this many rows, the download is built while the page waits.
EXPORT_NOW_ROWS = 5000
EXPORT_KEPT_DAYS = 7


def export_is_small(user: User) -> bool:
    return personal_data.size_of(user) <= EXPORT_NOW_ROWS


@transaction.atomic
@transaction.atomic
def request_export(*, user: User, job: Any) -> tuple[DataExport, bool]:
    """A download to build in the background (the one already waiting, if any) and whether it
    is new; a new one is handed to the broker (``job(export id)``) once the transaction commits,
    or, while the broker is down, by the sweep (:func:`queue_waiting_exports`)."""
    waiting = DataExport.objects.filter(user=user, status=DataExport.Status.PENDING).first()
    if waiting is not None:
        return waiting, False
    export = DataExport.objects.create(user=user, token=secrets.token_hex(20))
    enqueue_row_on_commit(job, export)
    return export, True


def build_export(*, export_id: int) -> bool:
    """Build the ZIP of a waiting download and tell its owner it is ready, each once: a job run
    again after the email failed sends the email without building the file again. Returns
    whether the owner was told by this call (not when the mail server refuses their address for
    good: it is not tried again)."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, status=DataExport.Status.PENDING)
            .first()
        )
        if export is not None:
            export.file.save(
                f"{export.token}.zip", ContentFile(personal_data.export_zip(export.user))
            )
            export.status = DataExport.Status.READY
            export.ready_at = timezone.now()
            export.save(update_fields=["file", "status", "ready_at"])
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=export_id, status=DataExport.Status.READY, owner_told_at__isnull=True)
            .first()
        )
        if export is None:
            return False
        # Sent while the row is locked: a mail server that may answer later leaves it untold
        # for the next try; an address it refuses for good is not tried again (the download
        # waits on the account page all the same).
        try:
            mail.send_email(
                to=export.user,
                subject=gettext_lazy("Your PeerLearn data is ready to download"),
                template="account/email/export_ready",
                context={
                    "url": mail.absolute_url(reverse("my_account")),
                    "days": EXPORT_KEPT_DAYS,
                },
            )
        except Exception as error:
            if not mail.is_sending_error(error) or mail.is_temporary(error):
                raise
            log.warning("Download %s: its owner was not told: %s", export.pk, error)
            told = False
        else:
            told = True
        export.owner_told_at = timezone.now()
        export.save(update_fields=["owner_told_at"])
    return told


def purge_exports() -> int:
    """Delete downloads older than :data:`EXPORT_KEPT_DAYS` days, files included."""
    cutoff = timezone.now() - timedelta(days=EXPORT_KEPT_DAYS)
    count = 0
    for export in DataExport.objects.filter(created_at__lt=cutoff):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count


def erase_exports(erasure: personal_data.Erasure) -> int:
    """A person's prepared downloads go with their data, files included."""
    count = 0
    for export in DataExport.objects.filter(user=erasure.user):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
