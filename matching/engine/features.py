"""Pair affinity of each strategy and balancing rule, and its form as weighted shared features.

Every strategy's affinity, and every balancing rule, can be written as ``w(i, j) = sum of
weight[f] over the features f that peers i and j both have``. The search keeps, per group, a
counter of how many members have each feature, which makes the score of a group
``sum_f weight[f] * C(count_f, 2)`` and the change of a move cheap to compute.
``pair_affinity`` computes the same affinity directly from the definitions; the tests check
that both agree.

Balancing features are marked (``FeatureSpace.balance``): they count in the objective but not
in isolation (a member who only differs in stage from the others still shares nothing with
them) nor in the normalised scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .models import Options, Peer


def norm(text: str) -> str:
    """Comparison key: case-folded, with runs of white space collapsed."""
    return " ".join(text.split()).casefold()


def theme_keys(peer: Peer) -> tuple[str, ...]:
    return tuple(dict.fromkeys(norm(t) for t in peer.themes if norm(t)))


def goal_keys(peer: Peer) -> tuple[str, ...]:
    return tuple(dict.fromkeys(norm(t) for t in peer.goals if norm(t)))


def context_keys(peer: Peer) -> tuple[str, ...]:
    """Context tags of a peer; the country and the professional affiliation count as one more
    tag each."""
    keys = [norm(t) for t in peer.context if norm(t)]
    if norm(peer.country):
        keys.append("country:" + norm(peer.country))
    if norm(peer.affiliation):
        keys.append("affiliation:" + norm(peer.affiliation))
    return tuple(dict.fromkeys(keys))


def balance_affinity(a: Peer, b: Peer, rules: Mapping[str, str], weight: float) -> float:
    """The balancing part of w(a, b): ``weight`` for each rule the pair follows ("mix": both
    gave the factor and differ; "same": both gave it and agree)."""
    total = 0.0
    for factor, mode in rules.items():
        x, y = norm(str(getattr(a, factor))), norm(str(getattr(b, factor)))
        if not x or not y or mode == "off":
            continue
        if (mode == "mix" and x != y) or (mode == "same" and x == y):
            total += weight
    return total


def pair_affinity(
    a: Peer,
    b: Peer,
    weights: Mapping[str, float],
    *,
    balance: Mapping[str, str] | None = None,
    balance_weight: float = 0.0,
) -> float:
    """w(a, b) from the definitions in the package docstring (reference implementation)."""
    total = 0.0
    if balance and balance_weight > 0:
        total += balance_affinity(a, b, balance, balance_weight)
    if weights.get("problem", 0.0) > 0:
        total += weights["problem"] * len(set(theme_keys(a)) & set(theme_keys(b)))
    if weights.get("goals", 0.0) > 0:
        total += weights["goals"] * len(set(goal_keys(a)) & set(goal_keys(b)))
    if (
        weights.get("organisation", 0.0) > 0
        and norm(a.organisation)
        and norm(a.organisation) == norm(b.organisation)
    ):
        total += weights["organisation"]
    if weights.get("country", 0.0) > 0 and norm(a.country) and norm(a.country) == norm(b.country):
        total += weights["country"]
    if (
        weights.get("task", 0.0) > 0
        and norm(a.task_area)
        and norm(a.task_area) == norm(b.task_area)
    ):
        total += weights["task"]
    if weights.get("context", 0.0) > 0:
        total += weights["context"] * len(set(context_keys(a)) & set(context_keys(b)))
    if weights.get("role", 0.0) > 0 and norm(a.role) and norm(a.role) == norm(b.role):
        same_seniority = norm(a.seniority) == norm(b.seniority)
        total += weights["role"] * (1.0 if same_seniority else 2.0)
    return total


@dataclass(frozen=True)
class FeatureSpace:
    """Features of all peers for one strategy.

    ``weight[f]`` may be negative (the role strategy uses -1 on "same role and same
    seniority" to turn 2 into 1), but every pair affinity is >= 0.
    """

    weight: list[float]
    kind: list[str]
    label: list[str]
    peer_features: list[tuple[int, ...]]
    balance: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.balance) != len(self.weight):
            self.balance[:] = [False] * len(self.weight)

    @property
    def size(self) -> int:
        return len(self.weight)

    @property
    def iso_weight(self) -> list[float]:
        """The weights that count for isolation: balancing features count 0."""
        return [0.0 if b else w for w, b in zip(self.weight, self.balance, strict=True)]


def features_for(peers: Sequence[Peer], options: Options) -> FeatureSpace:
    """The feature space of the options' strategy and balancing rules."""
    return build_features(
        peers,
        options.component_weights(),
        balance=options.balance_rules(),
        balance_weight=options.balance_weight,
    )


def build_features(
    peers: Sequence[Peer],
    weights: Mapping[str, float],
    *,
    balance: Mapping[str, str] | None = None,
    balance_weight: float = 0.0,
) -> FeatureSpace:
    index: dict[tuple[str, str], int] = {}
    weight: list[float] = []
    kind: list[str] = []
    label: list[str] = []
    is_balance: list[bool] = []

    def feature(k: str, key: str, shown: str, w: float, bal: bool = False) -> int:
        fid = index.get((k, key))
        if fid is None:
            fid = len(weight)
            index[(k, key)] = fid
            weight.append(w)
            kind.append(k)
            label.append(shown)
            is_balance.append(bal)
        return fid

    lp = float(weights.get("problem", 0.0))
    lt = float(weights.get("task", 0.0))
    lc = float(weights.get("context", 0.0))
    lr = float(weights.get("role", 0.0))
    lg = float(weights.get("goals", 0.0))
    lo = float(weights.get("organisation", 0.0))
    lk = float(weights.get("country", 0.0))
    rules = {k: v for k, v in (balance or {}).items() if v in ("mix", "same")}
    lb = float(balance_weight) if rules else 0.0
    per_peer: list[tuple[int, ...]] = []
    for peer in peers:
        fs: list[int] = []
        if lp > 0:
            for t in peer.themes:
                if norm(t):
                    fs.append(feature("theme", norm(t), t, lp))
        if lg > 0:
            for t in peer.goals:
                if norm(t):
                    fs.append(feature("goal", norm(t), t, lg))
        if lo > 0 and norm(peer.organisation):
            fs.append(feature("organisation", norm(peer.organisation), peer.organisation_label, lo))
        if lk > 0 and norm(peer.country):
            fs.append(feature("same_country", norm(peer.country), peer.country.strip(), lk))
        if lt > 0 and norm(peer.task_area):
            fs.append(feature("task", norm(peer.task_area), peer.task_area.strip(), lt))
        if lc > 0:
            for t in peer.context:
                if norm(t):
                    fs.append(feature("context", norm(t), t, lc))
            if norm(peer.country):
                fs.append(feature("country", norm(peer.country), peer.country.strip(), lc))
            if norm(peer.affiliation):
                fs.append(
                    feature("affiliation", norm(peer.affiliation), peer.affiliation.strip(), lc)
                )
        if lr > 0 and norm(peer.role):
            role = norm(peer.role)
            fs.append(feature("role", role, peer.role.strip(), 2.0 * lr))
            fs.append(
                feature(
                    "role_seniority",
                    role + "\x00" + norm(peer.seniority),
                    f"{peer.role.strip()} / {peer.seniority.strip()}",
                    -lr,
                )
            )
        if lb > 0:
            for factor, mode in rules.items():
                raw = str(getattr(peer, factor)).strip()
                if not norm(raw):
                    continue
                if mode == "mix":
                    # w = lb - lb * [same value]: lb for each pair that differs.
                    fs.append(feature("balance_any", factor, factor, lb, True))
                    fs.append(feature("balance", factor + "\x00" + norm(raw), raw, -lb, True))
                else:
                    fs.append(feature("balance", factor + "\x00" + norm(raw), raw, lb, True))
        per_peer.append(tuple(dict.fromkeys(fs)))
    return FeatureSpace(
        weight=weight, kind=kind, label=label, peer_features=per_peer, balance=is_balance
    )


TASK_WARNING = (
    "Matching by task or policy area was the least effective strategy when it was tried "
    "with 55 peers from over 30 countries in ten groups. "
    "Peers in task groups got stuck on their own experiences. "
    "They found little common ground and their discussions were often divisive. "
    "Matching by shared problem worked best."
)
CONTEXT_WARNING = (
    "Matching by country or region context is an untested hypothesis: "
    "it has not been tried with groups of peers yet. "
    "Peers from similar contexts may face similar problems. "
    "Groups may still need common problems to learn well."
)
ROLE_NOTE = (
    "Groups matched by formal role have learned well through vertical mentoring. "
    "They learned best when members also shared problems. "
    "Consider a hybrid with the problem strategy."
)


def strategy_warnings(options: Options) -> tuple[str, ...]:
    """Warnings to show before a run with these options (task and context strategies)."""
    weights = options.component_weights()
    out: list[str] = []
    if weights.get("task", 0.0) > 0:
        out.append(TASK_WARNING)
    if weights.get("context", 0.0) > 0:
        out.append(CONTEXT_WARNING)
    return tuple(out)
