"""Scores of groups and the result's group records, computed from the feature counters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .explain import explain_group, shared_themes
from .features import FeatureSpace, theme_keys
from .models import Group, Options, Peer
from .search import EPS


def feature_counts(fs: FeatureSpace, members: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for p in members:
        for f in fs.peer_features[p]:
            counts[f] = counts.get(f, 0) + 1
    return counts


def group_score(fs: FeatureSpace, members: Sequence[int]) -> tuple[float, float, list[int]]:
    """(score, normalised score, isolated members) of one group of peer indices."""
    counts = feature_counts(fs, members)
    score = 0.0
    ideal = 0.0
    size = len(members)
    for f, c in counts.items():
        w = fs.weight[f]
        score += w * c * (c - 1) / 2
        if w > 0:
            ideal += w * c * (size - 1) / 2
    isolated = [
        p
        for p in members
        if sum(fs.weight[f] * (counts[f] - 1) for f in fs.peer_features[p]) <= EPS
    ]
    normalised = score / ideal if ideal > EPS else 0.0
    return score, max(0.0, min(1.0, normalised)), isolated


def upper_bound(fs: FeatureSpace, n: int, max_group_size: int) -> float:
    """Sum over features f with weight > 0 of weight_f * N_f * min(S - 1, N_f - 1) / 2."""
    counts = [0] * fs.size
    for feats in fs.peer_features:
        for f in feats:
            counts[f] += 1
    bound = 0.0
    for f, c in enumerate(counts):
        w = fs.weight[f]
        if w > 0 and c > 1:
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
