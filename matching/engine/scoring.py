"""Scores of groups and the result's group records, computed from the feature counters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .explain import explain_group, shared_themes
from .features import FeatureSpace, theme_keys
from .models import Options, Peer
from .results import Group
from .search import EPS


def feature_counts(fs: FeatureSpace, members: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for p in members:
        for f in fs.peer_features[p]:
            counts[f] = counts.get(f, 0) + 1
    return counts


def group_score(fs: FeatureSpace, members: Sequence[int]) -> tuple[float, float, list[int]]:
    """(score, normalised score, isolated members) of one group of peer indices.

    The score includes the balancing rules; the normalised score and isolation do not."""
    counts = feature_counts(fs, members)
    score = 0.0
    affinity = 0.0
    ideal = 0.0
    size = len(members)
    balance = fs.balance
    for f, c in counts.items():
        w = fs.weight[f]
        part = w * c * (c - 1) / 2
        score += part
        if not balance[f]:
            affinity += part
            if w > 0:
                ideal += w * c * (size - 1) / 2
    iso_weight = fs.iso_weight
    isolated = [
        p
        for p in members
        if sum(iso_weight[f] * (counts[f] - 1) for f in fs.peer_features[p]) <= EPS
    ]
    normalised = affinity / ideal if ideal > EPS else 0.0
    return score, max(0.0, min(1.0, normalised)), isolated


def balance_score(fs: FeatureSpace, members: Sequence[int]) -> float:
    """The part of a group's score that comes from the balancing rules."""
    return sum(
        fs.weight[f] * c * (c - 1) / 2
        for f, c in feature_counts(fs, members).items()
        if fs.balance[f]
    )


def upper_bound(fs: FeatureSpace, n: int, max_group_size: int) -> float:
    """Sum over features f with weight > 0 (not balancing) of
    weight_f * N_f * min(S - 1, N_f - 1) / 2."""
    counts = [0] * fs.size
    for feats in fs.peer_features:
        for f in feats:
            counts[f] += 1
    bound = 0.0
    for f, c in enumerate(counts):
        w = fs.weight[f]
        if w > 0 and c > 1 and not fs.balance[f]:
            bound += w * c * min(max_group_size - 1, c - 1) / 2
    return bound


def make_group(
    label: str,
    members: Sequence[int],
    peers: Sequence[Peer],
    fs: FeatureSpace,
    options: Options,
    locked: Mapping[str, str],
) -> Group:
    score, normalised, isolated = group_score(fs, members)
    member_peers = [peers[p] for p in members]
    locked_here = tuple(peers[p].id for p in members if locked.get(peers[p].id) == label)
    return Group(
        label=label,
        members=tuple(p.id for p in member_peers),
        score=round(score, 9),
        normalised_score=round(normalised, 6),
        isolated=tuple(peers[p].id for p in isolated),
        shared_themes=shared_themes(member_peers),
        explanation=explain_group(member_peers, options, locked_here),
        locked=locked_here,
    )


def theme_coverage(member_lists: Sequence[Sequence[Peer]]) -> float:
    """Fraction of (peer, theme) pairs whose theme another member of the group also has."""
    held = shared = 0
    for members in member_lists:
        counts: dict[str, int] = {}
        for peer in members:
            for key in theme_keys(peer):
                counts[key] = counts.get(key, 0) + 1
        for peer in members:
            for key in theme_keys(peer):
                held += 1
                shared += counts[key] > 1
    return shared / held if held else 0.0


def shared_theme_pairs(member_lists: Sequence[Sequence[Peer]]) -> int:
    """Shared themes counted over pairs of members: sum over groups and themes of C(c, 2), c
    the number of members with the theme (the problem strategy's objective, whatever the
    strategy; used to compare runs)."""
    total = 0
    for members in member_lists:
        counts: dict[str, int] = {}
        for peer in members:
            for key in theme_keys(peer):
                counts[key] = counts.get(key, 0) + 1
        total += sum(c * (c - 1) // 2 for c in counts.values())
    return total
