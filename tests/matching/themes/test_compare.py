"""What would change if one set of themes replaced another."""

from __future__ import annotations

from matching.themes import compare


def test_same_themes_change_nothing() -> None:
    current = {"Procurement": [1, 2, 3], "Payroll": [4, 5]}
    changes = compare(current, {"Payroll": [5, 4], "Procurement": [3, 2, 1]})
    assert changes.unchanged
    assert changes.staying == 5 and changes.moves == []
    assert changes.count_before == changes.count_after == 2


def test_renamed_added_removed_and_moved() -> None:
    current = {"Les, de, audit": [1, 2, 3, 4], "Payroll": [5, 6, 7], "Tax": [8]}
    candidate = {"Internal audit": [1, 2, 3], "Payroll": [4, 5, 6, 7], "Arrears": [9]}
    changes = compare(current, candidate)
    assert [(p.before, p.after) for p in changes.renamed] == [("Les, de, audit", "Internal audit")]
    assert changes.removed == [("Tax", 1)]
    assert changes.added == [("Arrears", 1)]
    moves = {(m.statement, m.before, m.after) for m in changes.moves}
    assert moves == {
        (4, "Les, de, audit", "Payroll"),
        (8, "Tax", None),  # in no theme of the candidate
        (9, None, "Arrears"),  # a statement the current themes do not hold
    }
    assert changes.staying == 6
    assert not changes.unchanged


def test_themes_pair_by_shared_statements_not_by_name() -> None:
    # The names were swapped: the statements decide which theme is which.
    changes = compare({"A": [1, 2], "B": [3, 4]}, {"B": [1, 2], "A": [3, 4]})
    assert {(p.before, p.after) for p in changes.renamed} == {("A", "B"), ("B", "A")}
    assert changes.moves == []


def test_empty_sides() -> None:
    assert compare({}, {}).unchanged
    changes = compare({}, {"New": [1]})
    assert changes.added == [("New", 1)] and changes.moves[0].before is None
    changes = compare({"Old": [1], "Empty": []}, {"Empty": []})
    assert changes.removed == [("Old", 1)]
    assert [p.after for p in changes.paired] == ["Empty"]
