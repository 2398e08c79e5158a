"""Risk flags: warnings per stage of the hourglass, raised by each app about a programme.

Each app registers a function ``flags_for(programme) -> list[RiskFlag]`` with
:func:`register_flags` in its ``AppConfig.ready()``; the facilitator overview and the evaluation
dashboard show them all through :func:`collect_flags`. A source computes its flags in a few
set-based queries, whatever the size of the programme. Pages show them summarised
(:func:`summarise_flags`): one line per kind of flag with how many there are, a few of their
subjects, and a link to the page that lists them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class Stage:
    FOUNDATION = 1  # foundational engagement and matching
    CONTACT = 2  # sustained contact
    LEARNING = 3  # actual learning
    DIFFUSION = 4  # diffusion and impact at scale


@dataclass(frozen=True)
class RiskFlag:
    stage: int
    code: str  # stable identifier, e.g. "no-theory-of-change"
    message: str  # translated sentence in plain words
    severity: str = "warning"  # "warning" or "info"
    subject: str = ""  # who or what it is about (a group name, a peer), if not the programme
    url: str = ""  # the page that lists every subject of this kind of flag, if there is one


FlagSource = Callable[[Any], list[RiskFlag]]

_SOURCES: dict[str, FlagSource] = {}


def register_flags(name: str, source: FlagSource) -> None:
    """Register an app's flags (``name`` is the app's label; registering again replaces)."""
    _SOURCES[name] = source


def collect_flags(programme: Any) -> list[RiskFlag]:
    """Every app's flags for ``programme``, ordered by stage."""
    flags: list[RiskFlag] = []
    for source in _SOURCES.values():
        flags.extend(source(programme))
    return sorted(flags, key=lambda flag: (flag.stage, flag.code, flag.subject))


EXAMPLES_SHOWN = 3


@dataclass
class FlagSummary:
    """Every flag of one kind (stage and code) of a programme, as one line."""

    stage: int
    code: str
    flags: list[RiskFlag]

    @property
    def count(self) -> int:
        return len(self.flags)

    @property
    def message(self) -> str:
        return self.flags[0].message

    @property
    def severity(self) -> str:
        return self.flags[0].severity

    @property
    def url(self) -> str:
        return next((flag.url for flag in self.flags if flag.url), "")

    @property
    def shown(self) -> list[RiskFlag]:
        return self.flags[:EXAMPLES_SHOWN]

    @property
    def more(self) -> int:
        return max(self.count - EXAMPLES_SHOWN, 0)

    @property
    def subjects(self) -> list[str]:
        return [flag.subject for flag in self.shown if flag.subject]


def summarise_flags(flags: list[RiskFlag]) -> list[FlagSummary]:
    """``flags`` grouped by stage and code, in that order, so that four thousand "has shared
    with no one" flags read as one line with a count and a link."""
    groups: dict[tuple[int, str], list[RiskFlag]] = {}
    for flag in flags:
        groups.setdefault((flag.stage, flag.code), []).append(flag)
    return [FlagSummary(stage, code, grouped) for (stage, code), grouped in sorted(groups.items())]
