"""Steps a peer takes in a programme that a later stage records, for the earlier stages' pages.

The programme overview shows how far each peer has come: invited, joined, intake done, contract
signed. The intake is recorded by matching, a later stage than programmes, so its page cannot
read it directly: an app that can tell who took a step registers a function
``(programme) -> user ids`` for it with :func:`register_step` in its ``AppConfig.ready()``,
and the page asks :func:`people_at_step`. A step nobody registered is taken by nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

INTAKE = "intake"  # the peer submitted the intake survey of their cohort

StepSource = Callable[[Any], Iterable[int]]

_SOURCES: dict[str, StepSource] = {}


def register_step(step: str, source: StepSource) -> None:
    """Register who took ``step`` in a programme (registering again replaces)."""
    _SOURCES[step] = source


def people_at_step(step: str, programme: Any) -> set[int]:
    """Ids of the people who took ``step`` in ``programme``."""
    source = _SOURCES.get(step)
    return set(source(programme)) if source is not None else set()
