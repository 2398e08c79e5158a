"""What would change if one set of themes replaced another (pure Python).

Two sets are compared statement by statement. Each theme of the current set is paired with at
most one theme of the other set so that the pairs share as many statements as possible
(:func:`scipy.optimize.linear_sum_assignment`); a pair whose names differ is a rename, a theme
left without a partner is removed or added, and a statement moves when the theme it would be
in is not the partner of the theme it is in now.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class PairedTheme:
    before: str
    after: str
    count_before: int
    count_after: int

    @property
    def renamed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Move:
    statement: int
    before: str | None  # None: the statement has no theme now
    after: str | None  # None: the statement would have no theme


@dataclass
class Changes:
    paired: list[PairedTheme] = field(default_factory=list)
    added: list[tuple[str, int]] = field(default_factory=list)  # (name, statements)
    removed: list[tuple[str, int]] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    staying: int = 0  # statements in paired themes on both sides
    count_before: int = 0  # themes
    count_after: int = 0

    @property
    def renamed(self) -> list[PairedTheme]:
        return [p for p in self.paired if p.renamed]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.moves or self.renamed)


def compare(
    current: Mapping[str, Collection[int]], candidate: Mapping[str, Collection[int]]
) -> Changes:
    """Changes from ``current`` to ``candidate`` (each ``{theme name: statement ids}``).

    Statements only in ``candidate`` move from no theme; statements only in ``current`` move to
    no theme. Moves are sorted by statement id.
    """
    before_names, after_names = list(current), list(candidate)
    before_sets = [set(current[name]) for name in before_names]
    after_sets = [set(candidate[name]) for name in after_names]
    partner: dict[int, int] = {}
    if before_sets and after_sets:
        overlap = np.array([[len(b & a) for a in after_sets] for b in before_sets], dtype=float)
        # An equal name counts for a little, so that two empty themes of one name still pair.
        for i, name in enumerate(before_names):
            for j, other in enumerate(after_names):
                if name.casefold() == other.casefold():
                    overlap[i, j] += 0.5
        rows, columns = linear_sum_assignment(overlap, maximize=True)
        partner = {int(i): int(j) for i, j in zip(rows, columns, strict=True) if overlap[i, j] > 0}
    paired_after = set(partner.values())
    changes = Changes(count_before=len(before_names), count_after=len(after_names))
    for i, name in enumerate(before_names):
        if i in partner:
            j = partner[i]
            changes.paired.append(
                PairedTheme(name, after_names[j], len(before_sets[i]), len(after_sets[j]))
            )
            changes.staying += len(before_sets[i] & after_sets[j])
        else:
            changes.removed.append((name, len(before_sets[i])))
    for j, name in enumerate(after_names):
        if j not in paired_after:
            changes.added.append((name, len(after_sets[j])))
    theme_before = {s: i for i, members in enumerate(before_sets) for s in members}
    theme_after = {s: j for j, members in enumerate(after_sets) for s in members}
    for statement in sorted(set(theme_before) | set(theme_after)):
        was, will = theme_before.get(statement), theme_after.get(statement)
        if was is not None and will is not None and partner.get(was) == will:
            continue
        changes.moves.append(
            Move(
                statement,
                before_names[was] if was is not None else None,
                after_names[will] if will is not None else None,
            )
        )
    return changes
