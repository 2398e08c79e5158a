"""Who may see a person's contact details (email address, country, languages).

Peers see each other's names and organisations across their programme; the people they work
with (the members of their published group, their pair) also see each other's email address,
country and working languages, unless a person hid their address on their profile (then only
in-app messages reach them). Staff of the programme (facilitators, managers) and site admins
see every address; everyone sees the addresses of the programme's staff, and an organisation's
sponsor those of the organisation's people.

Each app that forms circles of people registers a function ``(user, programme_id) -> set of
user ids`` with :func:`register_circle` in its ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .roles import Role

CircleSource = Callable[[Any, int], set[int]]

_CIRCLES: dict[str, CircleSource] = {}


def register_circle(name: str, source: CircleSource) -> None:
    """Register the people ``user`` works with in a programme (registering again replaces)."""
    _CIRCLES[name] = source


def circle_of(user: Any, programme_id: int) -> set[int]:
    """The ids of the people ``user`` works with in the programme (themselves included)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = {int(user.pk)}
    for source in _CIRCLES.values():
        ids |= source(user, programme_id)
    return ids


def sees_every_address(user: Any, programme_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.memberships.filter(
        programme_id=programme_id, role__in=[Role.FACILITATOR, Role.MANAGER]
    ).exists()


class AddressBook:
    """Whose email address ``viewer`` may read in one programme, computed once per page."""

    def __init__(self, viewer: Any, programme_id: int) -> None:
        self.viewer_id = int(getattr(viewer, "pk", 0) or 0)
        self.everyone = sees_every_address(viewer, programme_id)
        self.circle = set() if self.everyone else circle_of(viewer, programme_id)
        self.sponsored: set[int] = set()
        if not self.everyone and getattr(viewer, "is_authenticated", False):
            self.sponsored = set(
                viewer.memberships.filter(
                    programme_id=programme_id, role=Role.SPONSOR, organisation__isnull=False
                ).values_list("organisation_id", flat=True)
            )

    def works_with(self, user_id: int) -> bool:
        return self.everyone or user_id in self.circle

    def email_of(self, person: Any, *, role: str = "", organisation_id: int | None = None) -> str:
        """``person``'s address, or "" when ``viewer`` may not read it (``role`` and
        ``organisation_id``: those of the person's membership, when known)."""
        if person is None:
            return ""
        if int(person.pk) == self.viewer_id or self.everyone:
            return str(person.email)
        if role in (Role.FACILITATOR, Role.MANAGER):
            return str(person.email)
        if organisation_id is not None and organisation_id in self.sponsored:
            return str(person.email)
        if person.pk in self.circle and not getattr(person, "hide_email", False):
            return str(person.email)
        return ""

    def emails_of(self, people: Iterable[Any]) -> list[str]:
        return [address for address in (self.email_of(p) for p in people) if address]
