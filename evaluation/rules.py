"""Permission rules of evaluation: instruments, waves, responses, stories and dashboards."""

from __future__ import annotations

from typing import Any

import rules

from peerlearn.predicates import (
    is_facilitator_of,
    is_manager_of,
    is_member_of,
    is_peer_in,
    is_site_admin,
)

from .models import Instrument
from .selectors import is_invited, story_readable_by


@rules.predicate
def is_builtin_instrument(user: Any, obj: Any = None) -> bool:
    """A built-in instrument (no programme): readable by every signed-in person."""
    return bool(user.is_authenticated and isinstance(obj, Instrument) and obj.is_builtin)


@rules.predicate
def is_respondent(user: Any, obj: Any = None) -> bool:
    return user.is_authenticated and getattr(obj, "respondent_id", None) == user.pk


@rules.predicate
def is_story_author(user: Any, obj: Any = None) -> bool:
    return user.is_authenticated and getattr(obj, "author_id", None) == user.pk


@rules.predicate
def is_invited_to_wave(user: Any, obj: Any = None) -> bool:
    """A peer of the wave's programme, in the wave's cohort when the wave has one."""
    return is_invited(user, obj)


@rules.predicate
def can_read_story(user: Any, obj: Any = None) -> bool:
    return story_readable_by(user, obj)


_evaluation_staff = is_manager_of | is_facilitator_of | is_site_admin
rules.add_perm("evaluation.view_section", is_member_of | is_site_admin)
rules.add_perm("evaluation.take_part", is_peer_in)
rules.add_perm("evaluation.view_dashboard", _evaluation_staff)
rules.add_perm("evaluation.export", _evaluation_staff)
rules.add_perm("evaluation.manage_instruments", is_facilitator_of | is_site_admin)
rules.add_perm("evaluation.manage_waves", is_facilitator_of | is_site_admin)
rules.add_perm("evaluation.manage_impact", is_facilitator_of | is_site_admin)
rules.add_perm("evaluation.view_instrument", is_builtin_instrument | is_member_of | is_site_admin)
rules.add_perm("evaluation.view_wave", _evaluation_staff | is_invited_to_wave)
rules.add_perm("evaluation.answer_wave", is_invited_to_wave)
rules.add_perm("evaluation.view_wave_responses", _evaluation_staff)
rules.add_perm("evaluation.view_response", is_respondent | _evaluation_staff)
rules.add_perm("evaluation.view_story", can_read_story)
rules.add_perm("evaluation.follow_up_story", is_story_author)
