"""Importing a list of peers from a file: the preview (nothing written) and the commit (all rows
or none)."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.roles import Role
from peerlearn.users.models import User

from ..models import Invitation, Membership, Nomination, Organisation, PeerImport, Programme
from .errors import StageOneError
from .invitations import invite_person
from .organisations import withdraw_authorisation


@transaction.atomic
def preview_peer_import(
    *,
    programme: Programme,
    uploaded_by: User,
    upload: IO[bytes] | Any,
    name: str,
    create_organisations: bool = False,
) -> PeerImport:
    """Read and check an uploaded file and keep the result for the preview. Writes no peer."""
    from ..importing import parse_peer_file

    result = parse_peer_file(
        upload, name=name, programme=programme, create_organisations=create_organisations
    )
    # Older previews of the same person for the same programme are of no use any more.
    PeerImport.objects.filter(
        programme=programme, uploaded_by=uploaded_by, status=PeerImport.Status.PREVIEW
    ).delete()
    return PeerImport.objects.create(
        programme=programme,
        uploaded_by=uploaded_by,
        filename=name[:255],
        status=PeerImport.Status.PREVIEW if result.ok else PeerImport.Status.REFUSED,
        rows=result.rows_as_data(),
        problems=result.problems_as_data(),
        create_organisations=create_organisations,
    )


@transaction.atomic
def commit_peer_import(*, peer_import: PeerImport, user: User) -> dict[str, int]:
    """Write every previewed row, or none: any failure rolls the whole import back.

    New peers are invited by email; a peer already in the programme (joined or invited) is
    updated instead, so importing the same file again does not duplicate anyone.
    """
    peer_import = PeerImport.objects.select_for_update().get(pk=peer_import.pk)
    if peer_import.status != PeerImport.Status.PREVIEW:
        raise StageOneError(_("This file has already been imported or was refused."))
    programme = peer_import.programme
    counts = {"invited": 0, "updated": 0, "organisations": 0}
    cohorts = {cohort.pk: cohort for cohort in programme.cohorts.all()}
    for row in peer_import.rows:
        organisation = Organisation.objects.filter(
            name__iexact=row["organisation"], country=row["country"]
        ).first()
        if organisation is None:
            if not peer_import.create_organisations:
                raise StageOneError(
                    _("Line %(line)s: the organisation “%(name)s” no longer exists.")
                    % {"line": row["line"], "name": row["organisation"]}
                )
            organisation = Organisation.objects.create(
                name=row["organisation"], country=row["country"]
            )
            counts["organisations"] += 1
        cohort = cohorts.get(row["cohort_id"]) if row.get("cohort_id") else None
        if row.get("cohort_id") and cohort is None:
            raise StageOneError(
                _("Line %(line)s: the cohort “%(cohort)s” no longer exists.")
                % {"line": row["line"], "cohort": row["cohort"]}
            )
        email = row["email"]
        nomination = Nomination.objects.filter(programme=programme, email__iexact=email).first()
        if nomination is None:
            nomination = Nomination(programme=programme, email=email)
        elif nomination.organisation_id != organisation.pk and nomination.is_authorised:
            # Another organisation now: the old organisation's authorisation does not carry over.
            withdraw_authorisation(nomination=nomination)
        nomination.organisation = organisation
        nomination.full_name = row["full_name"] or nomination.full_name
        nomination.position = row.get("position", "") or nomination.position
        nomination.languages = list(row.get("languages") or []) or nomination.languages
        nomination.save()
        membership = Membership.objects.filter(
            programme=programme, role=Role.PEER, user__email__iexact=email
        ).first()
        invitation = Invitation.objects.filter(
            programme=programme, role=Role.PEER, email__iexact=email
        ).first()
        if membership is not None:
            membership.organisation = organisation
            membership.cohort = cohort or membership.cohort
            membership.save(update_fields=["organisation", "cohort"])
            counts["updated"] += 1
        elif invitation is not None and invitation.status == Invitation.Status.PENDING:
            invitation.full_name = row["full_name"] or invitation.full_name
            invitation.organisation = organisation
            invitation.cohort = cohort or invitation.cohort
            invitation.save(update_fields=["full_name", "organisation", "cohort"])
            counts["updated"] += 1
        else:
            invite_person(
                programme=programme,
                invited_by=user,
                email=email,
                role=Role.PEER,
                full_name=row["full_name"],
                organisation=organisation,
                cohort=cohort,
            )
            counts["invited"] += 1
    peer_import.status = PeerImport.Status.COMMITTED
    peer_import.committed_at = timezone.now()
    peer_import.save(update_fields=["status", "committed_at"])
    return counts
