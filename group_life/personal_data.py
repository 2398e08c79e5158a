"""What group life holds about a person, for their download and their erasure
(see :mod:`peerlearn.personal_data`). What a person wrote for their group (drafts, notes,
meeting notes) stays for the group, shown as written by a former participant; what they wrote
about themselves (reflections, the reason for a pair) is erased."""

from __future__ import annotations

from peerlearn.personal_data import ERASED_TEXT, PersonalData, register_personal_data


def register() -> None:
    register_personal_data(
        PersonalData("group_life.GroupWorkspace", references=("distilled_by",), export=False),
        PersonalData("group_life.ProblemDraft", owner="author"),
        PersonalData("group_life.MeetingSlot", references=("created_by",), export=False),
        PersonalData("group_life.GroupMeeting", owner="logged_by"),
        PersonalData("group_life.EndProduct", owner="submitted_by", references=("scored_by",)),
        PersonalData("group_life.BlindSideNote", owner="author", references=("moved_by",)),
        PersonalData(
            "group_life.PairRequest", owner="requested_by", scrub={"purpose": ERASED_TEXT}
        ),
        PersonalData("group_life.PairRequest", owner="requested_of"),
        PersonalData("group_life.SubGroup", owner="members", references=("created_by",)),
        PersonalData("group_life.Nudge", owner="user", delete=True),
        PersonalData("group_life.AssessmentTool", references=("created_by",), export=False),
        PersonalData("group_life.SelfAssessment", owner="submitted_by"),
        PersonalData("group_life.Review", owner="reviewer"),
        PersonalData(
            "group_life.Placement",
            owner="peer",
            scrub={"end_reflection": ERASED_TEXT},
            references=("created_by",),
        ),
        PersonalData("group_life.PlacementCheckIn", owner="by"),
        PersonalData("group_life.ReflectionPrompt", references=("created_by",), export=False),
        PersonalData(
            "group_life.ReflectionEntry",
            owner="author",
            scrub=dict.fromkeys(("learned", "from_whom", "will_act"), ERASED_TEXT),
            references=("peer",),
        ),
        PersonalData("group_life.SessionNote", owner="author"),
        PersonalData("group_life.Thread", owner="author"),
        PersonalData("group_life.Post", owner="author"),
        PersonalData("group_life.Post", owner="mentions", export=False),
        PersonalData("group_life.Reaction", owner="user"),
        PersonalData("group_life.Notification", owner="user", delete=True),
        PersonalData("group_life.DiscussionPreference", owner="user", delete=True),
    )
