"""Nightly clean-up: invitations past their validity expire, and uploaded lists of peers are
kept no longer than needed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from ..models import Invitation, PeerImport


def expire_stale_invitations(*, now: Any = None) -> int:
    """Mark pending invitations older than the validity period as expired. Returns the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.INVITATION_VALID_DAYS)
    return Invitation.objects.filter(
        status=Invitation.Status.PENDING, send_requested_at__lt=cutoff
    ).update(status=Invitation.Status.EXPIRED)


PEER_IMPORT_KEPT_DAYS = 2


def purge_stale_peer_imports(*, now: Any = None) -> int:
    """Delete uploaded peer lists no longer needed: previews and refusals older than two days,
    and the rows of imports done (the people are in the programme now). Returns the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=PEER_IMPORT_KEPT_DAYS)
    deleted, _counts = (
        PeerImport.objects.filter(created_at__lt=cutoff)
        .exclude(status=PeerImport.Status.COMMITTED)
        .delete()
    )
    cleared = (
        PeerImport.objects.filter(status=PeerImport.Status.COMMITTED, committed_at__lt=cutoff)
        .exclude(rows=[])
        .update(rows=[], problems=[])
    )
    return deleted + cleared
