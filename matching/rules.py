"""Permission rules of matching: intake, themes, matching runs, groups and move requests."""

from __future__ import annotations

from typing import Any

import rules

from peerlearn.predicates import (
    is_facilitator_of,
    is_manager_of,
    is_member_of,
    is_own,
    is_peer_in,
    is_site_admin,
)


@rules.predicate
def is_member_of_published_group(user: Any, group: Any = None) -> bool:
    """The user is a member of this group, and its matching run is published."""
    if group is None or not user.is_authenticated or not hasattr(group, "run"):
        return False
    return bool(group.run.published_at and group.members.filter(user=user).exists())


rules.add_perm(
    "matching.view_matching", is_facilitator_of | is_manager_of | is_peer_in | is_site_admin
)
rules.add_perm("matching.manage_matching", is_facilitator_of | is_site_admin)
rules.add_perm("matching.view_runs", is_facilitator_of | is_manager_of | is_site_admin)
rules.add_perm("matching.fill_intake", is_peer_in)
rules.add_perm("matching.view_intake", is_own | is_facilitator_of | is_site_admin)
rules.add_perm("matching.view_themes", is_facilitator_of | is_manager_of | is_site_admin)
rules.add_perm(
    "matching.view_group",
    is_facilitator_of | is_manager_of | is_site_admin | is_member_of_published_group,
)
rules.add_perm("matching.view_my_group", is_peer_in)
rules.add_perm("matching.request_move", is_peer_in)


# Group life (group and pair workspace, Blind Side board)


@rules.predicate
def is_in_published_group(user: Any, obj: Any = None) -> bool:
    """A member of the published group the object is (or belongs to)."""
    from .selectors_group_life import is_group_member

    group = getattr(obj, "group", obj)
    return is_group_member(user, group)


@rules.predicate
def is_in_pair(user: Any, obj: Any = None) -> bool:
    return bool(user.is_authenticated and obj is not None and obj.involves(user.pk))


@rules.predicate
def is_asked_to_pair(user: Any, obj: Any = None) -> bool:
    return bool(user.is_authenticated and getattr(obj, "requested_of_id", None) == user.pk)


rules.add_perm("matching.view_group_life", is_peer_in | is_facilitator_of | is_site_admin)
rules.add_perm("matching.view_workspace", is_in_published_group | is_facilitator_of | is_site_admin)
rules.add_perm("matching.contribute_to_group", is_in_published_group)
rules.add_perm("matching.score_product", is_facilitator_of | is_site_admin)
rules.add_perm("matching.manage_sub_groups", is_facilitator_of | is_site_admin)
rules.add_perm("matching.view_progress_board", is_member_of | is_site_admin)
rules.add_perm("matching.request_pair", is_peer_in)
rules.add_perm("matching.view_pair", is_in_pair | is_facilitator_of | is_site_admin)
rules.add_perm("matching.answer_pair", is_asked_to_pair)
rules.add_perm("matching.plan_pair", is_in_pair)
