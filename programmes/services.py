"""Writes for programmes: creating programmes, inviting people, accepting invitations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peerlearn.permissions import forget_roles
from peerlearn.roles import Role
from peerlearn.users.models import User

from .models import Cohort, Invitation, Membership, Organisation, Programme
from .selectors import invitation_token


class InvitationError(Exception):
    """An invitation cannot be accepted; the message says why in plain words."""


@transaction.atomic
def create_programme(*, created_by: User, name: str, **fields: Any) -> Programme:
    """Create a programme; its creator becomes its first facilitator."""
    programme = Programme.objects.create(name=name, created_by=created_by, **fields)
    Membership.objects.create(user=created_by, programme=programme, role=Role.FACILITATOR)
    forget_roles(created_by)
    return programme


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
    again instead of creating a second one.
    """
    from .tasks import send_invitation_email

    email = email.strip().lower()
    now = timezone.now()
    invitation, created = Invitation.objects.get_or_create(
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
        invitation.full_name = full_name or invitation.full_name
        invitation.organisation = organisation or invitation.organisation
        invitation.cohort = cohort or invitation.cohort
        invitation.invited_by = invited_by or invitation.invited_by
        if invitation.status == Invitation.Status.EXPIRED:
            invitation.status = Invitation.Status.PENDING
        invitation.send_requested_at = now
        invitation.save()
    if invitation.status == Invitation.Status.PENDING:
        pk = invitation.pk
        transaction.on_commit(lambda: send_invitation_email.delay(pk))
    return invitation


def invitation_url(invitation: Invitation) -> str:
    path = reverse("invitation_accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def send_invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation email if it has not gone out since it was last requested.

    Idempotent: returns ``False`` and sends nothing when there is nothing to send.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("programme", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.needs_sending:
            return False
        context = {
            "invitation": invitation,
            "programme": invitation.programme,
            "url": invitation_url(invitation),
            "valid_days": settings.INVITATION_VALID_DAYS,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("You are invited to %(programme)s on PeerLearn") % {
                "programme": invitation.programme.name
            }
            text = render_to_string("programmes/email/invitation.txt", context)
            html = render_to_string("programmes/email/invitation.html", context)
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
            body=text,
            to=[invitation.email],
        )
        message.attach_alternative(html, "text/html")
        message.send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


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
        email=invitation.email, password=password, full_name=full_name or invitation.full_name
    )
    return user, accept_invitation(invitation=invitation, user=user)


def expire_stale_invitations(*, now: Any = None) -> int:
    """Mark pending invitations older than the validity period as expired. Returns the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.INVITATION_VALID_DAYS)
    return Invitation.objects.filter(
        status=Invitation.Status.PENDING, send_requested_at__lt=cutoff
    ).update(status=Invitation.Status.EXPIRED)
