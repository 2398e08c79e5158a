"""Reads of a person's data rights: the erasure requests a person may confirm."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerlearn.roles import Role

from .models import DataExport, ErasureRequest


def erasure_requests_for(viewer: Any) -> QuerySet[ErasureRequest]:
    """Requests of people in the programmes ``viewer`` facilitates (all of them for a site
    administrator), never the viewer's own."""
    base = ErasureRequest.objects.select_related("user", "confirmed_by").exclude(user=viewer)
    if viewer.is_superuser:
        return base
    programme_ids = viewer.memberships.filter(role=Role.FACILITATOR).values("programme_id")
    return base.filter(user__memberships__programme_id__in=programme_ids).distinct()


def may_see_erasure_requests(viewer: Any) -> bool:
    return bool(
        viewer.is_authenticated
        and (viewer.is_superuser or viewer.memberships.filter(role=Role.FACILITATOR).exists())
    )


def pending_request_of(user: Any) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).first()


def exports_of(user: Any) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user)


def ready_exports_of(user: Any) -> QuerySet[DataExport]:
    return exports_of(user).filter(status=DataExport.Status.READY).exclude(file="")
