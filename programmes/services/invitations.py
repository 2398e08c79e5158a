"""Inviting people by email, sending the invitation, and accepting it (with or without an
account)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import mail
from peerlearn.languages import supported, with_language
from peerlearn.roles import Role, forget_roles
from peerlearn.users.models import User

from ..models import Cohort, Invitation, Membership, Organisation, Programme
from ..selectors import invitation_token
from .errors import InvitationError, StageOneError


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
    from ..tasks import send_invitation_email

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
        mail.send_email(
            to=invitation.email,
            subject=gettext_lazy("You are invited to %(programme)s on PeerLearn"),
            subject_params={"programme": invitation.programme.name},
            template="programmes/email/invitation",
            context=context,
            html=True,
            language=language,
        )
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
        email=invitation.email,
        password=password,
        full_name=full_name or invitation.full_name,
        preferred_language=supported(translation.get_language()) or "",
    )
    return user, accept_invitation(invitation=invitation, user=user)
