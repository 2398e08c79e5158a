"""Risk flags: warnings per stage of the hourglass, raised by each app about a programme.

Each app registers a function ``flags_for(programme) -> list[RiskFlag]`` with
:func:`register_flags` in its ``AppConfig.ready()``; the programme's home, the facilitator
overview and the evaluation dashboard show them all through :func:`current_flags` (cached) or
:func:`collect_flags` (computed now).

The cached flags stay until the data they are computed from changes: every write (insert,
update or delete, through the ORM or not) to a table of an app that raises flags, or of the
people, gives the flags a new version once its transaction commits (see :mod:`peerlearn.freshness`).
They are also computed again each day, since some depend on the date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import freshness


class Stage:
    FOUNDATION = 1  # foundational engagement and matching
    CONTACT = 2  # sustained contact
    LEARNING = 3  # actual learning
    DIFFUSION = 4  # diffusion and impact at scale


STAGE_LABELS: dict[int, Any] = {
    Stage.FOUNDATION: _("Foundational engagement"),
    Stage.CONTACT: _("Sustained contact"),
    Stage.LEARNING: _("Actual learning"),
    Stage.DIFFUSION: _("Diffusion and impact"),
}


@dataclass(frozen=True)
class RiskFlag:
    stage: int
    code: str  # stable identifier, e.g. "no-theory-of-change"
    message: str  # translated sentence in plain words
    severity: str = "warning"  # "warning" or "info"
    subject: str = ""  # who or what it is about (a group name, a peer), if not the programme
    url: str = ""  # the page where a facilitator can act on it, if there is one


FlagSource = Callable[[Any], list[RiskFlag]]

_SOURCES: dict[str, FlagSource] = {}

FLAGS_TIMEOUT = 60 * 60 * 24


def register_flags(name: str, source: FlagSource, *, ignore: Iterable[str] = ()) -> None:
    """Register an app's flags (``name`` is the app's label; registering again replaces).

    The flags are computed again after any write to a table of the app, except the tables of
    the models named in ``ignore`` ("app_label.Model"), which no flag reads (logs, drafts).
    """
    _SOURCES[name] = source
    freshness.watch_app(name, ignore=ignore)


def collect_flags(programme: Any) -> list[RiskFlag]:
    """Every app's flags for ``programme``, ordered by stage."""
    flags: list[RiskFlag] = []
    for source in _SOURCES.values():
        flags.extend(source(programme))
    return sorted(flags, key=lambda flag: (flag.stage, flag.code, flag.subject))


def current_flags(programme: Any) -> tuple[list[RiskFlag], Any]:
    """Every app's flags for ``programme`` and when they were computed: from the cache while
    none of the data they read has changed since, and not older than today."""
    key = ":".join(
        [
            "peerlearn:flags",
            str(programme.pk),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            freshness.version(),
        ]
    )
    cached = cache.get(key)
    if cached is None:
        cached = (collect_flags(programme), timezone.now())
        cache.set(key, cached, FLAGS_TIMEOUT)
    return cached


def grouped(flags: list[RiskFlag]) -> list[dict[str, Any]]:
    """Flags grouped by stage, then by code, so fifty "no report-back" flags read as one line
    with a count: ``[{stage, label, count, groups: [{code, message, count, url, flags}]}]``."""
    stages: dict[int, dict[str, list[RiskFlag]]] = {}
    for flag in flags:
        stages.setdefault(flag.stage, {}).setdefault(flag.code, []).append(flag)
    result = []
    for stage in sorted(stages):
        groups = [
            {
                "code": code,
                "message": members[0].message,
                "count": len(members),
                "subjects": [flag.subject for flag in members if flag.subject],
                "url": next((flag.url for flag in members if flag.url), ""),
                "flags": members,
            }
            for code, members in sorted(stages[stage].items())
        ]
        result.append(
            {
                "stage": stage,
                "label": str(STAGE_LABELS.get(stage, stage)),
                "count": sum(len(members) for members in stages[stage].values()),
                "groups": groups,
            }
        )
    return result


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
