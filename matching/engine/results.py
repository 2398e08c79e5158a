"""Dataclasses of the grouping engine's outputs: groups and their explanations, the constraint
report (issues, each with the choices a run page can offer), results of ``run`` and of the
incremental entry points, and the checks of a move or of a whole grouping.

Every text is English and built from a stable ``code`` and its ``params``, so that it can be
translated from the code and the params (names of peers, organisations and languages are in the
params; language params carry ISO 639-1 codes, with English names beside them for the text).
``to_dict()`` methods return JSON-serialisable dictionaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .models import Options

IssueKind = Literal["infeasible", "violation", "note"]


def _plain(value: Any) -> Any:
    """JSON-friendly copy: tuples as lists, mappings as dicts (recursively)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


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
        params = _plain(self.params)
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


CHOICE_KINDS: tuple[str, ...] = ("own_group", "pairs", "exempt", "turn_off", "sizes")


@dataclass(frozen=True)
class Choice:
    """A way out that a run page can offer for an issue, as data.

    * ``kind``: "own_group" (these peers form a group of their own, closed to anyone else,
      whatever its size: a smaller or a larger group), "pairs" (these peers are paired with
      speakers of their language, each pair a closed group), "exempt" (relax the common-language
      rule for these peers only), "turn_off" (turn a constraint off for the whole run) or
      "sizes" (allow one more, or one fewer, member per group).
    * ``changes``: what to change in the options, applied by ``apply_choice``: any of
      ``locked`` (peer id -> label, added), ``closed`` (labels, added), ``language_exempt``
      (peer ids, added), ``common_language`` / ``one_per_organisation`` (bool), ``min_size`` /
      ``max_size`` (int).
    * ``message``: one English sentence; ``code`` and ``params`` for translation.
    """

    kind: str
    code: str
    message: str
    peers: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    changes: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "message": self.message,
            "peers": list(self.peers),
            "params": _plain(self.params),
            "changes": _plain(self.changes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Choice:
        return cls(
            kind=str(data["kind"]),
            code=str(data.get("code", "")),
            message=str(data.get("message", "")),
            peers=tuple(data.get("peers", ())),
            params=dict(data.get("params", {})),
            changes=dict(data.get("changes", {})),
        )


@dataclass(frozen=True)
class ConstraintIssue:
    """One entry of the constraint report.

    * ``kind``: "infeasible" (the constraint cannot be met, found before grouping, with the
      reason), "violation" (a constraint broken in the result) or "note" (information, for
      example the odd group of three in pairs mode, or an unknown id that was ignored).
    * ``constraint``: "size", "organisation", "country", "language", "keep_together",
      "keep_apart", "locked", "pairs", "unknown_peer", "group_count", "assignment",
      "isolation" (a note naming the members who share nothing with their group),
      "organisation_groups" (notes of the organisation strategy).
    * ``code`` and ``params``: the precise case and its data (names, organisations, language
      codes, counts), for translation; ``message`` is the English sentence.
    * ``unavoidable``: for a violation, True when an "infeasible" entry explains it (an entry
      about the same constraint and peers, or one that lists the violation's constraint in
      ``params["constraints"]``, for example a clash of one organisation and one language).
    * ``choices``: what the run page can offer instead (see ``Choice``).
    """

    kind: IssueKind
    constraint: str
    message: str
    peers: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    unavoidable: bool = True
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "constraint": self.constraint,
            "code": self.code or self.constraint,
            "message": self.message,
            "peers": list(self.peers),
            "groups": list(self.groups),
            "unavoidable": self.unavoidable,
            "params": _plain(self.params),
            "choices": [c.to_dict() for c in self.choices],
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
    def choices(self) -> tuple[Choice, ...]:
        """Every choice offered by the issues, in order, without repeats."""
        seen: dict[str, Choice] = {}
        for issue in self.issues:
            for choice in issue.choices:
                seen.setdefault(repr(choice.to_dict()), choice)
        return tuple(seen.values())

    @property
    def text(self) -> str:
        if not self.issues:
            return "All constraints are met."
        return "\n".join(i.message for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        return {
            "all_met": self.all_met,
            "issues": [i.to_dict() for i in self.issues],
            "choices": [c.to_dict() for c in self.choices],
        }


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

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The choices of the constraint report (see ``Choice``)."""
        return self.report.choices

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


@dataclass(frozen=True)
class GroupingCheck:
    """The check of a proposed move (``check_move``) or of a grouping before it is published
    (``check_grouping``).

    ``issues`` are violations (what would be broken: sizes, organisation, country, common
    language, keep-together, keep-apart, locks, peers in no group) and notes (for example
    members who share no theme with their group); ``ok`` is True when there is no violation,
    so that the page can ask for an explicit confirmation otherwise. For a move, only what the
    move itself would break is listed, and ``peer``, ``from_group``, ``to_group`` say which
    move was checked.
    """

    issues: tuple[ConstraintIssue, ...] = ()
    unplaced: tuple[str, ...] = ()
    peer: str = ""
    from_group: str = ""
    to_group: str = ""

    @property
    def violations(self) -> tuple[ConstraintIssue, ...]:
        return tuple(i for i in self.issues if i.kind == "violation")

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def text(self) -> str:
        return "\n".join(i.message for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "issues": [i.to_dict() for i in self.issues],
            "unplaced": list(self.unplaced),
            "peer": self.peer,
            "from_group": self.from_group,
            "to_group": self.to_group,
        }
