"""The shared permission predicates: who holds which role in an object's programme.

Each app names its own rules in ``<app>/rules.py`` (found by django-rules' autodiscovery),
combining these predicates with its own. Views call ``user.has_perm(...)``, the API uses
:class:`peerlearn.api.RulesPermission`, and templates use ``{% has_perm %}``.
"""

from __future__ import annotations

from typing import Any

import rules

from peerlearn.roles import Role, programme_id_of, roles_in


def _has_role(role: str) -> Any:
    def predicate(user: Any, obj: Any = None) -> bool:
        return role in roles_in(user, obj)

    predicate.__name__ = f"is_{role}_of"
    return rules.predicate(predicate)


is_facilitator_of = _has_role(Role.FACILITATOR)
is_peer_in = _has_role(Role.PEER)
is_manager_of = _has_role(Role.MANAGER)
is_sponsor_in = _has_role(Role.SPONSOR)


@rules.predicate
def is_member_of(user: Any, obj: Any = None) -> bool:
    """Holds any role in the object's programme."""
    return bool(roles_in(user, obj))


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_sponsor_of_organisation(user: Any, obj: Any = None) -> bool:
    """Sponsor of the organisation the object is about (a nomination, a peer's signature, a
    diffusion plan): the object has an ``organisation_id``, or a ``membership`` that has one."""
    programme_id = programme_id_of(obj)
    if programme_id is None or Role.SPONSOR not in roles_in(user, obj):
        return False
    organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is None and hasattr(obj, "membership"):
        organisation_id = obj.membership.organisation_id
    return bool(
        organisation_id is not None
        and user.memberships.filter(
            programme_id=programme_id, role=Role.SPONSOR, organisation_id=organisation_id
        ).exists()
    )


@rules.predicate
def is_own(user: Any, obj: Any = None) -> bool:
    """The object is the user's own: its ``user_id`` is the user's."""
    return bool(user.is_authenticated and getattr(obj, "user_id", None) == user.pk)
