"""A person's next steps in a programme, contributed by each app, for the programme's home page.

Each app registers a function ``(user, programme) -> list[NextStep]`` with
:func:`register_next_steps` in its ``AppConfig.ready()``; it returns the steps that app knows
about for that person and their roles (a peer's intake, a facilitator's matching run, a
manager's dashboard). The home page lists a peer's steps in order, and shows a facilitator's,
manager's or sponsor's by stage of the hourglass (:data:`peerlearn.navigation.STAGES`); the
steps still to do come first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .navigation import STAGES

OPEN = "todo"  # something to do now
WAITING = "waiting"  # nothing to do yet: waiting for someone else or for a date
DONE = "done"  # taken


@dataclass(frozen=True)
class NextStep:
    stage: str  # a stage of peerlearn.navigation.STAGES
    title: str  # translated, in plain words
    url: str = ""
    action: str = ""  # the link's words ("Fill in the intake"); the title when empty
    detail: str = ""  # one sentence of context
    status: str = OPEN
    order: int = 100  # a peer's steps are listed in this order; staff steps within a stage
    figures: tuple[tuple[str, str], ...] = ()  # (label, value) pairs of a summary


StepSource = Callable[[Any, Any], list[NextStep]]

_SOURCES: dict[str, StepSource] = {}


def register_next_steps(name: str, source: StepSource) -> None:
    """Register an app's next steps (``name`` is the app's label; registering again replaces)."""
    _SOURCES[name] = source


def next_steps_for(user: Any, programme: Any) -> list[NextStep]:
    """Every app's steps for ``user`` in ``programme``: the steps to do, then those waiting,
    then those done, each in their order."""
    steps: list[NextStep] = []
    for source in _SOURCES.values():
        steps.extend(source(user, programme))
    status_order = {OPEN: 0, WAITING: 1, DONE: 2}
    return sorted(steps, key=lambda s: (status_order.get(s.status, 3), s.order))


def by_stage(steps: list[NextStep]) -> list[dict[str, Any]]:
    """The steps grouped under their stage's name, stages in the hourglass order (each keeps
    the order of ``steps``)."""
    groups: dict[str, list[NextStep]] = {}
    for step in steps:
        groups.setdefault(step.stage, []).append(step)
    return [
        {"code": code, "label": str(label), "steps": groups[code]}
        for code, label in STAGES.items()
        if code in groups
    ]
