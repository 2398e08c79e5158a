"""Best-improvement local search: moves and swaps of units between groups."""

from __future__ import annotations

import heapq
import time
from collections import deque
from operator import itemgetter

from .construct import Construction
from .state import EPS

TOP_GROUPS = 8  # with many groups: this many best groups by gain ...
RANDOM_GROUPS = 2  # ... plus this many random ones


class LocalSearch(Construction):
    def _candidates(self, u: int, g: int) -> list[int]:
        """Target groups for unit u. With the common-language rule, only groups where u works
        in a language all constrained members share (and groups that break the rule)."""
        G = self.G
        lang = self.use_lang and self.uspk[u] > 0
        if not self.use_index:
            if lang:
                return [h for h in range(G) if h != g and (self.glx[h] or self._fits(u, h))]
            return [h for h in range(G) if h != g]
        acc: dict[int, float] = {}
        wt = self.wt
        for f, m in self.ufeat_items[u]:
            w = wt[f] * m
            for h, c in self.fgroups[f].items():
                acc[h] = acc.get(h, 0.0) + w * c
        acc.pop(g, None)
        if lang:
            top = self._best_compatible(u, acc)
        elif len(acc) > TOP_GROUPS:
            top = heapq.nlargest(TOP_GROUPS, acc.items(), key=itemgetter(1))
        else:
            top = list(acc.items())
        out = [h for h, gain in top if gain > EPS]
        extra = RANDOM_GROUPS
        if self.gviol[g] or self.giso[g]:
            extra += 4
        rng = self.rng
        if not lang:
            for _ in range(extra):
                h = rng.randrange(G)
                if h != g and h not in out:
                    out.append(h)
            return out
        # With the language rule, random groups are drawn among those where u fits (a few
        # tries each), so that a unit has as many candidates as without the rule.
        for _ in range(3 * extra):
            h = rng.randrange(G)
            if h != g and h not in out and (self.glx[h] or self._fits(u, h)):
                out.append(h)
                extra -= 1
                if not extra:
                    break
        return out

    def _best_compatible(self, u: int, acc: dict[int, float]) -> list[tuple[int, float]]:
        """The TOP_GROUPS groups of ``acc`` with the most gain where unit u works in the
        shared language (or that are open: no constrained member, or breaking the rule)."""
        open_groups = self.open_groups
        sets = [self.lang_groups[x] for x in self.ucommon[u] if x in self.lang_groups]
        if len(sets) == 1:
            fit = sets[0]
            items = [(h, gain) for h, gain in acc.items() if h in fit or h in open_groups]
        else:
            items = [
                (h, gain)
                for h, gain in acc.items()
                if h in open_groups or any(h in s for s in sets)
            ]
        return heapq.nlargest(TOP_GROUPS, items, key=itemgetter(1))

    @staticmethod
    def _worth(dv: int, dt: float, has_iso: int, best: tuple[int, int, float]) -> bool:
        """Whether a candidate may beat `best`, before paying for its isolation delta."""
        if dv != best[0]:
            return dv < best[0]
        if has_iso:
            return True
        # No isolated member in either group: the isolation delta is >= 0.
        if best[1] != 0:
            return best[1] > 0
        return -dt < best[2]

    def _improve_unit(self, u: int) -> tuple[int, int] | None:
        """Best improving move or swap for unit u; applied. Returns the two groups."""
        g = self.ug[u]
        su = self.usize[u]
        wt = self.wt
        fg = self.gfc[g]
        uf = self.ufeat[u]
        ufi = self.ufeat_items[u]
        lo, hi = self.lo, self.hi
        gsize = self.gsize
        # Loss of removing u from g.
        loss_u = 0.0
        for f, m in ufi:
            loss_u += wt[f] * m * (fg[f] - m)
        best: tuple[int, int, float] = (0, 0, -EPS)
        best_move: tuple[int, int] | None = None  # (h, v) with v = -1 for a move
        iso_g = self.giso[g]
        viol_g = self.gviol[g]
        movable = self.movable
        gviol = self.gviol
        giso = self.giso
        # With the common-language rule and a group that keeps it, only members who work in
        # the language of the others may take u's place.
        staying: frozenset[int] | None = None
        lang_filter = self.use_lang and self.glx[g] == 0
        if lang_filter:
            staying = self._common_without(g, u)
            lang_filter = staying is not None
        for h in self._candidates(u, g):
            fh = self.gfc[h]
            gain_u_h = 0.0
            for f, m in ufi:
                c = fh.get(f)
                if c:
                    gain_u_h += wt[f] * m * c
            iso_h = giso[h]
            # With no violation and no isolated member in g and h, a step can only make
            # violations and isolation worse: it is worth a look only if it adds more
            # affinity than the best step so far and breaks nothing.
            clean = not (iso_g or iso_h or viol_g or gviol[h])
            base = gain_u_h - loss_u
            # Move.
            if gsize[g] - su >= lo[g] and gsize[h] + su <= hi[h]:
                self.evals += 1
                dt = base
                if not clean or (best[0] == 0 and best[1] == 0 and dt > -best[2]):
                    dv = self._viol_delta_move(u, g, h)
                    if self._worth(dv, dt, iso_g or iso_h, best):
                        di = self._iso_after(g, u, -1) - iso_g + self._iso_after(h, -1, u) - iso_h
                        cand = (dv, di, -dt)
                        if cand < best:
                            best = cand
                            best_move = (h, -1)
            # Swaps.
            for v in self.gunits[h]:
                if not movable[v]:
                    continue
                sv = self.usize[v]
                if sv != su and not (
                    lo[g] <= gsize[g] - su + sv <= hi[g] and lo[h] <= gsize[h] - sv + su <= hi[h]
                ):
                    continue
                self.evals += 1
                if (
                    lang_filter
                    and self.uspk[v]
                    and not (staying is not None and self.ucommon[v] & staying)
                ):
                    continue  # v does not work in the language of the others in g
                vd = self.ufeat[v]
                # v leaves h and joins g without u; u joins h without v.
                dt = base
                for f, m in self.ufeat_items[v]:
                    dt += wt[f] * m * (fg.get(f, 0) - uf.get(f, 0) - fh[f] + m)
                for f, m in ufi:
                    d = vd.get(f)
                    if d:
                        dt -= wt[f] * m * d
                if clean:
                    if best[0] or best[1] or dt <= -best[2]:
                        continue
                    if self._viol_delta_swap(u, g, v, h):
                        continue
                    dv = 0
                else:
                    dv = self._viol_delta_swap(u, g, v, h)
                    if not self._worth(dv, dt, iso_g or iso_h, best):
                        continue
                di = self._iso_after(g, u, v) - iso_g + self._iso_after(h, v, u) - iso_h
                cand = (dv, di, -dt)
                if cand < best:
                    best = cand
                    best_move = (h, v)
        if best_move is None:
            return None
        h, v = best_move
        if v < 0:
            self.apply_move(u, g, h)
        else:
            self.apply_swap(u, g, v, h)
        return g, h

    def _tick(self) -> None:
        if self.evals >= self._next_report:
            self._next_report = self.evals + 5000
            if self.progress is not None and self.budget:
                self.progress(min(1.0, self.evals / self.budget))
            if self.deadline is not None and time.monotonic() > self.deadline:
                self.stopped = True

    def local_search(self, queue: deque[int], queued: list[bool]) -> None:
        while queue and not self.stopped:
            if self.evals >= self.budget:
                self.stopped = True
                break
            u = queue.popleft()
            queued[u] = False
            moved = self._improve_unit(u)
            self._tick()
            if moved is None:
                continue
            for grp in moved:
                for w in self.gunits[grp]:
                    if not queued[w] and self.movable[w]:
                        queued[w] = True
                        queue.append(w)
