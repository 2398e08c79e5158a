"""Iterated local search: kicks, re-splits to repair isolation, record-to-record acceptance."""

from __future__ import annotations

import random
import time
from collections import deque

from .repair import Repair
from .state import EPS

SLACK = 0.05  # record-to-record slack, as a share of the average group score
RECOMBINE_SHARE = 0.0  # share of rounds that re-split two related groups (tuned: kicks do better)


class Search(Repair):
    def improve(self, budget: int, stagnation_limit: int) -> None:
        self.budget = budget
        if budget <= 0 or self.G < 2:
            return
        movable_units = [u for u in range(self.n_units) if self.movable[u]]
        if not movable_units:
            return
        order = movable_units[:]
        self.rng.shuffle(order)
        queue: deque[int] = deque(order)
        queued = [False] * self.n_units
        for u in order:
            queued[u] = True
        self.local_search(queue, queued)
        self._repair_round(queue, queued)
        self.stats["first_descent_evaluations"] = self.evals
        self.stats["first_descent_total"] = round(self.total, 6)
        # Iterated local search. Each round is one of: an exhaustive re-split of a group
        # with a group that holds partners of one of its isolated members; an exhaustive
        # re-split of two related groups; a random kick between related groups. Local search
        # follows; a round that made things worse (only a kick can) is undone.
        kicks = 0
        accepted = 0
        since_better = 0
        best_key = self.key()
        best_ug = self.ug[:]
        rng = self.rng
        # Record-to-record acceptance: a round may end up to `slack` below the best total
        # (never with more violations or isolated peers than the best); the slack shrinks
        # to zero over the budget, and the best grouping seen is restored at the end.
        slack0 = SLACK * self.total / max(1, self.G)
        start_evals = self.evals
        repair_after, repair_wait = 0, 1
        while not self.stopped and self.evals < budget and since_better < stagnation_limit:
            kicks += 1
            self.log = []
            self.logging = True
            before = self.key()
            roll = rng.random()
            touched: set[int] = set()
            if self.lang_excess_total and roll < 0.5 and kicks >= repair_after:
                touched = self.repair_languages(rng)
                # A repair that found nothing waits longer before the next try.
                repair_wait = 1 if touched else min(64, repair_wait * 2)
                repair_after = kicks + repair_wait
            elif self.iso and roll < 0.5:
                g = self._isolated_group(rng)
                lonely = self._isolated_units(g)
                u = lonely[rng.randrange(len(lonely))]
                cands = self._related_groups(u, g, 3)
                if cands:
                    h = cands[rng.randrange(len(cands))]
                    self._recombine(g, h)
                    touched = {g, h}
            elif roll < RECOMBINE_SHARE:
                u = movable_units[rng.randrange(len(movable_units))]
                g = self.ug[u]
                cands = self._candidates(u, g)
                if cands:
                    h = cands[rng.randrange(len(cands))]
                    self._recombine(g, h)
                    touched = {g, h}
            else:
                touched = self._kick(rng, movable_units)
            for grp in touched:
                for w in self.gunits[grp]:
                    if not queued[w] and self.movable[w]:
                        queued[w] = True
                        queue.append(w)
            self.local_search(queue, queued)
            while queue:  # stopped mid-way: clear the queue
                queued[queue.popleft()] = False
            after = self.key()
            self.logging = False
            spent = (self.evals - start_evals) / max(1, budget - start_evals)
            slack = slack0 * max(0.0, 1.0 - spent)
            if after < best_key:
                best_key = after
                best_ug = self.ug[:]
                since_better = 0
                accepted += 1
            elif after <= before or (after[:2] <= best_key[:2] and after[2] <= best_key[2] + slack):
                accepted += 1
                since_better += 1
            else:
                for u, g, h in reversed(self.log):
                    self._remove(u, h)
                    self._add(u, g)
                for grp in {x for _, g, h in self.log for x in (g, h)}:
                    self._refresh(grp)
                since_better += 1
            self.log = []
        if self.key() > best_key:
            self._restore(best_ug)
        if self.lang_excess_total:
            self._repair_round(queue, queued, force=True)
        self.stats["kicks"] = kicks
        self.stats["kicks_accepted"] = accepted
        self.stats["evaluations"] = self.evals
        self.stats["stopped_by_time"] = int(
            self.deadline is not None and time.monotonic() > self.deadline
        )

    def stopped_by_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def _repair_round(self, queue: deque[int], queued: list[bool], force: bool = False) -> None:
        """Language repair (when a group breaks the rule), then local search on what moved
        (within the budget; ``force``: even when the search has stopped)."""
        if not self.lang_excess_total or (self.stopped and not force):
            return
        for grp in self.repair_languages(self.rng):
            for w in self.gunits[grp]:
                if not queued[w] and self.movable[w]:
                    queued[w] = True
                    queue.append(w)
        self.local_search(queue, queued)
        while queue:
            queued[queue.popleft()] = False

    def _related_groups(self, u: int, g: int, k: int) -> list[int]:
        """Up to k other groups where unit u has the most affinity (> 0), best first."""
        wt = self.wt
        gains: list[tuple[float, int]] = []
        if self.use_index:
            acc: dict[int, float] = {}
            for f, m in self.ufeat_items[u]:
                for h, c in self.fgroups[f].items():
                    acc[h] = acc.get(h, 0.0) + wt[f] * m * c
            gains = [(gain, h) for h, gain in acc.items() if h != g]
        else:
            for h in range(self.G):
                if h != g:
                    fh = self.gfc[h]
                    gains.append((sum(wt[f] * m * fh.get(f, 0) for f, m in self.ufeat_items[u]), h))
        gains.sort(key=lambda item: (-item[0], item[1]))
        return [h for gain, h in gains[:k] if gain > EPS]

    def _isolated_group(self, rng: random.Random) -> int:
        groups = [g for g in range(self.G) if self.giso[g]]
        return groups[rng.randrange(len(groups))]

    def _isolated_units(self, g: int) -> list[int]:
        fc = self.gfc[g]
        wt = self.iwt
        out = []
        for u in self.gunits[g]:
            if not self.movable[u]:
                continue
            for p in self.pb.units[u]:
                if sum(wt[f] * (fc[f] - 1) for f in self.pf[p]) <= EPS:
                    out.append(u)
                    break
        return out or [w for w in self.gunits[g] if self.movable[w]] or self.gunits[g]

    def _swap_keeps_language(self, a: int, g: int, b: int, h: int) -> bool:
        """Whether swapping unit a (of g) and unit b (of h) keeps two groups that share a
        language sharing one (always True without the rule)."""
        if not self.use_lang or self.glx[g] or self.glx[h]:
            return True
        for unit, group, leaving in ((a, h, b), (b, g, a)):
            if self.uspk[unit]:
                staying = self._common_without(group, leaving)
                if staying is not None and not self.ucommon[unit] & staying:
                    return False
        return True

    def _kick(self, rng: random.Random, movable_units: list[int]) -> set[int]:
        """Random swaps between a group and a related group, ignoring the objective (but,
        with the language rule, not breaking it)."""
        touched: set[int] = set()
        u = movable_units[rng.randrange(len(movable_units))]
        g = self.ug[u]
        cands = self._candidates(u, g) if self.use_index else [h for h in range(self.G) if h != g]
        if not cands:
            return touched
        h = cands[rng.randrange(len(cands))]
        for _ in range(rng.choice((1, 1, 2))):
            us = [w for w in self.gunits[g] if self.movable[w]]
            vs = [w for w in self.gunits[h] if self.movable[w]]
            if not us or not vs:
                break
            a = us[rng.randrange(len(us))]
            b = vs[rng.randrange(len(vs))]
            sa, sb = self.usize[a], self.usize[b]
            if (
                self.lo[g] <= self.gsize[g] - sa + sb <= self.hi[g]
                and self.lo[h] <= self.gsize[h] - sb + sa <= self.hi[h]
                and self._swap_keeps_language(a, g, b, h)
            ):
                self.apply_swap(a, g, b, h)
                touched.update((g, h))
            # Occasionally a third group joins (a 3-cycle once local search re-optimises).
            if self.G > 2 and rng.random() < 0.3:
                k = rng.randrange(self.G)
                if k not in (g, h):
                    ws = [w for w in self.gunits[k] if self.movable[w]]
                    hs = [w for w in self.gunits[h] if self.movable[w]]
                    if ws and hs:
                        a = hs[rng.randrange(len(hs))]
                        b = ws[rng.randrange(len(ws))]
                        sa, sb = self.usize[a], self.usize[b]
                        if (
                            self.lo[h] <= self.gsize[h] - sa + sb <= self.hi[h]
                            and self.lo[k] <= self.gsize[k] - sb + sa <= self.hi[k]
                            and self._swap_keeps_language(a, h, b, k)
                        ):
                            self.apply_swap(a, h, b, k)
                            touched.update((h, k))
        return touched
