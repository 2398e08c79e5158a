"""The hourglass funnel (enrolled to reporting value) and the Wenger-Trayner value cycles."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Cycle
from .facts import SUSTAINED_CONTACT_WEEKS, Facts, reporting, share_of, sustained_contact


@dataclass
class FunnelStage:
    code: str
    label: str
    count: int | None  # None: not measured (the data source is not available)
    share: float | None
    note: str = ""


@dataclass
class CycleRow:
    cycle: str
    label: str
    answered: int
    reporting: int
    share_of_peers: float | None
    share_of_respondents: float | None


def funnel(facts: Facts) -> list[FunnelStage]:
    peers = facts.peers
    in_contact = {p for e in facts.edges for p in e[:2]}
    engaged = peers & (set(facts.attended) | in_contact | facts.respondents | facts.story_authors)
    sustained = peers & sustained_contact(facts.edges)
    learning = reporting(facts, Cycle.POTENTIAL)
    value = reporting(facts, Cycle.APPLIED) | reporting(facts, Cycle.REALISED)
    total = len(peers)
    stages = [
        FunnelStage("enrolled", _("Enrolled peers"), total, 1.0 if total else None),
        FunnelStage("engaged", _("Engaged"), len(engaged), share_of(len(engaged), total)),
        FunnelStage(
            "sustained",
            _("In sustained contact"),
            len(sustained),
            share_of(len(sustained), total),
            _("Logged contacts spanning at least %(weeks)s weeks.")
            % {"weeks": SUSTAINED_CONTACT_WEEKS},
        ),
        FunnelStage(
            "learning", _("Reporting learning"), len(learning), share_of(len(learning), total)
        ),
    ]
    if facts.diffusing is None:
        stages.append(
            FunnelStage(
                "diffusing",
                _("Diffusing"),
                None,
                None,
                _("Not measured: report-backs are not recorded in this installation."),
            )
        )
    else:
        diffusing = facts.diffusing & peers
        stages.append(
            FunnelStage(
                "diffusing",
                _("Diffusing"),
                len(diffusing),
                share_of(len(diffusing), total),
                _("Held at least one report-back at home."),
            )
        )
    stages.append(
        FunnelStage(
            "value",
            _("Reporting applied or realised value"),
            len(value),
            share_of(len(value), total),
        )
    )
    return stages


def value_cycles(facts: Facts) -> list[CycleRow]:
    rows = []
    total = len(facts.peers)
    for cycle, label in Cycle.choices:
        answered = facts.cycle_answered.get(cycle, set()) & facts.peers
        people = reporting(facts, cycle)
        responders = answered | (people - answered)
        rows.append(
            CycleRow(
                cycle=cycle,
                label=str(label),
                answered=len(responders),
                reporting=len(people),
                share_of_peers=share_of(len(people), total),
                share_of_respondents=share_of(len(people), len(responders)),
            )
        )
    return rows
