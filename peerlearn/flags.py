"""Risk flags: warnings per stage of the hourglass, raised by each app about a programme.

Each app registers a function ``flags_for(programme) -> list[RiskFlag]`` with
:func:`register_flags` in its ``AppConfig.ready()``; the programme's home, the facilitator
overview and the evaluation dashboard show them all through :func:`current_flags` (cached) or
:func:`collect_flags` (computed now).

Each app's flags are cached apart, with the versions of the tables their computation read
(see :mod:`peerlearn.freshness`): every write (insert, update or delete, through the ORM or not)
to one of those tables makes them be computed again on the next read, once its transaction
commits, while the flags of the other apps stay. So an intake draft saved makes the matching
flags be computed again, not the group-life flags. They are also computed again each day, since
some depend on the date.
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


def current_flags(
    programme: Any, *, only: Iterable[str] | None = None
) -> tuple[list[RiskFlag], Any]:
    """Every app's flags for ``programme`` (or the apps named in ``only``) and when they were
    computed (the oldest app's): each app's from the cache while none of the data they read has
    changed since, and not older than today."""
    prefix = ":".join(
        [
            "peerlearn:flags",
            str(programme.pk),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
        ]
    )
    chosen = {name: source for name, source in _SOURCES.items() if only is None or name in only}
    keys = {name: f"{prefix}:{name}" for name in chosen}
    cached = cache.get_many(list(keys.values()))
    # The versions of every watched table, read once before anything is computed: flags
    # computed from data written after this are computed again on the next read.
    current = freshness.versions(freshness.watched_names())
    flags: list[RiskFlag] = []
    oldest = None
    for name, source in chosen.items():
        entry = cached.get(keys[name])
        if entry is None or not freshness.still_current(entry[0], current):
            with freshness.recording() as read:
                found = source(programme)
            # The programme's own fields (its dates) are read from the object, not a query.
            read.add(programme._meta.db_table)
            entry = ({table: current[table] for table in read}, found, timezone.now())
            cache.set(keys[name], entry, FLAGS_TIMEOUT)
        flags.extend(entry[1])
        oldest = entry[2] if oldest is None else min(oldest, entry[2])
    flags.sort(key=lambda flag: (flag.stage, flag.code, flag.subject))
    return flags, oldest or timezone.now()


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
