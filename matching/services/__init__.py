"""Writes for matching, one module per noun: the intake (``intake``), problem themes in use
(``themes``), their proposals and versions (``theme_versions``), statement vectors and the
fitted theme model (``statement_vectors``), matching runs (``runs``), the review of groups with
their scores and moves (``review``), publication with its notices (``publication``), and late
joiners and leavers of published groups (``late_joiners``).


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
from .publication import (
    open_notice,
    publish_run,
    queue_waiting_publication_emails,
    send_publication_emails,
)
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
from .runs import execute_run, fail_stalled_runs, queue_waiting_runs, retry_run, start_run
from .statement_vectors import assign_late_statements, embed_statements
from .theme_versions import (
    apply_theme_set,
    discard_proposal,
    execute_proposal,
    propose_now,
    request_proposal,
)
from .themes import (
    accept_themes,
    clean_theme_name,
    create_theme,
    delete_empty_theme,
    merge_themes,
    move_statements,
    rename_theme,
)

__all__ = [
    "DRAFT_TEXT_LIMIT",
    "REMINDER_INTERVAL",
    "MatchingError",
    "MoveNeedsConfirmation",
    "accept_themes",
    "apply_theme_set",
    "assign_late_statements",
    "clean_challenges",
    "clean_theme_name",
    "create_theme",
    "decide_move_request",
    "delete_empty_theme",
    "discard_proposal",
    "embed_statements",
    "ensure_survey",
    "execute_proposal",
    "execute_run",
    "fail_stalled_runs",
    "intake_url",
    "merge_themes",
    "move_peer",
    "move_statements",
    "open_notice",
    "place_all_late_joiners",
    "place_late_joiners",
    "propose_now",
    "publish_run",
    "queue_waiting_publication_emails",
    "queue_waiting_runs",
    "record_move",
    "remove_from_group",
    "rename_theme",
    "request_move",
    "request_proposal",
    "rescore",
    "rescore_groups",
    "retry_run",
    "save_draft",
    "send_intake_reminders",
    "send_publication_emails",
    "set_locked",
    "start_run",
    "submit_intake",
    "update_survey",
]
