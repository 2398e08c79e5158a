"""The commitment contract (its template, signatures and countersignatures) and the trust
charter."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.roles import Role
from peerlearn.users.models import User

from ..models import ContractSignature, ContractTemplate, Membership, Programme
from ..selectors import contract_clauses
from .errors import StageOneError


@transaction.atomic
def save_contract_template(*, programme: Programme, **clauses: str) -> ContractTemplate:
    template, _created = ContractTemplate.objects.update_or_create(
        programme=programme, defaults={key: value.strip() for key, value in clauses.items()}
    )
    return template


@transaction.atomic
def sign_contract(
    *, membership: Membership, signed_name: str, shares_forward: bool = False
) -> ContractSignature:
    signed_name = " ".join(signed_name.split())
    if not signed_name:
        raise StageOneError(_("Type your full name to sign."))
    if membership.role != Role.PEER:
        raise StageOneError(_("Only peers sign the commitment contract."))
    if ContractSignature.objects.filter(membership=membership).exists():
        raise StageOneError(_("You have already signed the commitment contract."))
    clauses = [
        {"key": key, "title": str(title), "text": text}
        for key, title, text in contract_clauses(membership.programme)
    ]
    has_sharing = any(clause["key"] == "sharing_forward" for clause in clauses)
    return ContractSignature.objects.create(
        membership=membership,
        signed_name=signed_name,
        clauses=clauses,
        shares_forward=bool(shares_forward and has_sharing),
    )


@transaction.atomic
def countersign_contract(
    *, signature: ContractSignature, user: User, signed_name: str
) -> ContractSignature:
    signed_name = " ".join(signed_name.split())
    if not signed_name:
        raise StageOneError(_("Type your full name to countersign."))
    if signature.countersigned_at is not None:
        raise StageOneError(_("This contract is already countersigned."))
    signature.countersigned_by = user
    signature.countersigned_name = signed_name
    signature.countersigned_at = timezone.now()
    signature.save(update_fields=["countersigned_by", "countersigned_name", "countersigned_at"])
    return signature


@transaction.atomic
def acknowledge_charter(*, membership: Membership) -> Membership:
    if membership.charter_acknowledged_at is None:
        membership.charter_acknowledged_at = timezone.now()
        membership.save(update_fields=["charter_acknowledged_at"])
    return membership
