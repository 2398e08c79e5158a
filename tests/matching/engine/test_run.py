"""run(): determinism, sizes, constraints, isolation, pairs, explanations, warnings."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import (
    CONTEXT_WARNING,
    TASK_WARNING,
    Constraints,
    Options,
    Peer,
    run,
)
from matching.engine.synthetic import experiment1_peers, make_peers

from .helpers import (
    assert_sizes,
    distinct_orgs,
    groups_of,
    independent_violations,
    org_duplicates,
    org_instance,
    planted_instance,
    size_feasible,
)

REPO = Path(__file__).resolve().parents[3]
FAST = 0.05  # effort for property tests: construction plus a short search


# ---------------------------------------------------------------- determinism


def test_same_seed_same_result() -> None:
    peers = make_peers(80, seed=3)
    a = run(peers, Options(seed=11, effort=0.3)).to_dict()
    b = run(peers, Options(seed=11, effort=0.3)).to_dict()
    a.pop("stats")
    b.pop("stats")
    assert a == b


def test_result_is_json_serialisable() -> None:
    result = run(make_peers(30, seed=1), Options(strategy="role", effort=0.2))
    text = json.dumps(result.to_dict())
    back = json.loads(text)
    assert back["strategy"] == "role"
    assert len(back["groups"]) == len(result.groups)
    assert back["groups"][0]["explanation"]["text"]


def test_same_seed_same_result_across_processes() -> None:
    """Hash randomisation of strings must not change the result."""
    script = (
        "import json, sys\n"
        "from matching.engine import run, Options\n"
        "from matching.engine.synthetic import make_peers\n"
        "r = run(make_peers(60, seed=5), Options(seed=2, effort=0.3))\n"
        "print(json.dumps(r.assignment(), sort_keys=True))\n"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO)}
        out = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(out.stdout)
    assert len(outputs) == 1


# ---------------------------------------------------------------- sizes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(min_value=2, max_value=200), seed=st.integers(0, 10_000))
def test_size_bounds_default(n: int, seed: int) -> None:
    peers = distinct_orgs(make_peers(n, seed=seed))
    result = run(peers, Options(seed=seed, effort=FAST))
    if size_feasible(n, 5, 6):
        assert_sizes(result, n, 5, 6)
        assert not result.report.about("size")
    else:
        # Reported, in words, and every peer is still placed.
        assert sum(g.size for g in result.groups) == n
        issues = result.report.about("size")
        assert issues and issues[0].kind == "infeasible"
        assert "peers" in issues[0].message


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=2, max_value=120),
    lo=st.integers(min_value=2, max_value=7),
    extra=st.integers(min_value=0, max_value=3),
    seed=st.integers(0, 1000),
)
def test_size_bounds_any(n: int, lo: int, extra: int, seed: int) -> None:
    hi = lo + extra
    peers = distinct_orgs(make_peers(n, seed=seed))
    result = run(peers, Options(min_size=lo, max_size=hi, seed=seed, effort=FAST))
    assert sum(g.size for g in result.groups) == n
    if size_feasible(n, lo, hi):
        assert_sizes(result, n, lo, hi)
        assert result.report.all_met


def test_infeasible_size_is_explained() -> None:
    result = run(make_peers(7, seed=1), Options())
    (issue,) = result.report.about("size")[:1]
    assert "7 peers" in issue.message and "5 to 6" in issue.message
    small = run(make_peers(3, seed=1), Options())
    assert len(small.groups) == 1
    assert "fewer than the minimum group size of 5" in small.report.text


def test_group_count_option() -> None:
    result = run(make_peers(55, seed=2), Options(group_count=11))
    assert len(result.groups) == 11
    assert_sizes(result, 55, 5, 5)


# ---------------------------------------------------------------- pairs


@pytest.mark.parametrize("n", [2, 3, 10, 11, 37])
def test_pairs_mode(n: int) -> None:
    peers = distinct_orgs(make_peers(n, seed=n))
    result = run(peers, Options(pairs=True, effort=0.3))
    sizes = sorted(g.size for g in result.groups)
    if n % 2 == 0:
        assert sizes == [2] * (n // 2)
        assert not result.report.about("pairs")
    else:
        assert sizes == [2] * (n // 2 - 1) + [3]
        (note,) = result.report.about("pairs")
        assert note.kind == "note" and "one group has three peers" in note.message.lower()
    assert result.report.all_met


# ---------------------------------------------------------------- organisation


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=10, max_value=150),
    n_orgs=st.integers(min_value=2, max_value=60),
    seed=st.integers(0, 1000),
)
def test_organisation_never_broken_when_feasible(n: int, n_orgs: int, seed: int) -> None:
    peers = org_instance(n, seed, n_orgs)
    options = Options(seed=seed, effort=FAST)
    result = run(peers, options)
    biggest = max(sum(1 for p in peers if p.organisation == q.organisation) for q in peers)
    most_groups = n // 5
    if size_feasible(n, 5, 6) and biggest <= most_groups:
        assert org_duplicates(result, peers) == 0
        assert result.report.all_met
        assert_sizes(result, n, 5, 6)
    else:
        assert not result.report.all_met or not size_feasible(n, 5, 6)
    # The report agrees with an independent check.
    assert len(result.report.violations) == len(independent_violations(result, peers, options))


def test_organisation_infeasible_is_reported() -> None:
    peers = [
        Peer(
            id=f"p{i}",
            organisation="Ministry of Finance" if i < 4 else f"O{i}",
            themes=("a", "b", "c"),
        )
        for i in range(12)
    ]  # 12 peers -> 2 groups, but 4 from one ministry
    result = run(peers, Options())
    infeasible = [i for i in result.report.infeasible if i.constraint == "organisation"]
    assert len(infeasible) == 1
    assert "Ministry of Finance" in infeasible[0].message
    assert "4 peers" in infeasible[0].message and "2 groups" in infeasible[0].message
    assert set(infeasible[0].peers) == {"p0", "p1", "p2", "p3"}
    violations = result.report.about("organisation")
    assert any(v.kind == "violation" and v.unavoidable for v in violations)
    # Even so, the ministry is spread as evenly as possible: two per group.
    for g in result.groups:
        assert sum(1 for m in g.members if m in {"p0", "p1", "p2", "p3"}) == 2


def test_more_groups_to_meet_organisation_limit() -> None:
    # 55 peers, 11 from one organisation: 10 groups cannot work, 11 groups of five can.
    peers = distinct_orgs(make_peers(55, seed=4))
    peers = [
        Peer(**{**p.to_dict(), "organisation": "Big ministry"}) if i % 5 == 0 else p
        for i, p in enumerate(peers)
    ]
    result = run(peers, Options())
    assert len(result.groups) == 11
    assert org_duplicates(result, peers) == 0
    assert result.report.about("group_count")


def test_country_limit() -> None:
    peers = distinct_orgs(make_peers(60, seed=8, n_countries=4))
    options = Options(constraints=Constraints(max_per_country=2))
    result = run(peers, options)
    by_id = {p.id: p for p in peers}
    for g in result.groups:
        countries = [by_id[m].country for m in g.members]
        assert max(countries.count(c) for c in countries) <= 2
    assert result.report.all_met


# ---------------------------------------------------------------- keep together / apart / locks


def test_keep_together_and_apart() -> None:
    peers = distinct_orgs(make_peers(40, seed=9))
    ids = [p.id for p in peers]
    together = ((ids[0], ids[17], ids[33]), (ids[5], ids[6]))
    apart = ((ids[0], ids[1], ids[2], ids[3]), (ids[5], ids[30]))
    options = Options(constraints=Constraints(keep_together=together, keep_apart=apart))
    result = run(peers, options)
    where = result.assignment()
    assert where[ids[0]] == where[ids[17]] == where[ids[33]]
    assert where[ids[5]] == where[ids[6]]
    assert len({where[i] for i in (ids[0], ids[1], ids[2], ids[3])}) == 4
    assert where[ids[5]] != where[ids[30]]
    assert result.report.all_met
    assert not independent_violations(result, peers, options)


def test_keep_together_too_large_is_split_and_reported() -> None:
    peers = distinct_orgs(make_peers(30, seed=1))
    big = tuple(p.id for p in peers[:8])
    result = run(peers, Options(constraints=Constraints(keep_together=(big,))))
    (issue,) = [i for i in result.report.infeasible if i.constraint == "keep_together"]
    assert "8 peers must be kept together" in issue.message and "maximum group size is 6" in (
        issue.message
    )
    assert_sizes(result, 30, 5, 6)
    where = result.assignment()
    assert len({where[p] for p in big}) == 2


def test_conflicting_constraints_are_reported() -> None:
    peers = distinct_orgs(make_peers(20, seed=2))
    a, b, c = peers[0].id, peers[1].id, peers[2].id
    options = Options(
        constraints=Constraints(
            keep_together=((a, b),), keep_apart=((a, b),), locked={a: "X", c: "Y"}
        )
    )
    result = run(peers, options)
    assert result.group_of(a) == result.group_of(b) == "X"
    assert result.group_of(c) == "Y"
    apart = [i for i in result.report.infeasible if i.constraint == "keep_apart"]
    assert apart and "kept together" in apart[0].message
    assert all(v.unavoidable for v in result.report.violations)


def test_unknown_ids_are_noted() -> None:
    peers = make_peers(12, seed=2)
    options = Options(constraints=Constraints(keep_apart=(("nobody", peers[0].id),)), effort=0)
    result = run(peers, options)
    notes = result.report.about("unknown_peer")
    assert notes and '"nobody"' in notes[0].message


def test_locked_assignments_respected() -> None:
    peers = distinct_orgs(make_peers(50, seed=12))
    ids = [p.id for p in peers]
    locked = {ids[3]: "Alpha", ids[40]: "Alpha", ids[7]: "Beta", ids[8]: "Gamma"}
    options = Options(constraints=Constraints(locked=locked))
    result = run(peers, options)
    labels = {g.label: g for g in result.groups}
    assert {"Alpha", "Beta", "Gamma"} <= set(labels)
    for pid, label in locked.items():
        assert pid in labels[label].members
    assert set(labels["Alpha"].locked) == {ids[3], ids[40]}
    assert "locked" in labels["Alpha"].explanation.codes
    assert result.report.all_met
    assert_sizes(result, 50, 5, 6)
    # Other labels are generated and do not collide.
    assert len(labels) == len(result.groups)


def test_locked_group_larger_than_max_keeps_its_peers() -> None:
    peers = distinct_orgs(make_peers(30, seed=12))
    locked = {p.id: "Big" for p in peers[:7]}
    result = run(peers, Options(constraints=Constraints(locked=locked)))
    big = next(g for g in result.groups if g.label == "Big")
    assert set(locked) <= set(big.members)
    assert any(i.constraint == "size" for i in result.report.infeasible)


# ---------------------------------------------------------------- isolation


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_groups=st.integers(min_value=2, max_value=9),
    fives=st.integers(min_value=0, max_value=2),
    seed=st.integers(0, 10_000),
)
def test_no_isolated_peer_when_achievable(n_groups: int, fives: int, seed: int) -> None:
    peers, _planted = planted_instance(n_groups, seed, fives=min(fives, n_groups - 1))
    result = run(peers, Options(seed=seed, effort=0.3))
    assert result.isolated == ()
    assert result.theme_isolated == ()
    assert result.report.all_met


def test_isolation_counted_when_unavoidable() -> None:
    peers = [Peer(id=f"p{i}", organisation=f"O{i}", themes=("shared",)) for i in range(5)]
    peers.append(Peer(id="loner", organisation="O9", themes=("nobody else has this",)))
    result = run(peers, Options())
    assert result.isolated == ("loner",)
    (note,) = result.report.about("isolation")
    assert note.kind == "note" and note.peers == ("loner",) and result.report.all_met
    group = result.groups[0]
    assert "isolated_member" in group.explanation.codes
    assert "shares no theme" in group.explanation.text


def test_isolation_beats_sharing() -> None:
    """One isolated peer costs more than any amount of extra sharing."""
    peers, _ = planted_instance(4, seed=5, noise=1)
    rich = [
        Peer(**{**p.to_dict(), "themes": (*p.themes, "Popular")}) if i % 2 else p
        for i, p in enumerate(peers)
    ]
    result = run(rich, Options(effort=0.3))
    assert result.isolated == ()


# ---------------------------------------------------------------- explanations


def test_explanations_name_the_shared_themes() -> None:
    peers = make_peers(60, seed=21)
    by_id = {p.id: p for p in peers}
    result = run(peers, Options())
    for group in result.groups:
        members = [by_id[m] for m in group.members]
        for theme, holders in group.shared_themes.items():
            actual = {p.id for p in members if theme.casefold() in {t.casefold() for t in p.themes}}
            assert set(holders) == actual and len(actual) >= 2
            assert f'"{theme}"' in group.explanation.text
        reasons = [r for r in group.explanation.reasons if r.code == "shared_theme"]
        for reason in reasons:
            theme = reason.params["theme"]
            names = set(reason.params["members"])
            assert names == {by_id[i].display_name for i in group.shared_themes[theme]}
        # Diversity is explained as well.
        assert "countries" in group.explanation.codes or "one_country" in group.explanation.codes


def test_role_strategy_mixes_seniority_within_role() -> None:
    roles = ["Budget", "Audit", "Health"]
    seniority = ["Junior", "Mid-level", "Senior", "Executive", "Junior", "Senior"]
    peers = [
        Peer(
            id=f"{r}{k}",
            role=r,
            seniority=seniority[k],
            organisation=f"{r} org {k}",
            themes=(f"t{k}",),
        )
        for r in roles
        for k in range(6)
    ]
    result = run(peers, Options(strategy="role", min_size=6, max_size=6))
    for group in result.groups:
        assert len({m[:-1] for m in group.members}) == 1  # one role domain per group
        assert "same_role_all" in group.explanation.codes
        assert "seniority_mix" in group.explanation.codes
    assert result.score == pytest.approx(sum(g.score for g in result.groups) / result.upper_bound)


# ---------------------------------------------------------------- warnings


def test_task_strategy_warns_with_experiment_1() -> None:
    result = run(make_peers(20, seed=1), Options(strategy="task", effort=0))
    assert TASK_WARNING in result.warnings
    assert "least effective" in TASK_WARNING and "Experiment" not in TASK_WARNING
    hybrid = run(
        make_peers(20, seed=1),
        Options(strategy="hybrid", weights={"problem": 1, "task": 0.5}, effort=0),
    )
    assert TASK_WARNING in hybrid.warnings


def test_context_strategy_warns() -> None:
    result = run(make_peers(20, seed=1), Options(strategy="context", effort=0))
    assert CONTEXT_WARNING in result.warnings
    assert "untested" in CONTEXT_WARNING


def test_problem_strategy_has_no_warning() -> None:
    assert run(make_peers(20, seed=1), Options(effort=0)).warnings == ()


# ---------------------------------------------------------------- Experiment 1


def test_experiment_1_like_instance() -> None:
    peers = experiment1_peers()
    assert len(peers) == 55
    assert len({p.country for p in peers}) >= 30
    assert len({t for p in peers for t in p.themes}) == 8
    assert all(len(p.themes) >= 3 for p in peers)
    result = run(peers)
    assert len(result.groups) == 10
    assert_sizes(result, 55, 5, 6)
    assert result.isolated == ()
    assert result.theme_isolated == ()
    assert result.report.all_met
    assert org_duplicates(result, peers) == 0
    for group in result.groups:
        assert group.shared_themes
        # Groups form around a shared problem: some theme is held by most members.
        top = max(len(v) for v in group.shared_themes.values())
        assert top >= group.size - 1
    assert 0.0 < result.score <= 1.0
    assert result.stats["theme_coverage"] > 0.85


def test_search_improves_on_construction() -> None:
    peers = make_peers(120, seed=2)
    greedy = run(peers, Options(effort=0))
    searched = run(peers, Options())
    assert (len(searched.isolated), -searched.total) <= (len(greedy.isolated), -greedy.total)
    assert searched.total > greedy.total


# ---------------------------------------------------------------- progress, edge cases


def test_progress_callback() -> None:
    seen: list[float] = []
    run(make_peers(150, seed=3), Options(), progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert len(seen) >= 5
    assert all(a <= b for a, b in itertools.pairwise(seen))


def test_tiny_inputs() -> None:
    assert run([]).groups == ()
    one = run([Peer(id="a", themes=("x",))])
    assert [g.members for g in one.groups] == [("a",)]
    assert not one.report.all_met or one.report.infeasible
    two = run([Peer(id="a", themes=("x",)), Peer(id="b", themes=("x",))], Options(pairs=True))
    assert [g.members for g in two.groups] == [("a", "b")]
    assert two.report.all_met


def test_duplicate_ids_rejected() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        run([Peer(id="a"), Peer(id="a")])


def test_options_validation() -> None:
    with pytest.raises(ValueError):
        Options(strategy="popularity")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Options(strategy="hybrid")
    with pytest.raises(ValueError):
        Options(strategy="hybrid", weights={"problem": -1})
    with pytest.raises(ValueError):
        Options(min_size=6, max_size=5)
    options = Options(
        strategy="hybrid",
        weights={"problem": 1, "role": 0.5},
        constraints=Constraints(keep_apart=(("a", "b"),), locked={"a": "X"}),
    )
    assert Options.from_dict(json.loads(json.dumps(options.to_dict()))) == options


def test_groups_have_stable_labels() -> None:
    result = run(make_peers(40, seed=1), Options(effort=0.3))
    labels = [g.label for g in result.groups]
    assert labels == sorted(labels)
    assert labels[0] == "G01"
    # The first group holds the first peer (labels follow input order).
    assert "p00001" in result.groups[0].members
    assert groups_of(result) == groups_of(run(make_peers(40, seed=1), Options(effort=0.3)))


def test_everyone_locked_gives_exactly_the_locked_groups() -> None:
    """Rescoring a reviewed grouping: every peer locked where they are."""
    peers = [
        Peer(id=f"p{i}", organisation="Big" if i < 11 else f"O{i}", themes=("a", f"t{i % 3}"))
        for i in range(55)
    ]
    locked = {p.id: f"L{i % 10}" for i, p in enumerate(peers)}
    result = run(peers, Options(effort=0, constraints=Constraints(locked=locked)))
    assert sorted(g.label for g in result.groups) == sorted(set(locked.values()))
    assert all(g.size > 0 for g in result.groups)
    assert result.assignment() == locked
    assert any(v.unavoidable for v in result.report.about("organisation"))


def test_time_limit_stops_early_with_a_valid_grouping() -> None:
    peers = distinct_orgs(make_peers(400, seed=4))
    result = run(peers, Options(time_limit=0.01))
    assert result.stats["stopped_by_time"] == 1
    assert_sizes(result, 400, 5, 6)
    assert result.report.all_met
