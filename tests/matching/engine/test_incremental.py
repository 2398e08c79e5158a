"""place_late_joiners and propose_replacement."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import (
    Constraints,
    Options,
    Peer,
    place_late_joiners,
    propose_replacement,
    run,
    write_groups_csv,
)
from matching.engine.synthetic import make_peers


def existing(n: int, seed: int) -> tuple[dict[str, list[Peer]], list[Peer]]:
    peers = make_peers(n, seed=seed, org_ratio=3.0)
    by_id = {p.id: p for p in peers}
    result = run(peers, Options(seed=seed, effort=0))
    return {g.label: [by_id[m] for m in g.members] for g in result.groups}, peers


def late(k: int, seed: int, prefix: str = "late") -> list[Peer]:
    return [
        Peer(**{**p.to_dict(), "id": f"{prefix}{i}", "organisation": f"Late org {prefix}{i}"})
        for i, p in enumerate(make_peers(k, seed=seed + 100))
    ]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(10, 80), k=st.integers(1, 15), seed=st.integers(0, 1000))
def test_placed_peers_never_move(n: int, k: int, seed: int) -> None:
    groups, _peers = existing(n, seed)
    newcomers = late(k, seed)
    result = place_late_joiners(groups, newcomers, Options())
    after = {g.label: g.members for g in result.groups}
    for label, members in groups.items():
        assert set(after[label]) >= {p.id for p in members}
        assert list(after[label][: len(members)]) == [p.id for p in members]
        assert len(after[label]) <= max(6, len(members))
    placed = set(result.placements)
    unplaced = {u.peer_id for u in result.unplaced}
    assert placed | unplaced == {p.id for p in newcomers}
    assert not placed & unplaced
    for pid, label in result.placements.items():
        assert pid in after[label]
    for u in result.unplaced:
        assert u.reasons


def test_late_joiner_goes_where_it_shares_a_problem() -> None:
    groups = {
        "A": [
            Peer(id=f"a{i}", organisation=f"A{i}", themes=("Budgets", f"x{i}")) for i in range(5)
        ],
        "B": [Peer(id=f"b{i}", organisation=f"B{i}", themes=("Teams", f"y{i}")) for i in range(5)],
    }
    newcomer = Peer(id="new", organisation="N", themes=("Teams", "Other"))
    result = place_late_joiners(groups, [newcomer])
    assert result.placements == {"new": "B"}
    b = next(g for g in result.groups if g.label == "B")
    assert "new" not in b.isolated
    assert "Teams" in b.shared_themes


def test_constraints_and_full_groups_block_placement() -> None:
    groups = {
        "A": [Peer(id=f"a{i}", organisation=f"A{i}", themes=("t",)) for i in range(6)],  # full
        "B": [Peer(id=f"b{i}", organisation=f"B{i}", themes=("t",)) for i in range(4)],
        "C": [Peer(id=f"c{i}", organisation=f"C{i}", themes=("t",)) for i in range(5)],
    }
    same_org = Peer(id="n1", organisation="B0", themes=("t",))  # clashes with b0
    apart = Peer(id="n2", organisation="N2", themes=("t",))
    options = Options(constraints=Constraints(keep_apart=(("n2", "c1"),)))
    result = place_late_joiners(groups, [same_org, apart], options, closed_groups=["C"])
    assert result.unplaced and {u.peer_id for u in result.unplaced} == {"n1"}
    assert result.placements == {"n2": "B"}
    assert result.unplaced[0].reasons == (
        "1 of 3 groups is full (maximum size 6).",
        "1 of 3 groups has a peer from B0.",
        "1 of 3 groups is closed to newcomers.",
        "Only 1 late joiner could not join a group. A new group needs at least 5.",
    )
    assert result.report.all_met


def test_new_group_opened_only_with_enough_late_joiners() -> None:
    full = {
        label: [Peer(id=f"{label}{i}", organisation=f"{label}{i}", themes=("t",)) for i in range(6)]
        for label in ("G01", "G02")
    }
    newcomers = late(7, seed=3)
    result = place_late_joiners(full, newcomers)
    assert result.new_groups == ("G03",)
    new = next(g for g in result.groups if g.label == "G03")
    assert 5 <= new.size <= 6
    assert len(result.unplaced) == 7 - new.size
    few = place_late_joiners(full, newcomers[:3])
    assert few.new_groups == () and len(few.unplaced) == 3
    assert all("at least 5" in " ".join(u.reasons) for u in few.unplaced)
    out = io.StringIO()
    write_groups_csv(few, out)
    assert out.getvalue().count(",\n") == 3  # unplaced rows have an empty group


def test_already_placed_peer_is_not_moved() -> None:
    groups, peers = existing(20, 1)
    result = place_late_joiners(groups, [peers[0]])
    assert result.placements == {}
    assert result.report.about("assignment")


def test_propose_replacement_ranks_by_shared_problems() -> None:
    group = [
        Peer(id="a", name="Ann", organisation="OA", themes=("Budgets", "Teams")),
        Peer(id="b", name="Bo", organisation="OB", themes=("Budgets", "Politics")),
        Peer(id="c", name="Cy", organisation="OC", themes=("Teams", "Politics")),
        Peer(id="leaver", name="Lee", organisation="OL", themes=("Budgets", "Teams")),
    ]
    candidates = [
        Peer(id="none", organisation="X1", themes=("Gardening",)),
        Peer(id="good", organisation="X2", themes=("Budgets", "Teams")),
        Peer(id="clash", organisation="OA", themes=("Budgets", "Teams", "Politics")),
        Peer(id="some", organisation="X3", themes=("Politics",)),
    ]
    ranked = propose_replacement(group, "leaver", candidates)
    assert [c.peer_id for c in ranked] == ["good", "some", "none", "clash"]
    assert [c.rank for c in ranked] == [1, 2, 3, 4]
    best = ranked[0]
    assert best.feasible and not best.isolated and best.gain == 4
    assert set(best.shared_themes) == {"Budgets", "Teams"}
    assert 'Shares the theme "Budgets" with Ann and Bo.' in best.text
    assert "Has 2 of the themes of Lee" in best.text
    assert ranked[2].isolated and "Shares no theme" in ranked[2].text
    assert not ranked[3].feasible and "Same organisation as Ann" in ranked[3].text
