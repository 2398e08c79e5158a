"""Inviting people by email, sending the invitation, and accepting it (with or without an
account).

The email is handed to the task broker once the invitation is committed. When the broker cannot
be reached the invitation stays "not sent yet" and :func:`send_waiting_invitations`, a periodic
job, hands it over once the broker answers. When sending fails, the reason is kept on the
invitation for the facilitator, who can send it again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import mail
from peerlearn.jobs import enqueue, enqueue_on_commit
from peerlearn.languages import supported, with_language
from peerlearn.roles import Role, forget_roles
from peerlearn.users.models import User

from ..models import Cohort, Invitation, Membership, Organisation, Programme
from ..selectors import invitation_token
from .errors import InvitationError, StageOneError

logger = logging.getLogger(__name__)

# A request to send that the broker never took is handed over again after QUEUE_GRACE; one it
# took but that was still not sent after REQUEUE_AFTER (a lost message) is handed over again too.
# An invitation handed over twice is sent once (the task checks it still needs sending).
QUEUE_GRACE = timedelta(minutes=1)
REQUEUE_AFTER = timedelta(minutes=30)


def _mark_dispatched(invitation_ids: list[int], when: datetime | None = None) -> None:
    Invitation.objects.filter(pk__in=invitation_ids).update(dispatched_at=when or timezone.now())


def _queue(invitation_id: int) -> None:
    from ..tasks import send_invitation_email

    enqueue_on_commit(
        send_invitation_email, invitation_id, queued=lambda: _mark_dispatched([invitation_id])
    )


@transaction.atomic
def invite_person(
    *,
    programme: Programme,
    invited_by: User | None,
    email: str,
    role: str = Role.PEER,
    full_name: str = "",
    organisation: Organisation | None = None,
    cohort: Cohort | None = None,
) -> Invitation:
    """Invite someone by email to a role in a programme and queue the invitation email.

    Inviting the same address to the same role again updates the pending invitation and sends it
    again instead of creating a second one. An address invited on behalf of one organisation
    cannot be taken over by another: inviting it again for another organisation is refused.
    """
    email = email.strip().lower()
    now = timezone.now()
    invitation, created = Invitation.objects.select_for_update().get_or_create(
        programme=programme,
        email=email,
        role=role,
        defaults={
            "full_name": full_name,
            "organisation": organisation,
            "cohort": cohort,
            "invited_by": invited_by,
            "send_requested_at": now,
        },
    )
    if not created:
        if (
            organisation is not None
            and invitation.organisation_id is not None
            and invitation.organisation_id != organisation.pk
        ):
            raise InvitationError(
                _(
                    "%(email)s is already invited on behalf of another organisation. Ask the "
                    "programme's facilitators if this person should change organisation."
                )
                % {"email": email},
                field="email",
            )
        invitation.full_name = full_name or invitation.full_name
        invitation.organisation = organisation or invitation.organisation
        invitation.cohort = cohort or invitation.cohort
        invitation.invited_by = invited_by or invitation.invited_by
        if invitation.status == Invitation.Status.EXPIRED:
            invitation.status = Invitation.Status.PENDING
        invitation.send_requested_at = now
        invitation.send_error = ""
        invitation.save()
    if invitation.status == Invitation.Status.PENDING:
        _queue(invitation.pk)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, user: User) -> Invitation:
    """Send a pending or expired invitation again (a fresh link, valid from now)."""
    if invitation.status == Invitation.Status.ACCEPTED:
        raise StageOneError(_("%(email)s has already joined.") % {"email": invitation.email})
    return invite_person(
        programme=invitation.programme,
        invited_by=user,
        email=invitation.email,
        role=invitation.role,
        full_name=invitation.full_name,
        organisation=invitation.organisation,
        cohort=invitation.cohort,
    )


def invitation_url(invitation: Invitation) -> str:
    return mail.absolute_url(
        reverse("invitation_accept", kwargs={"token": invitation_token(invitation)})
    )


def send_invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation email if it has not gone out since it was last requested.

    Idempotent: returns ``False`` and sends nothing when there is nothing to send. When sending
    fails the reason is kept on the invitation; a failure that may pass (the mail server is
    down) is raised again, so that the task tries later.
    """
    failure: BaseException | None = None
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("programme", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.needs_sending:
            return False
        language = mail.language_of(
            invitation.email,
            fallback=invitation.programme.language
            or (mail.language_of(invitation.invited_by) if invitation.invited_by else None),
        )
        context = {
            "invitation": invitation,
            "programme": invitation.programme,
            "url": with_language(invitation_url(invitation), language),
            "valid_days": settings.INVITATION_VALID_DAYS,
        }
        try:
            mail.send_email(
                to=invitation.email,
                subject=gettext_lazy("You are invited to %(programme)s on PeerLearn"),
                subject_params={"programme": invitation.programme.name},
                template="programmes/email/invitation",
                context=context,
                html=True,
                language=language,
            )
        except Exception as error:
            if not mail.is_sending_error(error):
                raise
            logger.warning("Invitation %s not sent: %s", invitation_id, error)
            invitation.send_error = mail.failure_reason(error)
            invitation.save(update_fields=["send_error"])
            failure = error
        else:
            invitation.sent_at = timezone.now()
            invitation.send_error = ""
            invitation.save(update_fields=["sent_at", "send_error"])
    if failure is not None:
        if mail.is_temporary(failure):
            raise failure
        return False
    return True


def waiting_invitations(now: datetime | None = None) -> QuerySet[Invitation]:
    """Invitations whose email waits for the broker: asked for (and not failed) but never
    handed over since, or handed over so long ago that the message must have been lost."""
    now = now or timezone.now()
    needs_sending = Q(sent_at__isnull=True) | Q(sent_at__lt=F("send_requested_at"))
    not_handed_over = Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=F("send_requested_at"))
    return (
        Invitation.objects.filter(status=Invitation.Status.PENDING, send_error="")
        .filter(needs_sending)
        .filter(
            (not_handed_over & Q(send_requested_at__lt=now - QUEUE_GRACE))
            | Q(dispatched_at__lt=now - REQUEUE_AFTER)
        )
    )


def send_waiting_invitations(*, now: datetime | None = None) -> int:
    """Periodic: hand to the broker every invitation email that waits for it. Stops at the
    first one the broker refuses (the next sweep goes on). Returns how many were handed over."""
    from ..tasks import send_invitation_email

    now = now or timezone.now()
    handed: list[int] = []
    for pk in waiting_invitations(now).order_by("send_requested_at").values_list("pk", flat=True):
        if not enqueue(send_invitation_email, pk):
            break
        handed.append(pk)
    _mark_dispatched(handed, now)
    return len(handed)


def _check_acceptable(invitation: Invitation) -> None:
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError(_("This invitation has already been used. Please log in."))
    if invitation.status == Invitation.Status.EXPIRED:
        raise InvitationError(
            _("This invitation has expired. Ask your facilitator to send a new one.")
        )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Give ``user`` the invited role; the email address is verified by the link itself."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_acceptable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        user=user,
        programme=invitation.programme,
        role=invitation.role,
        defaults={"organisation": invitation.organisation, "cohort": invitation.cohort},
    )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    forget_roles(user)
    return membership


@transaction.atomic
def register_from_invitation(
    *, invitation: Invitation, full_name: str, password: str
) -> tuple[User, Membership]:
    """Create the account of an invited person who has none yet, then accept the invitation."""
    _check_acceptable(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(
            _("An account with this email address exists already. Please log in to accept.")
        )
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        full_name=full_name or invitation.full_name,
        preferred_language=supported(translation.get_language()) or "",
    )
    return user, accept_invitation(invitation=invitation, user=user)
