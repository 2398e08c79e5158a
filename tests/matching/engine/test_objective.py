"""The objective: feature counters agree with the pair-affinity definitions."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import (
    Options,
    Peer,
    check_groups,
    group_score,
    pair_affinity,
    run,
    upper_bound,
)
from matching.engine.features import build_features
from matching.engine.synthetic import make_peers

WEIGHTS = [
    {"problem": 1.0},
    {"role": 1.0},
    {"task": 1.0},
    {"context": 1.0},
    {"problem": 1.0, "role": 0.5, "task": 0.25, "context": 2.0},
    {"problem": 1.0, "goals": 0.5},
    {"organisation": 10.0, "country": 3.0, "problem": 1.0},
]
BALANCE = [
    {},
    {"stage": "mix", "influence": "mix"},
    {"stage": "same", "career_level": "mix", "education": "same"},
]


def with_factors(peers: list[Peer], seed: int) -> list[Peer]:
    """The peers with goals, stages, influence and affiliations drawn from small sets."""
    rng = random.Random(seed)
    return [
        Peer(
            **{
                **p.to_dict(),
                "goals": rng.sample(["Faster budgets", "Fewer arrears", "Open data"], 2),
                "stage": rng.choice(["Exploring", "Piloting", "Scaling up", ""]),
                "influence": rng.choice(["high", "low", ""]),
                "affiliation": rng.choice(["PEMPAL", "CABRI", ""]),
            }
        )
        for p in peers
    ]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 9),
    seed=st.integers(0, 10_000),
    weights=st.sampled_from(WEIGHTS),
    balance=st.sampled_from(BALANCE),
)
def test_group_score_equals_sum_of_pair_affinities(
    n: int, seed: int, weights: dict[str, float], balance: dict[str, str]
) -> None:
    peers = with_factors(make_peers(n, seed=seed, n_themes=6), seed)
    fs = build_features(peers, weights, balance=balance, balance_weight=0.25)
    score, normalised, isolated = group_score(fs, list(range(n)))
    expected = sum(
        pair_affinity(a, b, weights, balance=balance, balance_weight=0.25)
        for a, b in itertools.combinations(peers, 2)
    )
    assert score == pytest.approx(expected)
    assert 0.0 <= normalised <= 1.0
    for i, peer in enumerate(peers):
        alone = all(pair_affinity(peer, q, weights) == 0 for q in peers if q is not peer)
        assert (i in isolated) == alone


def test_role_affinity_definition() -> None:
    w = {"role": 1.0}
    junior = Peer(id="j", role="Budget office", seniority="Junior")
    senior = Peer(id="s", role=" budget  OFFICE", seniority="Senior")
    junior2 = Peer(id="j2", role="Budget office", seniority="junior")
    other = Peer(id="o", role="Audit", seniority="Senior")
    assert pair_affinity(junior, senior, w) == 2.0  # same domain, mixed seniority
    assert pair_affinity(junior, junior2, w) == 1.0  # same domain, same seniority
    assert pair_affinity(junior, other, w) == 0.0
    assert pair_affinity(Peer(id="x"), Peer(id="y"), w) == 0.0  # empty never matches


def test_context_counts_country_as_a_tag() -> None:
    a = Peer(id="a", country="Kenya", context=("East Africa", "Common law"))
    b = Peer(id="b", country="kenya", context=("east africa",))
    assert pair_affinity(a, b, {"context": 1.0}) == 2.0


def test_overall_score_is_normalised() -> None:
    peers = make_peers(40, seed=2)
    result = run(peers, Options(effort=0.2))
    fs = build_features(peers, {"problem": 1.0})
    assert result.upper_bound == pytest.approx(upper_bound(fs, 40, 6))
    assert result.score == pytest.approx(result.total / result.upper_bound, abs=1e-6)
    assert 0.0 < result.score <= 1.0
    # Identical theme sets reach 1.
    same = [Peer(id=f"p{i}", organisation=f"O{i}", themes=("a", "b")) for i in range(12)]
    assert run(same).score == 1.0


def test_check_groups_detects_breaches() -> None:
    """The independent checker used for reports and tests can fail."""
    peers = [Peer(id=f"p{i}", organisation="Same" if i < 2 else f"O{i}") for i in range(7)]
    issues = check_groups(peers, {"A": ["p0", "p1", "p2", "p3", "p4", "p5", "p6"]}, Options())
    kinds = sorted(i.constraint for i in issues)
    assert kinds == ["organisation", "size"]
    assert "Group A has 7 peers. The maximum is 6." in [i.message for i in issues]
