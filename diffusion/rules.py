"""Permission rules of diffusion: plans, report-backs, chapters, pilots, stories, reports."""

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
from peerlearn.roles import Role, programme_id_of, roles_in
from programmes.selectors import share_a_cohort

from .selectors import stories_visible_to

_OWNER_ATTRIBUTES = ("peer_id", "lead_id", "founded_by_id")


def _owner_id(obj: Any) -> int | None:
    for attribute in _OWNER_ATTRIBUTES:
        owner_id = getattr(obj, attribute, None)
        if owner_id is not None:
            return int(owner_id)
    return None


@rules.predicate
def is_diffusion_owner(user: Any, obj: Any = None) -> bool:
    """The peer a diffusion object belongs to (plan, report-back, pilot lead, chapter founder)."""
    if obj is None or not user.is_authenticated:
        return False
    owner_id = _owner_id(obj)
    return owner_id is not None and owner_id == user.pk


@rules.predicate
def is_cohort_peer_of_owner(user: Any, obj: Any = None) -> bool:
    """A peer of the same cohort as the peer a diffusion object belongs to (or that peer)."""
    programme_id = programme_id_of(obj)
    if programme_id is None or Role.PEER not in roles_in(user, obj):
        return False
    owner_id = _owner_id(obj)
    if owner_id is None:
        return False
    return share_a_cohort(programme_id, user.pk, owner_id)


@rules.predicate
def is_cohort_peer_of_story(user: Any, obj: Any = None) -> bool:
    """A peer of the cohort of the peer who recorded an impact story, or of a peer it involves."""
    if programme_id_of(obj) is None or Role.PEER not in roles_in(user, obj):
        return False
    return bool(stories_visible_to(user).filter(pk=obj.pk).exists())


_diffusion_staff = is_facilitator_of | is_manager_of | is_site_admin
rules.add_perm("diffusion.view_diffusion", is_member_of | is_site_admin)
rules.add_perm("diffusion.log_report_back", is_peer_in)
rules.add_perm(
    "diffusion.view_report_back",
    is_diffusion_owner | _diffusion_staff | is_sponsor_of_organisation,
)
rules.add_perm("diffusion.change_report_back", is_diffusion_owner | is_facilitator_of)
rules.add_perm("diffusion.make_plan", is_peer_in)
rules.add_perm(
    "diffusion.view_plan", is_diffusion_owner | _diffusion_staff | is_sponsor_of_organisation
)
rules.add_perm("diffusion.change_plan", is_diffusion_owner)
rules.add_perm("diffusion.confirm_plan", is_sponsor_of_organisation)
rules.add_perm("diffusion.add_chapter", is_peer_in)
rules.add_perm(
    "diffusion.view_chapter",
    is_cohort_peer_of_owner | _diffusion_staff | is_sponsor_of_organisation,
)
rules.add_perm("diffusion.change_chapter", is_diffusion_owner | is_facilitator_of)
rules.add_perm("diffusion.add_pilot", is_peer_in)
rules.add_perm(
    "diffusion.view_pilot",
    is_cohort_peer_of_owner | _diffusion_staff | is_sponsor_of_organisation,
)
rules.add_perm("diffusion.change_pilot", is_diffusion_owner | is_facilitator_of)
rules.add_perm("diffusion.comment_pilot", is_cohort_peer_of_owner | is_facilitator_of)
rules.add_perm("diffusion.add_story", is_peer_in | is_facilitator_of)
rules.add_perm(
    "diffusion.view_story",
    is_cohort_peer_of_story | _diffusion_staff | is_sponsor_of_organisation,
)
rules.add_perm("diffusion.view_sponsor_report", is_sponsor_in | _diffusion_staff)
