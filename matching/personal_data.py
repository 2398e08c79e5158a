"""What matching holds about a person, for their download and their erasure
(see :mod:`peerlearn.personal_data`). Group places and moves stay, so groups keep their size."""

from __future__ import annotations

from peerlearn.personal_data import ERASED_TEXT, PersonalData, register_personal_data


def register() -> None:
    register_personal_data(
        PersonalData("matching.IntakeResponse", owner="user", scrub={"draft": {}}),
        PersonalData("matching.Challenge", owner="response__user", scrub={"text": ERASED_TEXT}),
        PersonalData(
            "matching.MatchingRun", references=("created_by", "published_by"), export=False
        ),
        PersonalData("matching.GroupMember", owner="user"),
        PersonalData("matching.GroupMove", owner="user", references=("moved_by",)),
        PersonalData(
            "matching.MoveRequest",
            owner="user",
            scrub={"reason": ERASED_TEXT},
            references=("decided_by",),
        ),
        PersonalData("matching.IntakeSurvey", references=("themes_edited_by",), export=False),
        PersonalData("matching.ThemeSet", references=("created_by", "applied_by"), export=False),
        PersonalData("matching.PublicationNotice", owner="user"),
    )
