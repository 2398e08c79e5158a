"""Dataclasses of the grouping engine: inputs (Peer, Constraints, Options) and outputs.

Everything here is plain data. ``to_dict()`` methods return JSON-serialisable dictionaries
(str keys; str, int, float, bool, None, list and dict values only) so that a matching run can
store its result in a JSON field.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Strategy = Literal["problem", "role", "task", "context", "hybrid"]
STRATEGIES: tuple[str, ...] = ("problem", "role", "task", "context", "hybrid")
# The strategies a hybrid can weight.
COMPONENTS: tuple[str, ...] = ("problem", "role", "task", "context")

# The largest values the engine accepts. Weights are relative, so 100 to 1 is already a choice
# of one component over another; larger numbers only risk overflowing the scores.
MAX_WEIGHT = 100.0
MAX_GROUP_SIZE = 50
MAX_EFFORT = 20.0
MAX_SEED = 2**31 - 1

IssueKind = Literal["infeasible", "violation", "note"]


def _tags(value: Iterable[str] | str | None) -> tuple[str, ...]:
    """Tuple of stripped, non-empty, de-duplicated strings, in first-seen order.

    A plain string is split on ``;`` (the CSV convention), so ``"a; b"`` gives ``("a", "b")``.
    """
    if value is None:
        return ()
    items: Iterable[str] = value.split(";") if isinstance(value, str) else value
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        text = " ".join(str(item).split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return tuple(out)


@dataclass(frozen=True)
class Peer:
    """One peer and the factors the engine may match on.

    ``themes`` are the problem themes the peer's self-nominated challenges were distilled
    into. ``context`` holds free tags for the country/region context (for example a region,
    a legal tradition or "post-conflict"). Tag fields accept any iterable of strings or a
    ``;``-separated string; they are stored as tuples in first-seen order.
    """

    id: str
    name: str = ""
    country: str = ""
    organisation: str = ""
    role: str = ""
    seniority: str = ""
    task_area: str = ""
    career_level: str = ""
    education: str = ""
    context: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", str(self.id).strip())
        for name in ("context", "languages", "themes"):
            object.__setattr__(self, name, _tags(getattr(self, name)))

    @property
    def display_name(self) -> str:
        return self.name.strip() or self.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "organisation": self.organisation,
            "role": self.role,
            "seniority": self.seniority,
            "task_area": self.task_area,
            "career_level": self.career_level,
            "education": self.education,
            "context": list(self.context),
            "languages": list(self.languages),
            "themes": list(self.themes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Peer:
        known = {
            "id",
            "name",
            "country",
            "organisation",
            "role",
            "seniority",
            "task_area",
            "career_level",
            "education",
            "context",
            "languages",
            "themes",
        }
        kwargs = {k: v for k, v in data.items() if k in known}
        return cls(**kwargs)


@dataclass(frozen=True)
class Constraints:
    """Hard constraints. They are never broken when they can all be met together.

    * ``one_per_organisation``: at most one peer of an organisation in a group (peers with an
      empty organisation are not constrained).
    * ``max_per_country``: at most this many peers of one country in a group (None: no limit).
    * ``keep_together``: each set of peer ids must be in one group.
    * ``keep_apart``: the peers of each set must all be in different groups.
    * ``locked``: peer id -> group label. The group with that label keeps those peers.

    When two constraints conflict, the order of precedence is: locked, keep-together,
    keep-apart, one per organisation, country limit. The report says what was given up.
    """

    one_per_organisation: bool = True
    max_per_country: int | None = None
    keep_together: tuple[tuple[str, ...], ...] = ()
    keep_apart: tuple[tuple[str, ...], ...] = ()
    locked: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "keep_together", tuple(tuple(str(i) for i in s) for s in self.keep_together)
        )
        object.__setattr__(
            self, "keep_apart", tuple(tuple(str(i) for i in s) for s in self.keep_apart)
        )
        object.__setattr__(self, "locked", {str(k): str(v) for k, v in self.locked.items()})
        if self.max_per_country is not None and self.max_per_country < 1:
            raise ValueError("max_per_country must be at least 1.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "one_per_organisation": self.one_per_organisation,
            "max_per_country": self.max_per_country,
            "keep_together": [list(s) for s in self.keep_together],
            "keep_apart": [list(s) for s in self.keep_apart],
            "locked": dict(self.locked),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Constraints:
        return cls(
            one_per_organisation=bool(data.get("one_per_organisation", True)),
            max_per_country=data.get("max_per_country"),
            keep_together=tuple(tuple(s) for s in data.get("keep_together", ())),
            keep_apart=tuple(tuple(s) for s in data.get("keep_apart", ())),
            locked=dict(data.get("locked", {})),
        )


@dataclass(frozen=True)
class Options:
    """How to group.

    * ``strategy``: "problem" (default), "role", "task", "context" or "hybrid".
    * ``weights``: for "hybrid", a weight >= 0 per component ("problem", "role", "task",
      "context"); at least one must be > 0.
    * ``min_size`` / ``max_size``: group size bounds (default 5 to 6).
    * ``pairs``: groups of exactly two; with an odd number of peers one group has three.
      When True, ``min_size`` and ``max_size`` are ignored.
    * ``group_count``: force the number of groups (default: the fewest groups that fit the
      size bounds and the organisation and country limits).
    * ``seed``: the result is a deterministic function of the input and the seed.
    * ``effort``: multiplies the search budget (1.0 default; 0 = construction only).
    * ``time_limit``: optional wall-clock cap in seconds. When it is hit the result depends on
      machine speed, so it is off by default; the default budget is counted in moves.
    """

    strategy: Strategy = "problem"
    weights: Mapping[str, float] | None = None
    min_size: int = 5
    max_size: int = 6
    pairs: bool = False
    group_count: int | None = None
    constraints: Constraints = field(default_factory=Constraints)
    seed: int = 0
    effort: float = 1.0
    time_limit: float | None = None

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(
                f"Unknown strategy {self.strategy!r}. Use one of: {', '.join(STRATEGIES)}."
            )
        if self.strategy == "hybrid":
            if not self.weights:
                raise ValueError("The hybrid strategy needs weights, for example {'problem': 1}.")
            unknown = sorted(k for k in self.weights if k not in COMPONENTS)
            if unknown:
                raise ValueError(
                    f"Unknown hybrid components: {', '.join(unknown)}. "
                    f"Use: {', '.join(COMPONENTS)}."
                )
            if any(not math.isfinite(float(v)) for v in self.weights.values()):
                raise ValueError("Hybrid weights must be numbers.")
            if any(float(v) < 0 for v in self.weights.values()):
                raise ValueError("Hybrid weights must be zero or more.")
            if any(float(v) > MAX_WEIGHT for v in self.weights.values()):
                raise ValueError(f"Hybrid weights must be at most {MAX_WEIGHT:g}.")
            if not any(float(v) > 0 for v in self.weights.values()):
                raise ValueError("At least one hybrid weight must be more than zero.")
            object.__setattr__(
                self,
                "weights",
                {k: float(self.weights[k]) for k in COMPONENTS if k in self.weights},
            )
        if not self.pairs:
            if self.min_size < 1:
                raise ValueError("min_size must be at least 1.")
            if self.max_size < self.min_size:
                raise ValueError("max_size must be at least min_size.")
            if self.max_size > MAX_GROUP_SIZE:
                raise ValueError(f"max_size must be at most {MAX_GROUP_SIZE}.")
        if self.group_count is not None and self.group_count < 1:
            raise ValueError("group_count must be at least 1.")
        if not math.isfinite(self.effort) or not 0 <= self.effort <= MAX_EFFORT:
            raise ValueError(f"effort must be between 0 and {MAX_EFFORT:g}.")
        if self.time_limit is not None and not (
            math.isfinite(self.time_limit) and self.time_limit > 0
        ):
            raise ValueError("time_limit must be a positive number of seconds.")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}.")

    @property
    def size_bounds(self) -> tuple[int, int]:
        return (2, 2) if self.pairs else (self.min_size, self.max_size)

    def component_weights(self) -> dict[str, float]:
        """The weight of each component strategy (a single strategy has weight 1)."""
        if self.strategy == "hybrid":
            assert self.weights is not None
            return {k: float(v) for k, v in self.weights.items() if float(v) > 0}
        return {self.strategy: 1.0}

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "weights": dict(self.weights) if self.weights else None,
            "min_size": self.min_size,
            "max_size": self.max_size,
            "pairs": self.pairs,
            "group_count": self.group_count,
            "constraints": self.constraints.to_dict(),
            "seed": self.seed,
            "effort": self.effort,
            "time_limit": self.time_limit,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Options:
        return cls(
            strategy=data.get("strategy", "problem"),
            weights=data.get("weights"),
            min_size=int(data.get("min_size", 5)),
            max_size=int(data.get("max_size", 6)),
            pairs=bool(data.get("pairs", False)),
            group_count=data.get("group_count"),
            constraints=Constraints.from_dict(data.get("constraints", {})),
            seed=int(data.get("seed", 0)),
            effort=float(data.get("effort", 1.0)),
            time_limit=data.get("time_limit"),
        )


def join_words(items: Iterable[str]) -> str:
    """English list: "A", "A and B", "A, B and C"."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _render(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return join_words(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Reason:
    """One reason in an explanation: a stable ``code``, an English ``template`` with named
    ``{params}`` (lists are rendered as "A, B and C"), and the params themselves, so that the
    sentence can be translated later from the code and the params."""

    code: str
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.template.format(**{k: _render(v) for k, v in self.params.items()})

    def to_dict(self) -> dict[str, Any]:
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return {"code": self.code, "template": self.template, "params": params, "text": self.text}


@dataclass(frozen=True)
class Explanation:
    """Why the members of a group are together: a list of reasons and their English text."""

    reasons: tuple[Reason, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(r.text for r in self.reasons)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {"reasons": [r.to_dict() for r in self.reasons], "text": self.text}


@dataclass(frozen=True)
class Group:
    """A group in the result.

    ``score`` is the group's objective value (sum over member pairs of their affinity);
    ``normalised_score`` is in [0, 1] (see the package docstring); ``isolated`` are members
    with zero affinity to every other member; ``shared_themes`` maps each theme held by two or
    more members to those members' ids.
    """

    label: str
    members: tuple[str, ...]
    score: float
    normalised_score: float
    isolated: tuple[str, ...]
    shared_themes: Mapping[str, tuple[str, ...]]
    explanation: Explanation
    locked: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "members": list(self.members),
            "size": self.size,
            "score": self.score,
            "normalised_score": self.normalised_score,
            "isolated": list(self.isolated),
            "shared_themes": {k: list(v) for k, v in self.shared_themes.items()},
            "locked": list(self.locked),
            "explanation": self.explanation.to_dict(),
        }


@dataclass(frozen=True)
class ConstraintIssue:
    """One entry of the constraint report.

    * ``kind``: "infeasible" (the constraint cannot be met, found before grouping, with the
      reason), "violation" (a constraint broken in the result) or "note" (information, for
      example the odd group of three in pairs mode, or an unknown id that was ignored).
    * ``constraint``: "size", "organisation", "country", "keep_together", "keep_apart",
      "locked", "pairs", "unknown_peer", "group_count", "isolation" (a note naming the
      members who share nothing with their group).
    * ``unavoidable``: for a violation, True when an "infeasible" entry explains it.
    """

    kind: IssueKind
    constraint: str
    message: str
    peers: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    unavoidable: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "constraint": self.constraint,
            "message": self.message,
            "peers": list(self.peers),
            "groups": list(self.groups),
            "unavoidable": self.unavoidable,
        }


@dataclass(frozen=True)
class ConstraintReport:
    issues: tuple[ConstraintIssue, ...] = ()

    @property
    def violations(self) -> tuple[ConstraintIssue, ...]:
        return tuple(i for i in self.issues if i.kind == "violation")

    @property
    def infeasible(self) -> tuple[ConstraintIssue, ...]:
        return tuple(i for i in self.issues if i.kind == "infeasible")

    @property
    def notes(self) -> tuple[ConstraintIssue, ...]:
        return tuple(i for i in self.issues if i.kind == "note")

    @property
    def all_met(self) -> bool:
        """True when no hard constraint is broken in the result."""
        return not self.violations

    def about(self, constraint: str) -> tuple[ConstraintIssue, ...]:
        return tuple(i for i in self.issues if i.constraint == constraint)

    @property
    def text(self) -> str:
        if not self.issues:
            return "All constraints are met."
        return "\n".join(i.message for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        return {"all_met": self.all_met, "issues": [i.to_dict() for i in self.issues]}


@dataclass(frozen=True)
class MatchingResult:
    """The result of ``run``.

    ``score`` is the overall normalised score in [0, 1]; ``total`` the raw objective (sum of
    group scores); ``upper_bound`` the bound used to normalise; ``isolated`` the peers with no
    affinity to anyone in their group under the strategy; ``theme_isolated`` the peers who
    share no theme with anyone in their group (whatever the strategy: Experiment 1 found that
    learning needs common problems).
    """

    groups: tuple[Group, ...]
    score: float
    total: float
    upper_bound: float
    isolated: tuple[str, ...]
    theme_isolated: tuple[str, ...]
    report: ConstraintReport
    warnings: tuple[str, ...]
    options: Options
    stats: Mapping[str, Any] = field(default_factory=dict)

    @property
    def strategy(self) -> str:
        return self.options.strategy

    def group_of(self, peer_id: str) -> str | None:
        for group in self.groups:
            if peer_id in group.members:
                return group.label
        return None

    def assignment(self) -> dict[str, str]:
        """peer id -> group label."""
        return {pid: g.label for g in self.groups for pid in g.members}

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "score": self.score,
            "total": self.total,
            "upper_bound": self.upper_bound,
            "isolated": list(self.isolated),
            "theme_isolated": list(self.theme_isolated),
            "groups": [g.to_dict() for g in self.groups],
            "report": self.report.to_dict(),
            "warnings": list(self.warnings),
            "options": self.options.to_dict(),
            "stats": dict(self.stats),
        }


@dataclass(frozen=True)
class UnplacedPeer:
    peer_id: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"peer_id": self.peer_id, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class PlacementResult:
    """The result of ``place_late_joiners``.

    ``placements`` maps each placed late joiner to its group label; ``groups`` are all groups
    after placement (existing groups keep every member they had); ``new_groups`` lists the
    labels of groups opened for late joiners; ``unplaced`` the late joiners left out, each with
    reasons in plain words.
    """

    placements: Mapping[str, str]
    groups: tuple[Group, ...]
    new_groups: tuple[str, ...]
    unplaced: tuple[UnplacedPeer, ...]
    report: ConstraintReport
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "placements": dict(self.placements),
            "groups": [g.to_dict() for g in self.groups],
            "new_groups": list(self.new_groups),
            "unplaced": [u.to_dict() for u in self.unplaced],
            "report": self.report.to_dict(),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class ReplacementCandidate:
    """A ranked candidate to replace a peer who leaves a group.

    ``gain`` is the affinity the candidate adds to the remaining members under the strategy;
    ``feasible`` is False when taking the candidate would break a hard constraint, listed in
    ``problems``; ``reasons`` say in words what the candidate shares with the group.
    """

    peer_id: str
    rank: int
    gain: float
    feasible: bool
    isolated: bool
    shared_themes: tuple[str, ...]
    reasons: tuple[Reason, ...]
    problems: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join([r.text for r in self.reasons] + list(self.problems))

    def to_dict(self) -> dict[str, Any]:
        return {
            "peer_id": self.peer_id,
            "rank": self.rank,
            "gain": self.gain,
            "feasible": self.feasible,
            "isolated": self.isolated,
            "shared_themes": list(self.shared_themes),
            "reasons": [r.to_dict() for r in self.reasons],
            "problems": list(self.problems),
            "text": self.text,
        }
