"""Risk flags: warnings per stage of the hourglass, raised by each app about a programme.

Each app registers a function ``flags_for(programme) -> list[RiskFlag]`` with
:func:`register_flags` in its ``AppConfig.ready()``; the facilitator overview and the evaluation
dashboard show them all through :func:`collect_flags`.
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
