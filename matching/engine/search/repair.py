"""Repair of the common-language rule: chains of moves that take a member who does not work
in the group's language to a group where they can.

A plain move or swap often cannot do it: when almost every group is full, the member must
swap with someone who works in the first group's language and also fits the second, and such
a person may not exist (a Russian speaker in a French-speaking group, with no French speaker
in any Russian-speaking group). The repair then tries three-way rotations: the member goes to
a group that works in their language, a member of that group goes to a third group that works
in theirs, and a member of the third group, who works in the first group's language, takes the
free place. Only changes that lower the objective key (violations first) are kept.
"""

from __future__ import annotations

import random

from .recombine import Recombination

SAMPLE_GROUPS = 12  # target groups tried per outsider (and third groups per member moved on)


class Repair(Recombination):
    def _outsiders(self, g: int) -> list[int]:
        """Movable units of group g that do not all work in g's most spoken language."""
        counts = self.glang[g]
        best = max(counts, key=lambda x: (counts[x], -x))
        return [
            u
            for u in self.gunits[g]
            if self.movable[u] and self.uspk[u] and self.ulang[u].get(best, 0) < self.uspk[u]
        ]

    def _try(self, moves: list[tuple[int, int, int]]) -> bool:
        """Apply the moves (unit, from, to); keep them when the key improves."""
        before = self.key()
        for u, g, h in moves:
            self.apply_move(u, g, h)
        self.evals += len(moves)
        if self.key() < before:
            return True
        for u, g, h in reversed(moves):
            self.apply_move(u, h, g)
        if self.logging:
            del self.log[-2 * len(moves) :]
        return False

    def _size_ok(self, g: int, change: int) -> bool:
        return self.lo[g] <= self.gsize[g] + change <= self.hi[g]

    def _fitting_groups(self, u: int, exclude: tuple[int, ...]) -> list[int]:
        """Groups that keep the rule and where unit u works in the shared language."""
        shared = self.ucommon[u]
        found: set[int] = set()
        for x in shared:
            found |= self.lang_groups.get(x, set())
        found |= {h for h in self.open_groups if self.glx[h] == 0}
        return sorted(h for h in found if h not in exclude and self.glx[h] == 0)

    def repair_languages(self, rng: random.Random) -> set[int]:
        """One pass over the groups that break the rule; returns the groups changed. Members
        the preparation found cannot be placed are left where they are."""
        touched: set[int] = set()
        broken = [g for g in range(self.G) if self.glx[g] > 0]
        rng.shuffle(broken)
        stuck = self.pb.lang_stuck
        for g in broken:
            if self.glx[g] == 0:
                continue
            for u in self._outsiders(g):
                if self.ug[u] != g or any(p in stuck for p in self.pb.units[u]):
                    continue
                changed = self._repair_unit(u, g, rng)
                if changed:
                    touched |= changed
                    if self.glx[g] == 0:
                        break
        return touched

    def _repair_unit(self, u: int, g: int, rng: random.Random) -> set[int]:
        su = self.usize[u]
        targets = self._fitting_groups(u, (g,))
        if len(targets) > SAMPLE_GROUPS:
            targets = rng.sample(targets, SAMPLE_GROUPS)
        counts = self.glang[g]
        best = max(counts, key=lambda x: (counts[x], -x))

        def fits_g(w: int) -> bool:
            """w works in g's most spoken language (each such step lowers the excess)."""
            return not self.uspk[w] or self.ulang[w].get(best, 0) == self.uspk[w]

        # A move, then a swap with a member who works in g's language.
        for h in targets:
            if self._size_ok(g, -su) and self._size_ok(h, su) and self._try([(u, g, h)]):
                return {g, h}
            for v in list(self.gunits[h]):
                if not self.movable[v] or self.usize[v] != su or not fits_g(v):
                    continue
                if self._try([(u, g, h), (v, h, g)]):
                    return {g, h}
        # Three-way rotations: u -> h, v (of h) -> k, w (of k) -> g.
        for h in targets:
            for v in list(self.gunits[h]):
                if not self.movable[v] or self.usize[v] != su:
                    continue
                thirds = self._fitting_groups(v, (g, h))
                self.evals += 1
                if len(thirds) > SAMPLE_GROUPS:
                    thirds = rng.sample(thirds, SAMPLE_GROUPS)
                for k in thirds:
                    for w in list(self.gunits[k]):
                        if not self.movable[w] or self.usize[w] != su or not fits_g(w):
                            continue
                        if self._try([(u, g, h), (v, h, k), (w, k, g)]):
                            return {g, h, k}
        return set()
