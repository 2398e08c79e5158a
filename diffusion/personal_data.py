"""What diffusion holds about a person, for their download and their erasure
(see :mod:`peerlearn.personal_data`). Plans, report-backs and their reach stay for the
diffusion graph and the counts; the person's name and address in lists of chapter members and
recipients are erased."""

from __future__ import annotations

from peerlearn.personal_data import Erasure, PersonalData, register_personal_data


def _replacement(erasure: Erasure) -> str:
    return erasure.replacement_email


def register() -> None:
    register_personal_data(
        PersonalData("diffusion.DiffusionPlan", owner="peer", references=("confirmed_by",)),
        PersonalData("diffusion.ReportBack", owner="peer"),
        PersonalData(
            "diffusion.Recipient",
            email_field="email",
            scrub={"email": _replacement},
            exclude=("token_hash",),
        ),
        PersonalData("diffusion.Chapter", owner="founded_by"),
        PersonalData(
            "diffusion.ChapterMember",
            email_field="email",
            scrub={"full_name": "", "email": _replacement},
        ),
        PersonalData("diffusion.Pilot", owner="lead"),
        PersonalData("diffusion.PilotUpdate", owner="author"),
        PersonalData("diffusion.ImpactStory", owner="peers", references=("recorded_by",)),
    )
