"""The roles a person can hold in a programme, and the roles a person holds.

The kernel knows programmes only by their id: an object tells which programme it belongs to
through a ``programme_id`` attribute (a programme's own ``programme_id`` is its primary key) or
a ``programme`` attribute that does. A person's roles are read through the reverse relation
``user.memberships`` and cached on the user object for the rest of the request.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PEER = "peer", _("Peer")
    MANAGER = "manager", _("Programme manager")
    SPONSOR = "sponsor", _("Organisation sponsor")


class InProgramme(Protocol):
    """Anything that belongs to one programme."""

    @property
    def programme_id(self) -> int | None: ...


_CACHE_ATTR = "_peerlearn_roles"


def programme_id_of(obj: Any) -> int | None:
    """The id of the programme ``obj`` belongs to, or ``None`` when it belongs to none."""
    if obj is None:
        return None
    programme_id = getattr(obj, "programme_id", None)
    if isinstance(programme_id, int):
        return programme_id
    programme_id = getattr(getattr(obj, "programme", None), "programme_id", None)
    return programme_id if isinstance(programme_id, int) else None


def roles_in(user: Any, programme: InProgramme | Any | None) -> frozenset[str]:
    """The set of roles ``user`` holds in ``programme`` (or in the programme of an object);
    empty for anonymous users and for objects of no programme."""
    programme_id = programme_id_of(programme)
    if programme_id is None or user is None or not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[str]] | None = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if programme_id not in cache:
        cache[programme_id] = frozenset(
            user.memberships.filter(programme_id=programme_id).values_list("role", flat=True)
        )
    return cache[programme_id]


def forget_roles(user: Any) -> None:
    """Drop the cached roles (after a membership changes within a request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def holds_role_anywhere(user: Any, role: str) -> bool:
    """``user`` holds ``role`` in at least one programme."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.memberships.filter(role=role).exists())
