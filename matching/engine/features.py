"""Pair affinity of each strategy, and its form as weighted shared features.

Every strategy's affinity can be written as ``w(i, j) = sum of weight[f] over the features f
that peers i and j both have``. The search keeps, per group, a counter of how many members
have each feature, which makes the score of a group ``sum_f weight[f] * C(count_f, 2)`` and
the change of a move cheap to compute. ``pair_affinity`` computes the same affinity directly
from the definitions; the tests check that both agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import Options, Peer


def norm(text: str) -> str:
    """Comparison key: case-folded, with runs of white space collapsed."""
    return " ".join(text.split()).casefold()


def theme_keys(peer: Peer) -> tuple[str, ...]:
    return tuple(dict.fromkeys(norm(t) for t in peer.themes if norm(t)))


def context_keys(peer: Peer) -> tuple[str, ...]:
    """Context tags of a peer; the country counts as one more tag."""
    keys = [norm(t) for t in peer.context if norm(t)]
    if norm(peer.country):
        keys.append("country:" + norm(peer.country))
    return tuple(dict.fromkeys(keys))


def pair_affinity(a: Peer, b: Peer, weights: Mapping[str, float]) -> float:
    """w(a, b) from the definitions in the package docstring (reference implementation)."""
    total = 0.0
    if weights.get("problem", 0.0) > 0:
        total += weights["problem"] * len(set(theme_keys(a)) & set(theme_keys(b)))
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

    @property
    def size(self) -> int:
        return len(self.weight)


def build_features(peers: Sequence[Peer], weights: Mapping[str, float]) -> FeatureSpace:
    index: dict[tuple[str, str], int] = {}
    weight: list[float] = []
    kind: list[str] = []
    label: list[str] = []

    def feature(k: str, key: str, shown: str, w: float) -> int:
        fid = index.get((k, key))
        if fid is None:
            fid = len(weight)
            index[(k, key)] = fid
            weight.append(w)
            kind.append(k)
            label.append(shown)
        return fid

    lp = float(weights.get("problem", 0.0))
    lt = float(weights.get("task", 0.0))
    lc = float(weights.get("context", 0.0))
    lr = float(weights.get("role", 0.0))
    per_peer: list[tuple[int, ...]] = []
    for peer in peers:
        fs: list[int] = []
        if lp > 0:
            for t in peer.themes:
                if norm(t):
                    fs.append(feature("theme", norm(t), t, lp))
        if lt > 0 and norm(peer.task_area):
            fs.append(feature("task", norm(peer.task_area), peer.task_area.strip(), lt))
        if lc > 0:
            for t in peer.context:
                if norm(t):
                    fs.append(feature("context", norm(t), t, lc))
            if norm(peer.country):
                fs.append(feature("country", norm(peer.country), peer.country.strip(), lc))
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
        per_peer.append(tuple(dict.fromkeys(fs)))
    return FeatureSpace(weight=weight, kind=kind, label=label, peer_features=per_peer)


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
