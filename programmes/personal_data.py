"""What the programmes app holds about a person, for their download and their erasure
(see :mod:`peerlearn.personal_data`)."""

from __future__ import annotations

from typing import Any

from peerlearn.personal_data import (
    ERASED_TEXT,
    Erasure,
    PersonalData,
    register_eraser,
    register_personal_data,
)


def _replacement(erasure: Erasure) -> str:
    return erasure.replacement_email


def _erase_import_rows(erasure: Erasure) -> int:
    """A peer list kept for review holds each person's row as uploaded: blank theirs."""
    from .models import PeerImport

    changed = 0
    address = erasure.email.lower()
    for peer_import in PeerImport.objects.all().only("pk", "rows"):
        rows: list[Any] = peer_import.rows or []
        touched = False
        for row in rows:
            if isinstance(row, dict) and str(row.get("email", "")).lower() == address:
                for key in list(row):
                    if key not in ("line", "row", "status"):
                        row[key] = ""
                row["email"] = erasure.replacement_email
                touched = True
        if touched:
            PeerImport.objects.filter(pk=peer_import.pk).update(rows=rows)
            changed += 1
    return changed


def register() -> None:
    register_personal_data(
        PersonalData("programmes.Programme", references=("created_by",), export=False),
        PersonalData("programmes.Membership", owner="user"),
        PersonalData("programmes.TheoryOfChange", references=("updated_by",), export=False),
        PersonalData("programmes.ChecklistAnswer", references=("updated_by",), export=False),
        PersonalData("programmes.Activity", references=("created_by",), export=False),
        PersonalData(
            "programmes.PeerObjective", owner="membership__user", scrub={"text": ERASED_TEXT}
        ),
        PersonalData(
            "programmes.Attendance", owner="membership__user", references=("recorded_by",)
        ),
        # A contact names both people: the one who logged it keeps it, with its topic erased
        # when they are erased; the other sees it in their download.
        PersonalData("programmes.Contact", owner="logged_by", scrub={"topic": ERASED_TEXT}),
        PersonalData("programmes.Contact", owner="with_user"),
        PersonalData("programmes.CalendarFeed", owner="user", delete=True, exclude=("token",)),
        PersonalData("programmes.KnowledgeProduct", references=("added_by",), export=False),
        PersonalData(
            "programmes.Invitation",
            owner="accepted_by",
            email_field="email",
            scrub={"full_name": "", "email": _replacement},
            references=("invited_by",),
        ),
        PersonalData(
            "programmes.Nomination",
            email_field="email",
            scrub={"full_name": "", "email": _replacement, "position": ""},
            references=("nominated_by",),
            exclude=("mandate",),
        ),
        PersonalData(
            "programmes.Nomination",
            owner="authorised_by",
            scrub={"signed_name": ""},
            exclude=("mandate",),
        ),
        PersonalData(
            "programmes.SponsorCommitment", owner="committed_by", scrub={"signed_name": ""}
        ),
        PersonalData(
            "programmes.ContractSignature", owner="membership__user", scrub={"signed_name": ""}
        ),
        PersonalData(
            "programmes.ContractSignature",
            owner="countersigned_by",
            scrub={"countersigned_name": ""},
        ),
        PersonalData("programmes.PeerImport", references=("uploaded_by",), export=False),
        PersonalData("programmes.AgendaTopic", owner="proposed_by"),
        PersonalData("programmes.TopicComment", owner="author"),
        PersonalData("programmes.TopicVote", owner="user"),
        PersonalData("programmes.Poll", references=("created_by",), export=False),
        PersonalData("programmes.PollVote", owner="user"),
        PersonalData("programmes.SteeringMember", owner="user"),
        PersonalData("programmes.SteeringDecision", references=("recorded_by",), export=False),
    )
    register_eraser("programmes.PeerImport", _erase_import_rows)
