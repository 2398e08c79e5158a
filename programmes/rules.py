"""Permission rules of stage 1: programmes, people, organisations, contracts, activities."""

from __future__ import annotations

from typing import Any

import rules

from peerlearn.predicates import (
    is_facilitator_of,
    is_manager_of,
    is_member_of,
    is_peer_in,
    is_site_admin,
    is_sponsor_in,
    is_sponsor_of_organisation,
)
from peerlearn.roles import Role, holds_role_anywhere, programme_id_of

from .selectors import is_steering_member as steering_member_of


@rules.predicate
def may_create_programmes(user: Any) -> bool:
    """Staff, site admins, and anyone who facilitates a programme already."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return holds_role_anywhere(user, Role.FACILITATOR)


@rules.predicate
def is_other_side_of_contact(user: Any, obj: Any = None) -> bool:
    return obj is not None and getattr(obj, "with_user_id", None) == user.pk


@rules.predicate
def is_steering_member(user: Any, obj: Any = None) -> bool:
    """A member of the steering group of the object's programme."""
    return steering_member_of(user, programme_id_of(obj))


rules.add_perm("programmes.view_programme", is_member_of | is_site_admin)
rules.add_perm("programmes.change_programme", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.invite_people", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.view_people", is_facilitator_of | is_manager_of | is_site_admin)
rules.add_perm("programmes.view_evaluation", is_manager_of | is_facilitator_of | is_site_admin)
rules.add_perm("programmes.view_organisation_peers", is_sponsor_in | is_facilitator_of)
rules.add_perm("programmes.create_programme", may_create_programmes)
rules.add_perm("programmes.view_overview", is_facilitator_of | is_manager_of | is_site_admin)
rules.add_perm("programmes.import_peers", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.manage_organisations", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.view_organisations", is_member_of | is_site_admin)
rules.add_perm("programmes.nominate_peers", is_sponsor_in)
rules.add_perm("programmes.authorise_nominee", is_sponsor_of_organisation)
rules.add_perm("programmes.sign_contract", is_peer_in)
rules.add_perm("programmes.countersign_contract", is_sponsor_of_organisation)
rules.add_perm("programmes.view_contracts", is_facilitator_of | is_sponsor_in | is_site_admin)
rules.add_perm("programmes.keep_own_objectives", is_peer_in)
rules.add_perm("programmes.view_activities", is_member_of | is_site_admin)
rules.add_perm("programmes.manage_activities", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.take_attendance", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.log_contact", is_peer_in)
rules.add_perm("programmes.view_contacts", is_member_of | is_site_admin)
rules.add_perm("programmes.confirm_contact", is_other_side_of_contact)
rules.add_perm("programmes.view_knowledge", is_member_of | is_site_admin)
rules.add_perm("programmes.add_knowledge", is_peer_in | is_facilitator_of | is_site_admin)
rules.add_perm(
    "programmes.view_mandate", is_sponsor_of_organisation | is_facilitator_of | is_site_admin
)
# Organisations belong to no programme: the API lists only those of the user's programmes.
rules.add_perm("programmes.view_listed_organisation", rules.is_authenticated)
# The learning agenda, polls and the network's governance.
rules.add_perm("programmes.view_agenda", is_member_of | is_site_admin)
rules.add_perm("programmes.shape_agenda", is_peer_in | is_facilitator_of | is_steering_member)
rules.add_perm("programmes.manage_agenda", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.view_governance", is_member_of | is_site_admin)
rules.add_perm("programmes.manage_steering_group", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.record_decision", is_steering_member | is_facilitator_of | is_site_admin)
rules.add_perm(
    "programmes.view_resources",
    is_facilitator_of | is_manager_of | is_steering_member | is_site_admin,
)
rules.add_perm("programmes.manage_resources", is_facilitator_of | is_site_admin)
