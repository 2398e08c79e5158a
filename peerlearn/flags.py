"""Risk flags: warnings per stage of the hourglass, raised by each app about a programme.

Each app may define ``<app>/flags.py`` with ``flags_for(programme) -> list[RiskFlag]``; the
facilitator overview and the evaluation dashboard show them all through :func:`collect_flags`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

FLAG_APPS = ("programmes", "matching", "evaluation", "diffusion")


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


def collect_flags(programme: Any) -> list[RiskFlag]:
    """Every app's flags for ``programme``, ordered by stage."""
    flags: list[RiskFlag] = []
    for app in FLAG_APPS:
        try:
            module = import_module(f"{app}.flags")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.flags":
                raise
            continue
        flags.extend(module.flags_for(programme))
    return sorted(flags, key=lambda flag: (flag.stage, flag.code, flag.subject))
