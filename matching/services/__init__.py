"""Writes for matching, one module per noun: the intake (``intake``), problem themes
(``themes``), matching runs (``runs``), the review of groups with their scores and moves
(``review``), publication with its notices (``publication``), and late joiners and leavers of
published groups (``late_joiners``).

The grouping itself is done by the pure-Python engine in ``matching.engine``; the engine's
view of the peers is read by ``matching.selectors.cohort_peers``. Other modules import the
names below from ``matching.services``.
"""

from .errors import MatchingError
from .intake import (
    DRAFT_TEXT_LIMIT,
    REMINDER_INTERVAL,
    clean_challenges,
    ensure_survey,
    intake_url,
    save_draft,
    send_intake_reminders,
    submit_intake,
    update_survey,
)
from .late_joiners import place_all_late_joiners, place_late_joiners, remove_from_group
from .publication import open_notice, publish_run, send_publication_emails
from .review import (
    MoveNeedsConfirmation,
    decide_move_request,
    move_peer,
    record_move,
    request_move,
    rescore,
    rescore_groups,
    set_locked,
)
from .runs import execute_run, start_run
from .themes import (
    accept_themes,
    assign_to_nearest_theme,
    delete_empty_theme,
    merge_themes,
    move_challenge,
    propose_cohort_themes,
    rename_theme,
    split_theme,
)

__all__ = [
    "DRAFT_TEXT_LIMIT",
    "REMINDER_INTERVAL",
    "MatchingError",
    "MoveNeedsConfirmation",
    "accept_themes",
    "assign_to_nearest_theme",
    "clean_challenges",
    "decide_move_request",
    "delete_empty_theme",
    "ensure_survey",
    "execute_run",
    "intake_url",
    "merge_themes",
    "move_challenge",
    "move_peer",
    "open_notice",
    "place_all_late_joiners",
    "place_late_joiners",
    "propose_cohort_themes",
    "publish_run",
    "record_move",
    "remove_from_group",
    "rename_theme",
    "request_move",
    "rescore",
    "rescore_groups",
    "save_draft",
    "send_intake_reminders",
    "send_publication_emails",
    "set_locked",
    "split_theme",
    "start_run",
    "submit_intake",
    "update_survey",
]
