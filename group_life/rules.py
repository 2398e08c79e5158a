"""Permission rules of group life: group and pair workspaces, the Blind Side board, the
progress board, cross-group sub-groups, the reflection journal and the discussions."""

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
)

from .discussions.selectors import threads_visible_to
from .selectors import is_group_member, reflection_readable_by


@rules.predicate
def is_in_published_group(user: Any, obj: Any = None) -> bool:
    """A member of the published group the object is (or belongs to)."""
    group = getattr(obj, "group", obj)
    return is_group_member(user, group)


@rules.predicate
def is_in_pair(user: Any, obj: Any = None) -> bool:
    return bool(user.is_authenticated and obj is not None and obj.involves(user.pk))


@rules.predicate
def is_asked_to_pair(user: Any, obj: Any = None) -> bool:
    return bool(user.is_authenticated and getattr(obj, "requested_of_id", None) == user.pk)


@rules.predicate
def can_read_reflection(user: Any, obj: Any = None) -> bool:
    return reflection_readable_by(user, obj)


@rules.predicate
def can_read_thread(user: Any, obj: Any = None) -> bool:
    """The thread is in one of the user's spaces (or the user facilitates its programme)."""
    return bool(obj is not None and threads_visible_to(user).filter(pk=obj.pk).exists())


@rules.predicate
def is_open_thread(user: Any, obj: Any = None) -> bool:
    return bool(obj is not None and not obj.locked)


rules.add_perm("group_life.view_group_life", is_peer_in | is_facilitator_of | is_site_admin)
rules.add_perm(
    "group_life.view_workspace", is_in_published_group | is_facilitator_of | is_site_admin
)
rules.add_perm("group_life.contribute_to_group", is_in_published_group)
rules.add_perm("group_life.score_product", is_facilitator_of | is_site_admin)
rules.add_perm("group_life.manage_sub_groups", is_facilitator_of | is_site_admin)
rules.add_perm("group_life.view_progress_board", is_member_of | is_site_admin)
rules.add_perm("group_life.request_pair", is_peer_in)
rules.add_perm("group_life.view_pair", is_in_pair | is_facilitator_of | is_site_admin)
rules.add_perm("group_life.answer_pair", is_asked_to_pair)
rules.add_perm("group_life.plan_pair", is_in_pair)
rules.add_perm("group_life.keep_journal", is_peer_in)
rules.add_perm("group_life.view_reflection", can_read_reflection)
rules.add_perm("group_life.send_reflection_prompt", is_facilitator_of | is_site_admin)
rules.add_perm("group_life.view_discussions", is_peer_in | is_facilitator_of | is_site_admin)
rules.add_perm("group_life.read_thread", can_read_thread)
rules.add_perm(
    "group_life.reply_in_thread",
    can_read_thread & (is_open_thread | is_facilitator_of | is_site_admin),
)
rules.add_perm("group_life.moderate_discussions", is_facilitator_of | is_site_admin)


# Comparing practice: shared assessment tools, self-assessments, reviews and the benchmark.
@rules.predicate
def may_review_assessment(user: Any, obj: Any = None) -> bool:
    from .assessments.services import may_review

    return bool(user.is_authenticated and obj is not None and may_review(user, obj))


rules.add_perm(
    "group_life.view_assessments", is_peer_in | is_facilitator_of | is_manager_of | is_site_admin
)
rules.add_perm("group_life.manage_assessment_tools", is_facilitator_of | is_site_admin)
rules.add_perm("group_life.self_assess", is_peer_in)
rules.add_perm("group_life.review_assessment", may_review_assessment)


# Embedded peer advisers.
@rules.predicate
def is_adviser(user: Any, obj: Any = None) -> bool:
    placement = getattr(obj, "placement", obj)
    return bool(user.is_authenticated and getattr(placement, "peer_id", None) == user.pk)


rules.add_perm(
    "group_life.view_placements",
    is_peer_in | is_facilitator_of | is_manager_of | is_sponsor_in | is_site_admin,
)
rules.add_perm("group_life.manage_placements", is_facilitator_of | is_site_admin)
rules.add_perm("group_life.check_in_placement", is_adviser | is_facilitator_of | is_site_admin)
rules.add_perm("group_life.reflect_on_placement", is_adviser)
