"""Steps a peer takes in a programme that a later stage records, for the earlier stages' pages.

The programme overview shows how far each peer has come: invited, joined, intake done, contract
signed. The intake is recorded by matching, a later stage than programmes, so its page cannot
read it directly: an app that can tell who took a step registers a function
``(programme) -> user ids`` for it with :func:`register_step` in its ``AppConfig.ready()``
(best a queryset of ids, see :func:`people_at_step_query`), and the page asks
:func:`people_at_step`. A step nobody registered is taken by nobody.
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


def people_at_step_query(step: str, programme: Any) -> Iterable[int]:
    """The same people, as the source gives them: a source that answers with a queryset of ids
    lets a page use it inside its own query (``user_id__in=``), so it reads only the rows it
    shows instead of every id of the programme."""
    source = _SOURCES.get(step)
    return source(programme) if source is not None else []
