"""The organisation strategy, balancing rules (stage, influence, career level, education),
shared goals and the professional affiliation."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from matching.engine import (
    Constraints,
    Options,
    Peer,
    explain_group,
    group_score,
    pair_affinity,
    run,
)
from matching.engine.features import build_features, features_for

STAGES = ("Exploring", "Designing", "Piloting", "Scaling up", "Sustaining")


# ---------------------------------------------------------------- organisation strategy


def org_peers(sizes: dict[str, int]) -> list[Peer]:
    peers = []
    for org, count in sizes.items():
        for i in range(count):
            peers.append(
                Peer(
                    id=f"{org}-{i}",
                    name=f"{org} person {i}",
                    organisation=org.lower(),
                    organisation_name=f"{org} Agency",
                    country="Kenya" if org in ("A", "B", "S1", "S2") else "Peru",
                    themes=("Budgets", f"Theme {i % 3}"),
                )
            )
    return peers


def test_organisation_strategy_groups_colleagues_and_turns_the_rule_off() -> None:
    peers = org_peers({"A": 6, "B": 12, "C": 5})
    options = Options(strategy="organisation", effort=0.2)
    assert options.constraints.one_per_organisation is False
    result = run(peers, options)
    by_id = {p.id: p for p in peers}
    for group in result.groups:
        orgs = {by_id[m].organisation for m in group.members}
        assert len(orgs) == 1, group.members
        assert "same_organisation_all" in group.explanation.codes
        assert "Agency" in group.explanation.text
    assert result.report.all_met
    notes = {i.code for i in result.report.notes}
    assert "organisation_rule_off" in notes
    split = next(i for i in result.report.notes if i.code == "organisation_split")
    assert "B Agency has 12 peers" in split.message


def test_organisation_strategy_reports_small_and_uneven_organisations() -> None:
    peers = org_peers({"A": 7, "S1": 2, "S2": 3, "C": 6})
    result = run(peers, Options(strategy="organisation", effort=0.2))
    notes = {i.code: i for i in result.report.notes}
    assert (
        "organisation_uneven" in notes
        and "A Agency has 7 peers" in notes["organisation_uneven"].message
    )
    small = [i for i in result.report.notes if i.code == "organisation_too_few"]
    assert {i.params["organisation"] for i in small} == {"S1 Agency", "S2 Agency"}
    # The two small Kenyan organisations end up together (same country first).
    assert result.group_of("S1-0") == result.group_of("S2-0")
    by_id = {p.id: p for p in peers}
    c_groups = {result.group_of(p.id) for p in peers if p.organisation == "c"}
    assert len(c_groups) == 1
    label = c_groups.pop()
    group = next(g for g in result.groups if g.label == label)
    assert {by_id[m].organisation for m in group.members} == {"c"}


# ---------------------------------------------------------------- balancing rules


def staged(n: int, *, stage_of: dict[int, str] | None = None) -> list[Peer]:
    return [
        Peer(
            id=f"s{i}",
            organisation=f"o{i}",
            stage=(stage_of or {}).get(i, STAGES[i % 3]),
            influence=("high", "low")[i % 2],
            themes=("Budgets",),
        )
        for i in range(n)
    ]


def test_mixing_stages_spreads_them_and_same_stage_gathers_them() -> None:
    peers = staged(18)
    mixed = run(peers, Options(seed=1, effort=0.3, balance={"stage": "mix"}))
    same = run(peers, Options(seed=1, effort=0.3, balance={"stage": "same"}))
    by_id = {p.id: p for p in peers}

    def stages(result: object) -> list[int]:
        return [len({by_id[m].stage for m in g.members}) for g in result.groups]  # type: ignore[attr-defined]

    assert stages(mixed) == [3, 3, 3]  # six per group, two of each stage
    assert stages(same) == [1, 1, 1]
    reason = next(r for r in mixed.groups[0].explanation.reasons if r.code == "stage_mix")
    assert reason.params["count"] == 3
    assert "Those further along can help those starting." in reason.text
    assert "stage_same" in same.groups[0].explanation.codes


def test_balancing_counts_in_the_score_but_not_for_isolation() -> None:
    peers = [
        Peer(id="a", stage="Exploring", themes=("Budgets",)),
        Peer(id="b", stage="Piloting", themes=("Budgets",)),
        Peer(id="c", stage="Scaling up", themes=("Gardening",)),
    ]
    rules = {"stage": "mix"}
    fs = build_features(peers, {"problem": 1.0}, balance=rules, balance_weight=0.25)
    score, normalised, isolated = group_score(fs, [0, 1, 2])
    expected = sum(
        pair_affinity(x, y, {"problem": 1.0}, balance=rules, balance_weight=0.25)
        for x, y in itertools.combinations(peers, 2)
    )
    assert score == pytest.approx(expected) == pytest.approx(1 + 3 * 0.25)
    assert isolated == [2]  # c differs in stage from both but shares no theme
    # The balancing part is left out of the normalised score: the same as without the rule.
    plain = group_score(build_features(peers, {"problem": 1.0}), [0, 1, 2])
    assert normalised == pytest.approx(plain[1]) == pytest.approx(1 / 3)


def test_default_rules_and_validation() -> None:
    assert Options().balance == {"influence": "mix", "stage": "mix"}
    assert Options(balance={}).balance_rules() == {}
    assert Options(balance_weight=0).balance_rules() == {}
    with pytest.raises(ValueError, match="Unknown balancing factors: seniority"):
        Options(balance={"seniority": "mix"})
    with pytest.raises(ValueError, match="Balancing rules are mix, same, off"):
        Options(balance={"stage": "sometimes"})
    back = Options.from_dict(Options(balance={"education": "same"}).to_dict())
    assert back.balance == {"education": "same"}


def test_influence_and_career_reasons_are_explained() -> None:
    members = [
        Peer(id="a", influence="I decide on or lead the reform", career_level="Early career"),
        Peer(id="b", influence="I can suggest changes", career_level="Early career"),
    ]
    explanation = explain_group(members, Options(balance={"career_level": "same"}))
    assert "influence_mix" in explanation.codes
    assert "career_level_same" in explanation.codes
    assert "I decide on or lead the reform" in explanation.text


# ---------------------------------------------------------------- goals and affiliation


def test_shared_goals_are_a_hybrid_factor_and_explained() -> None:
    peers = [
        Peer(id=f"g{i}", organisation=f"o{i}", goals=(f"Goal {i % 2}",), themes=("T",))
        for i in range(12)
    ]
    result = run(peers, Options(strategy="hybrid", weights={"goals": 1.0}, effort=0.3))
    by_id = {p.id: p for p in peers}
    for group in result.groups:
        assert len({by_id[m].goals for m in group.members}) == 1
        reason = next(r for r in group.explanation.reasons if r.code == "goal_shared_by_all")
        assert reason.params["goal"] in ("Goal 0", "Goal 1")
    a, b = peers[0], peers[2]
    assert pair_affinity(a, b, {"goals": 2.0}) == 2.0
    fs = features_for(peers[:3], Options(strategy="hybrid", weights={"goals": 2.0}))
    assert group_score(fs, [0, 1, 2])[0] == 2.0


def test_affiliation_is_a_context_tag() -> None:
    a = Peer(id="a", affiliation="PEMPAL Budget CoP", country="Albania")
    b = Peer(id="b", affiliation="pempal budget cop", country="Kosovo")
    assert pair_affinity(a, b, {"context": 1.0}) == 1.0
    explanation = explain_group([a, b], Options(strategy="context"))
    reason = next(r for r in explanation.reasons if r.code == "shared_affiliation")
    assert reason.params["affiliation"] == "PEMPAL Budget CoP"


def test_stage_counts_do_not_change_runs_without_those_answers() -> None:
    """Peers who gave no stage or influence are not affected by the default rules."""
    plain = [Peer(id=f"p{i}", organisation=f"o{i}", themes=(f"T{i % 4}",)) for i in range(24)]
    a = run(plain, Options(seed=2, effort=0.2))
    b = run(plain, Options(seed=2, effort=0.2, balance={}))
    assert a.assignment() == b.assignment() and a.total == b.total
    assert "balance_total" not in a.stats
    counts = Counter(len(g.members) for g in a.groups)
    assert set(counts) <= {5, 6}
    assert Constraints().common_language
