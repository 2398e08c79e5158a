"""Permission rules of matching: intake, themes, matching runs, groups and move requests."""

from __future__ import annotations

from typing import Any

import rules

from peerlearn.predicates import (
    is_facilitator_of,
    is_manager_of,
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
