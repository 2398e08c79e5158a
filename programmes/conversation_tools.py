"""Conversation tools as guided session templates a facilitator attaches to an activity: the
Case Clinic, Sensing Journeys and the Blind Side exercise, each a sequence of timed steps."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Tool(models.TextChoices):
    CASE_CLINIC = "case_clinic", _("Case Clinic")
    SENSING_JOURNEYS = "sensing_journeys", _("Sensing Journeys")
    BLIND_SIDE = "blind_side", _("The Blind Side exercise")


@dataclass(frozen=True)
class Step:
    title: str | Promise
    minutes: int
    guidance: str | Promise


@dataclass(frozen=True)
class Guide:
    tool: str
    purpose: str | Promise
    steps: tuple[Step, ...]

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


GUIDES: dict[str, Guide] = {
    Tool.CASE_CLINIC: Guide(
        Tool.CASE_CLINIC,
        _("One peer brings a live problem; three or four peers help them see it anew."),
        (
            Step(
                _("Intention"),
                5,
                _("The case giver describes the situation, their intention and the question."),
            ),
            Step(_("Clarifying questions"), 3, _("The coaches ask questions of fact only.")),
            Step(_("Stillness"), 3, _("Everyone listens to what the case evokes, in silence.")),
            Step(
                _("Mirroring"),
                8,
                _("Each coach shares an image, a feeling or a gesture the case evoked."),
            ),
            Step(
                _("Generative dialogue"),
                15,
                _("The case giver reflects on the mirrors; the group explores together."),
            ),
            Step(
                _("Closing"),
                5,
                _("The case giver says what they will do next; the group writes the notes."),
            ),
        ),
    ),
    Tool.SENSING_JOURNEYS: Guide(
        Tool.SENSING_JOURNEYS,
        _("Peers visit places where the problem lives and look at it through others' eyes."),
        (
            Step(
                _("Prepare"),
                30,
                _("Choose the places and people to visit and the questions to ask."),
            ),
            Step(
                _("Visit"),
                120,
                _("Observe and listen; suspend judgement; note what surprises you."),
            ),
            Step(
                _("Debrief"),
                45,
                _("What struck you? What did you learn about the system as a whole?"),
            ),
            Step(_("Harvest"), 15, _("Write the insights and the questions they open.")),
        ),
    ),
    Tool.BLIND_SIDE: Guide(
        Tool.BLIND_SIDE,
        _("The group maps what it knows and does not know about its shared problem."),
        (
            Step(
                _("Alone"),
                10,
                _("Each peer writes notes for the four quadrants of the Blind Side board."),
            ),
            Step(_("In pairs"), 15, _("Pairs compare their notes and move them if needed.")),
            Step(_("Together"), 20, _("The group places the notes on the Blind Side board.")),
            Step(
                _("Learning question"),
                10,
                _("The group agrees on what it most needs to learn next."),
            ),
        ),
    ),
}


def guide_for(tool: str) -> Guide | None:
    return GUIDES.get(tool)
