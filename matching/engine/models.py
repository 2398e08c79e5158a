"""Dataclasses of the grouping engine's inputs: Peer, Constraints and Options.

Everything here is plain data. ``to_dict()`` methods return JSON-serialisable dictionaries
(str keys; str, int, float, bool, None, list and dict values only) so that a matching run can
store its options in a JSON field; ``from_dict`` reads them back (missing keys take their
defaults, so options stored before a field existed still load).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from .languages import normalise_language

Strategy = Literal["problem", "role", "task", "context", "hybrid", "organisation"]
STRATEGIES: tuple[str, ...] = ("problem", "role", "task", "context", "hybrid", "organisation")
# The strategies a hybrid can weight ("goals": shared goals).
COMPONENTS: tuple[str, ...] = ("problem", "role", "task", "context", "goals")
# The organisation strategy: a same-organisation pair weighs as much as ten shared themes, a
# same-country pair as three (so that organisations too small for a group of their own are
# grouped with peers from their country); shared themes decide within those.
ORGANISATION_WEIGHTS: Mapping[str, float] = {"organisation": 10.0, "country": 3.0, "problem": 1.0}

# Balancing rules: the factor and its modes.
BALANCE_FACTORS: tuple[str, ...] = ("stage", "influence", "career_level", "education")
BALANCE_MODES: tuple[str, ...] = ("mix", "same", "off")
DEFAULT_BALANCE: Mapping[str, str] = {"stage": "mix", "influence": "mix"}
DEFAULT_BALANCE_WEIGHT = 0.25


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


def _languages(value: Iterable[str] | str | None) -> tuple[str, ...]:
    """Tags read as languages: ISO 639-1 codes where recognised (see ``languages``)."""
    return tuple(dict.fromkeys(normalise_language(t) for t in _tags(value)))


@dataclass(frozen=True)
class Peer:
    """One peer and the factors the engine may match on.

    * ``themes``: the problem themes the peer's self-nominated challenges were distilled into.
    * ``organisation``: the organisation's key (a name or an id); ``organisation_name`` its
      display name, used in every text (when empty, ``organisation`` is shown).
    * ``context``: free tags for the country/region context (a region, a legal tradition,
      "post-conflict", ...).
    * ``languages``: the languages the peer can work in, read as ISO 639-1 codes where
      recognised (a code, "pt-BR", or an English name such as "French").
    * ``stage``: where the peer's reform is on the implementation pathway; ``influence``: the
      peer's degree of influence over the reform (both a label, compared as text).
    * ``goals``: goal tags (what the peer wants to achieve, distilled like themes).
    * ``affiliation``: a professional body or network the peer belongs to.

    Tag fields accept any iterable of strings or a ``;``-separated string; they are stored as
    tuples in first-seen order.
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
    organisation_name: str = ""
    stage: str = ""
    influence: str = ""
    goals: tuple[str, ...] = ()
    affiliation: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", str(self.id).strip())
        for name in ("context", "themes", "goals"):
            object.__setattr__(self, name, _tags(getattr(self, name)))
        object.__setattr__(self, "languages", _languages(self.languages))

    @property
    def display_name(self) -> str:
        return self.name.strip() or self.id

    @property
    def organisation_label(self) -> str:
        """The organisation as shown to people: its name, else its key."""
        return self.organisation_name.strip() or self.organisation.strip()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Peer:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        return cls(**kwargs)


def _id_sets(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(i) for i in s) for s in value)


@dataclass(frozen=True)
class Constraints:
    """Hard constraints. They are never broken when they can all be met together.

    * ``one_per_organisation``: at most one peer of an organisation in a group (peers with an
      empty organisation are not constrained). Off for the organisation strategy.
    * ``max_per_country``: at most this many peers of one country in a group (None: no limit).
    * ``common_language``: the members of a group share at least one working language. Peers
      who gave no language, and the peers in ``language_exempt``, are not constrained by it
      (the report names them).
    * ``keep_together``: each set of peer ids must be in one group.
    * ``keep_apart``: the peers of each set must all be in different groups.
    * ``locked``: peer id -> group label. The group with that label keeps those peers.
    * ``closed``: labels of locked groups that take nobody else: such a group has exactly its
      locked peers, whatever the size bounds (a pair, or a smaller or larger group).

    When two constraints conflict, the order of precedence is: locked, keep-together,
    keep-apart, then the limits on groups (common language, one per organisation, country
    limit), which the search weighs equally. The report says what was given up.
    """

    one_per_organisation: bool = True
    max_per_country: int | None = None
    keep_together: tuple[tuple[str, ...], ...] = ()
    keep_apart: tuple[tuple[str, ...], ...] = ()
    locked: Mapping[str, str] = field(default_factory=dict)
    common_language: bool = True
    language_exempt: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "keep_together", _id_sets(self.keep_together))
        object.__setattr__(self, "keep_apart", _id_sets(self.keep_apart))
        object.__setattr__(self, "locked", {str(k): str(v) for k, v in self.locked.items()})
        object.__setattr__(
            self, "language_exempt", tuple(dict.fromkeys(str(i) for i in self.language_exempt))
        )
        object.__setattr__(self, "closed", tuple(dict.fromkeys(str(c) for c in self.closed)))
        if self.max_per_country is not None and self.max_per_country < 1:
            raise ValueError("max_per_country must be at least 1.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "one_per_organisation": self.one_per_organisation,
            "max_per_country": self.max_per_country,
            "keep_together": [list(s) for s in self.keep_together],
            "keep_apart": [list(s) for s in self.keep_apart],
            "locked": dict(self.locked),
            "common_language": self.common_language,
            "language_exempt": list(self.language_exempt),
            "closed": list(self.closed),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Constraints:
        return cls(
            one_per_organisation=bool(data.get("one_per_organisation", True)),
            max_per_country=data.get("max_per_country"),
            keep_together=tuple(tuple(s) for s in data.get("keep_together", ())),
            keep_apart=tuple(tuple(s) for s in data.get("keep_apart", ())),
            locked=dict(data.get("locked", {})),
            common_language=bool(data.get("common_language", True)),
            language_exempt=tuple(data.get("language_exempt", ())),
            closed=tuple(data.get("closed", ())),
        )


@dataclass(frozen=True)
class Options:
    """How to group.

    * ``strategy``: "problem" (default), "role", "task", "context", "hybrid" or
      "organisation" (groups drawn from one organisation; one per organisation is turned off).
    * ``weights``: for "hybrid", a weight >= 0 per component ("problem", "role", "task",
      "context", "goals"); at least one must be > 0.
    * ``balance``: balancing rules, factor -> "mix", "same" or "off", for the factors
      "stage", "influence", "career_level" and "education" (default: mix stages and mix
      influence; ``{}`` turns every rule off). ``balance_weight`` (default 0.25) is what one
      pair of members that follows a rule adds to the group score (a shared theme adds 1).
    * ``min_size`` / ``max_size``: group size bounds (default 5 to 6).
    * ``pairs``: groups of exactly two; with an odd number of peers one group has three.
      When True, ``min_size`` and ``max_size`` are ignored.
    * ``group_count``: force the number of groups (default: the fewest groups that fit the
      size bounds and the organisation, country, keep-apart and language limits).
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
    balance: Mapping[str, str] | None = None
    balance_weight: float = DEFAULT_BALANCE_WEIGHT

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
            if any(float(v) < 0 for v in self.weights.values()):
                raise ValueError("Hybrid weights must be zero or more.")
            if not any(float(v) > 0 for v in self.weights.values()):
                raise ValueError("At least one hybrid weight must be more than zero.")
            object.__setattr__(
                self,
                "weights",
                {k: float(self.weights[k]) for k in COMPONENTS if k in self.weights},
            )
        if self.strategy == "organisation" and self.constraints.one_per_organisation:
            object.__setattr__(
                self, "constraints", replace(self.constraints, one_per_organisation=False)
            )
        balance = dict(DEFAULT_BALANCE if self.balance is None else self.balance)
        unknown = sorted(k for k in balance if k not in BALANCE_FACTORS)
        if unknown:
            raise ValueError(
                f"Unknown balancing factors: {', '.join(unknown)}. "
                f"Use: {', '.join(BALANCE_FACTORS)}."
            )
        bad = sorted(k for k, v in balance.items() if v not in BALANCE_MODES)
        if bad:
            raise ValueError(
                f"Balancing rules are {', '.join(BALANCE_MODES)}; check: {', '.join(bad)}."
            )
        object.__setattr__(self, "balance", {k: str(balance[k]) for k in sorted(balance)})
        if self.balance_weight < 0:
            raise ValueError("balance_weight must be zero or more.")
        if not self.pairs:
            if self.min_size < 1:
                raise ValueError("min_size must be at least 1.")
            if self.max_size < self.min_size:
                raise ValueError("max_size must be at least min_size.")
        if self.group_count is not None and self.group_count < 1:
            raise ValueError("group_count must be at least 1.")
        if self.effort < 0:
            raise ValueError("effort must be zero or more.")

    @property
    def size_bounds(self) -> tuple[int, int]:
        return (2, 2) if self.pairs else (self.min_size, self.max_size)

    def component_weights(self) -> dict[str, float]:
        """The weight of each component strategy (a single strategy has weight 1)."""
        if self.strategy == "hybrid":
            assert self.weights is not None
            return {k: float(v) for k, v in self.weights.items() if float(v) > 0}
        if self.strategy == "organisation":
            return dict(ORGANISATION_WEIGHTS)
        return {self.strategy: 1.0}

    def balance_rules(self) -> dict[str, str]:
        """The balancing rules that are on (factor -> "mix" or "same"), when the weight > 0."""
        if self.balance_weight <= 0:
            return {}
        assert self.balance is not None
        return {k: v for k, v in self.balance.items() if v != "off"}

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
            "balance": dict(self.balance or {}),
            "balance_weight": self.balance_weight,
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
            balance=data.get("balance"),
            balance_weight=float(data.get("balance_weight", DEFAULT_BALANCE_WEIGHT)),
        )
