"""The emails of diffusion that wait in a row until they are sent: a sponsor asked to confirm a
proposed plan (:class:`~diffusion.models.PlanNotice`) and an attendee's feedback link
(:class:`~diffusion.models.Recipient`).

Each email is handed to the broker (the job, from :mod:`diffusion.tasks`) once the row is
committed. When the broker cannot be reached
the row keeps waiting and :func:`queue_waiting_emails`, a periodic job, hands it over once the
broker answers. Each job sends its email once: it locks its row and notes the email sent in the
same transaction, so a row handed over twice is sent once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from peerlearn import mail
from peerlearn.jobs import enqueue_row_on_commit, hand_over_waiting
from peerlearn.languages import with_language
from peerlearn.roles import Role
from programmes.selectors import all_memberships

from . import selectors
from .models import DiffusionPlan, PlanNotice, Recipient

# An email the broker never took is handed over again QUEUE_GRACE after it was asked for; one it
# took but that is still not sent REQUEUE_AFTER later (a lost message, or a mail server that
# kept refusing it) is handed over again, until GIVE_UP_AFTER after it was asked for.
QUEUE_GRACE = timedelta(minutes=1)
REQUEUE_AFTER = timedelta(minutes=30)
GIVE_UP_AFTER = timedelta(days=2)


def link_valid_days() -> int:
    return int(getattr(settings, "DIFFUSION_LINK_VALID_DAYS", 30))


def feedback_url(token: str) -> str:
    return mail.absolute_url(reverse("diffusion:feedback", kwargs={"token": token}))


# ---------------------------------------------------------------------------------------------
# Plans waiting for the sponsor's confirmation


def ask_sponsors(plan: DiffusionPlan, *, job: Any) -> int:
    """In the transaction that proposes ``plan``: one notice per sponsor of the peer's
    organisation for this proposal, each email (``job(notice id)``) queued on its own once the
    transaction commits. A proposal is announced once; returns how many sponsors are newly
    asked."""
    proposed_at = plan.proposed_at
    if (
        plan.status != DiffusionPlan.Status.PROPOSED
        or proposed_at is None
        or plan.organisation_id is None
    ):
        return 0
    asked = set(
        PlanNotice.objects.filter(plan=plan, proposed_at=proposed_at).values_list(
            "sponsor_id", flat=True
        )
    )
    sponsors = (
        all_memberships()
        .filter(programme_id=plan.programme_id, role=Role.SPONSOR)
        .filter(organisation_id=plan.organisation_id)
        .exclude(pk__in=asked)
        .values_list("pk", flat=True)
    )
    notices = PlanNotice.objects.bulk_create(
        [PlanNotice(plan=plan, sponsor_id=pk, proposed_at=proposed_at) for pk in sponsors]
    )
    for notice in notices:
        enqueue_row_on_commit(job, notice)
    if notices:
        DiffusionPlan.objects.filter(pk=plan.pk).update(sponsor_notified_at=timezone.now())
    return len(notices)


def send_plan_to_sponsors(*, plan_id: int, job: Any) -> int:
    """Ask the sponsors of a proposed plan who were not asked about this proposal yet (see
    :func:`ask_sponsors`); nothing when the plan is not waiting for them."""
    with transaction.atomic():
        plan = DiffusionPlan.objects.select_for_update().filter(pk=plan_id).first()
        return 0 if plan is None else ask_sponsors(plan, job=job)


def send_plan_notice(*, notice_id: int) -> bool:
    """Email one sponsor that a plan waits for their confirmation, once (``False`` when it was
    sent already, or the plan no longer waits for this sponsor to confirm this proposal)."""
    with transaction.atomic():
        notice = (
            PlanNotice.objects.select_for_update(of=("self",))
            .select_related("plan__peer", "plan__programme", "sponsor__user")
            .filter(pk=notice_id, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            return False
        plan = notice.plan
        waiting = (
            plan.status == DiffusionPlan.Status.PROPOSED
            and plan.proposed_at == notice.proposed_at
            and notice.sponsor.role == Role.SPONSOR
        )
        if not waiting:
            return False
        mail.send_email(
            to=notice.sponsor.user,
            subject=gettext_lazy("%(peer)s asks you to confirm their diffusion plan"),
            subject_params={"peer": str(plan.peer)},
            template="diffusion/email/plan_proposed",
            context={
                "plan": plan,
                "sponsor": notice.sponsor.user,
                "url": mail.absolute_url(plan.get_absolute_url()),
            },
        )
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return True


# ---------------------------------------------------------------------------------------------
# Feedback links of report-backs


def queue_links(recipients: list[Recipient], *, job: Any) -> None:
    """Queue each recipient's feedback link (``job(recipient id)``) once the transaction
    commits."""
    for recipient in recipients:
        enqueue_row_on_commit(job, recipient)


def send_feedback_link(*, recipient_id: int) -> bool:
    """Email a recipient their personal feedback link, once.

    A fresh random token is made here and only its hash is kept, so the link exists only in the
    email. Idempotent: returns ``False`` when the link went out already or was answered.
    """
    with transaction.atomic():
        recipient = (
            Recipient.objects.select_for_update(of=("self",))
            .select_related("report_back__peer", "report_back__programme")
            .filter(pk=recipient_id)
            .first()
        )
        if (
            recipient is None
            or recipient.link_sent_at
            or recipient.answered_at
            or recipient.email_withheld
        ):
            return False
        token = secrets.token_urlsafe(32)
        recipient.token_hash = selectors.hash_token(token)
        recipient.link_expires_at = timezone.now() + timedelta(days=link_valid_days())
        report_back = recipient.report_back
        sharer = (
            recipient.shared_by.email if recipient.shared_by else report_back.peer.full_name
        ) or report_back.peer.email
        language = mail.language_of(recipient.email, fallback=mail.language_of(report_back.peer))
        context = {
            "recipient": recipient,
            "report_back": report_back,
            "sharer": sharer,
            "url": with_language(feedback_url(token), language),
            "valid_days": link_valid_days(),
        }
        mail.send_email(
            to=recipient.email,
            subject=gettext_lazy("Two questions about “%(title)s”"),
            subject_params={"title": report_back.title},
            template="diffusion/email/feedback_link",
            context=context,
            html=True,
            language=language,
        )
        recipient.link_sent_at = timezone.now()
        recipient.save(update_fields=["token_hash", "link_expires_at", "link_sent_at"])
    return True


# ---------------------------------------------------------------------------------------------
# The sweep


def queue_waiting_emails(
    *, notice_job: Any, link_job: Any, now: datetime | None = None
) -> dict[str, int]:
    """Periodic: hand to the broker every plan notice (``notice_job(notice id)``) and feedback
    link (``link_job(recipient id)``) whose email waits for it. Returns how many of each were
    handed over."""
    now = now or timezone.now()
    notices = PlanNotice.objects.filter(
        sent_at__isnull=True,
        plan__status=DiffusionPlan.Status.PROPOSED,
        proposed_at=F("plan__proposed_at"),
    )
    links = Recipient.objects.filter(
        link_sent_at__isnull=True, answered_at__isnull=True, email_withheld=False
    )
    return {
        name: hand_over_waiting(
            waiting,
            job,
            now=now,
            grace=QUEUE_GRACE,
            requeue_after=REQUEUE_AFTER,
            give_up_after=GIVE_UP_AFTER,
        )
        for name, waiting, job in (
            ("plan_notices", notices, notice_job),
            ("feedback_links", links, link_job),
        )
    }
