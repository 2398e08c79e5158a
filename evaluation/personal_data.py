"""What evaluation holds about a person, for their download and their erasure
(see :mod:`peerlearn.personal_data`). Responses and their numbers and choices stay, so the
dashboard's counts and shares do not change; free-text answers and stories are erased. The
record of who viewed or exported evaluation data stays as it was."""

from __future__ import annotations

from peerlearn.personal_data import (
    ERASED_TEXT,
    Erasure,
    PersonalData,
    register_eraser,
    register_personal_data,
)

STORY_TEXT = (
    "title",
    "event",
    "immediate_value",
    "potential_value",
    "aspirational_ending",
    "applied_value",
    "realised_value",
)


def _replacement(erasure: Erasure) -> str:
    return erasure.replacement_email


def register() -> None:
    from .services.export_jobs import erase_export_jobs

    register_personal_data(
        PersonalData("evaluation.Instrument", references=("created_by",), export=False),
        PersonalData("evaluation.Response", owner="respondent"),
        PersonalData(
            "evaluation.Answer", owner="response__respondent", scrub={"text": ERASED_TEXT}
        ),
        PersonalData(
            "evaluation.Story", owner="author", scrub=dict.fromkeys(STORY_TEXT, ERASED_TEXT)
        ),
        PersonalData("evaluation.Reminder", owner="user", delete=True),
        PersonalData("evaluation.ReminderOptOut", owner="user"),
        PersonalData("evaluation.AccessRecord", owner="user"),
        PersonalData(
            "evaluation.ComparisonInvitee",
            email_field="email",
            scrub={"full_name": "", "email": _replacement},
            references=("invited_by",),
        ),
        # What the person exported and when is in their download; the exports themselves
        # (other people's answers) are not, and are deleted with their files at erasure.
        PersonalData("evaluation.ExportJob", owner="requested_by", exclude=("file", "error")),
    )
    register_eraser("evaluation.ExportJob", erase_export_jobs)
