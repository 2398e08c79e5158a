"""Organisations, the peers their sponsors nominate and authorise, and the sponsor's commitment."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.roles import Role
from peerlearn.users.models import User

from ..models import Membership, Nomination, Organisation, Programme, SponsorCommitment
from .errors import StageOneError
from .invitations import invite_person


@transaction.atomic
def create_organisation(
    *, programme: Programme, name: str, country: str, kind: str
) -> Organisation:
    """Add an organisation to the programme. An organisation already known to PeerLearn (same
    name and country, another programme's) is added as it is, not created twice."""
    from ..selectors import organisations_of

    name = " ".join(name.split())
    exists = _("%(name)s (%(country)s) exists already.") % {"name": name, "country": country}
    organisation = Organisation.objects.filter(name__iexact=name, country=country).first()
    if organisation is None:
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(name=name, country=country, kind=kind)
        except IntegrityError:
            # Someone added it at the same moment: theirs is the one.
            organisation = Organisation.objects.filter(name__iexact=name, country=country).first()
            if organisation is None:
                raise
    # One at a time per organisation, so that two facilitators adding it at once are told.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisations_of(programme).filter(pk=organisation.pk).exists():
        raise StageOneError(exists, field="name")
    programme.organisations.add(organisation)
    return organisation


@transaction.atomic
def nominate_peer(
    *,
    programme: Programme,
    organisation: Organisation,
    nominated_by: User,
    email: str,
    full_name: str = "",
    position: str = "",
) -> Nomination:
    """A sponsor puts someone forward: the nomination is kept and an invitation goes out."""
    email = email.strip().lower()
    existing = Nomination.objects.filter(programme=programme, email__iexact=email).first()
    if existing is not None and existing.organisation_id != organisation.pk:
        raise StageOneError(
            _("%(email)s is already nominated by another organisation.") % {"email": email}
        )
    if (
        Membership.objects.filter(programme=programme, user__email__iexact=email)
        .exclude(organisation=None)
        .exclude(organisation=organisation)
        .exists()
    ):
        raise StageOneError(
            _("%(email)s takes part on behalf of another organisation.") % {"email": email},
            field="email",
        )
    nomination, _created = Nomination.objects.update_or_create(
        programme=programme,
        email=email,
        defaults={
            "organisation": organisation,
            "full_name": full_name.strip(),
            "position": position.strip(),
            "nominated_by": nominated_by,
        },
    )
    already_peer = Membership.objects.filter(
        programme=programme, role=Role.PEER, user__email__iexact=email
    ).exists()
    if not already_peer:
        invite_person(
            programme=programme,
            invited_by=nominated_by,
            email=email,
            role=Role.PEER,
            full_name=full_name,
            organisation=organisation,
        )
    return nomination


@transaction.atomic
def authorise_nomination(
    *, nomination: Nomination, user: User, signed_name: str, mandate: Any = None
) -> Nomination:
    """The sponsor authorises a nominee: by typing their name, or with a signed mandate PDF.

    A peer who joined without a nomination gets one now (``nomination`` not saved yet)."""
    signed_name = " ".join(signed_name.split())
    if not signed_name:
        raise StageOneError(_("Type your full name to sign the authorisation."))
    nomination.signed_name = signed_name
    nomination.authorised_by = user
    nomination.authorised_at = timezone.now()
    if mandate is not None:
        nomination.mandate = mandate
        nomination.method = Nomination.Method.MANDATE
    else:
        nomination.method = Nomination.Method.SIGN_OFF
    nomination.save()
    return nomination


@transaction.atomic
def withdraw_authorisation(*, nomination: Nomination) -> Nomination:
    nomination.authorised_at = None
    nomination.authorised_by = None
    nomination.method = ""
    nomination.signed_name = ""
    nomination.save()
    return nomination


@transaction.atomic
def save_sponsor_commitment(
    *,
    programme: Programme,
    organisation: Organisation,
    user: User,
    learning_wants: str = "",
    reform_context: str = "",
    time_committed: str = "",
    means_committed: str = "",
    signed_name: str = "",
) -> SponsorCommitment:
    """Keep the mini-survey answers; with a typed name, the commitment is signed.

    A signature covers the answers as they were signed: changing any of them without signing
    again takes the signature away (the page then shows the commitment as not signed)."""
    commitment, _created = SponsorCommitment.objects.select_for_update().get_or_create(
        programme=programme, organisation=organisation
    )
    answers = {
        "learning_wants": learning_wants.strip(),
        "reform_context": reform_context.strip(),
        "time_committed": time_committed.strip(),
        "means_committed": means_committed.strip(),
    }
    changed = any(getattr(commitment, field) != value for field, value in answers.items())
    for field, value in answers.items():
        setattr(commitment, field, value)
    commitment.committed_by = user
    signed_name = " ".join(signed_name.split())
    if signed_name:
        if not (commitment.time_committed and commitment.means_committed):
            raise StageOneError(
                _("Say which time and which means you commit before signing the commitment.")
            )
        commitment.signed_name = signed_name
        commitment.committed_at = timezone.now()
    elif changed:
        commitment.signed_name = ""
        commitment.committed_at = None
    commitment.save()
    return commitment
