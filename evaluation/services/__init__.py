"""Writes for evaluation, one module per noun: answers, instruments, waves (with their reminders
and comparison group), comparison answers, reminder opt-outs, stories, and impact figures with
the access audit trail. Every service is importable from here (``from evaluation import
services``).
"""

from .answers import (
    WRITE_ATTEMPTS,
    Cleaned,
    chosen_visibility,
    clean_answer,
    clean_answers,
    field_name,
    save_response,
    visibility_field_name,
)
from .comparison import comparison_token, submit_comparison
from .errors import AnswerErrors, ComparisonAlreadyAnswered, EvaluationError, InviteeErrors
from .impact import add_impact_indicator, record_access, record_observation, take_snapshot
from .instruments import add_item, create_instrument, editable_version, remove_item
from .reminders import opt_out, read_unsubscribe_token, unsubscribe_token, unsubscribe_url
from .stories import STORY_FIELDS, follow_up_story, start_story
from .waves import (
    MONTHS,
    add_months,
    advance_wave,
    invite_comparison_group,
    parse_invitees,
    run_wave_schedule,
    schedule_wave,
    send_comparison_email,
    send_wave_email,
    wave_dates,
)

__all__ = [
    "MONTHS",
    "STORY_FIELDS",
    "WRITE_ATTEMPTS",
    "AnswerErrors",
    "Cleaned",
    "ComparisonAlreadyAnswered",
    "EvaluationError",
    "InviteeErrors",
    "add_impact_indicator",
    "add_item",
    "add_months",
    "advance_wave",
    "chosen_visibility",
    "clean_answer",
    "clean_answers",
    "comparison_token",
    "create_instrument",
    "editable_version",
    "field_name",
    "follow_up_story",
    "invite_comparison_group",
    "opt_out",
    "parse_invitees",
    "read_unsubscribe_token",
    "record_access",
    "record_observation",
    "remove_item",
    "run_wave_schedule",
    "save_response",
    "schedule_wave",
    "send_comparison_email",
    "send_wave_email",
    "start_story",
    "submit_comparison",
    "take_snapshot",
    "unsubscribe_token",
    "unsubscribe_url",
    "visibility_field_name",
    "wave_dates",
]
