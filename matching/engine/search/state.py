"""The search state: which group holds each unit, per-group counters, and the objective key.

Every change goes through ``_add`` and ``_remove``, which keep, per group, the feature
counters (and the group score), the organisation and country counters and, with many groups,
the inverted index feature -> groups. ``_refresh`` recomputes a group's isolated members and
violations from those counters.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ..prepare import Problem

EPS = 1e-9
FULL_SCAN_GROUPS = 40  # up to this many groups every group is a candidate target


class SearchState:
    def __init__(
        self,
        pb: Problem,
        seed: int,
        progress: Callable[[float], None] | None = None,
        deadline: float | None = None,
    ) -> None:
        self.pb = pb
        self.rng = random.Random(seed)
        self.progress = progress
        self.deadline = deadline
        self.wt = pb.fs.weight
        self.pf = pb.fs.peer_features
        self.pfset = [frozenset(fs) for fs in self.pf]
        self.cap = pb.cap if pb.cap is not None else 1 << 30
        n_units = len(pb.units)
        self.n_units = n_units
        self.usize = [len(m) for m in pb.units]
        self.ufeat: list[dict[int, int]] = []
        self.uorg: list[dict[int, int]] = []
        self.ucty: list[dict[int, int]] = []
        for members in pb.units:
            feats: dict[int, int] = {}
            orgs: dict[int, int] = {}
            ctys: dict[int, int] = {}
            for p in members:
                for f in self.pf[p]:
                    feats[f] = feats.get(f, 0) + 1
                if pb.org[p] >= 0:
                    orgs[pb.org[p]] = orgs.get(pb.org[p], 0) + 1
                if pb.country[p] >= 0:
                    ctys[pb.country[p]] = ctys.get(pb.country[p], 0) + 1
            self.ufeat.append(feats)
            self.uorg.append(orgs)
            self.ucty.append(ctys)
        self.ufeat_items = [tuple(d.items()) for d in self.ufeat]
        self.uapart = [tuple(d.items()) for d in pb.apart]
        self.movable = [lock < 0 for lock in pb.unit_lock]
        G = pb.group_count
        self.G = G
        self.lo = pb.lo
        self.hi = pb.hi
        self.ug = [-1] * n_units
        self.gunits: list[list[int]] = [[] for _ in range(G)]
        self.gsize = [0] * G
        self.gfc: list[dict[int, int]] = [{} for _ in range(G)]
        self.gorg: list[dict[int, int]] = [{} for _ in range(G)]
        self.gcty: list[dict[int, int]] = [{} for _ in range(G)]
        self.gscore = [0.0] * G
        self.giso = [0] * G
        self.gviol = [0] * G
        self.use_index = G > FULL_SCAN_GROUPS
        self.fgroups: list[dict[int, int]] = (
            [{} for _ in range(pb.fs.size)] if self.use_index else []
        )
        self.total = 0.0
        self.iso = 0
        self.viol = 0
        self.evals = 0
        self.budget = 0
        self.stopped = False
        self.log: list[tuple[int, int, int]] = []
        self.logging = False
        self.stats: dict[str, int | float] = {}
        self._next_report = 0

    # ------------------------------------------------------------------ bookkeeping

    def _add(self, u: int, g: int) -> None:
        self.ug[u] = g
        self.gunits[g].append(u)
        self.gsize[g] += self.usize[u]
        fc = self.gfc[g]
        wt = self.wt
        delta = 0.0
        for f, m in self.ufeat_items[u]:
            c = fc.get(f, 0)
            fc[f] = c + m
            delta += wt[f] * (m * c + m * (m - 1) / 2)
            if self.use_index:
                fg = self.fgroups[f]
                fg[g] = fg.get(g, 0) + m
        self.gscore[g] += delta
        self.total += delta
        go = self.gorg[g]
        for o, m in self.uorg[u].items():
            go[o] = go.get(o, 0) + m
        gc = self.gcty[g]
        for c_, m in self.ucty[u].items():
            gc[c_] = gc.get(c_, 0) + m

    def _remove(self, u: int, g: int) -> None:
        self.ug[u] = -1
        self.gunits[g].remove(u)
        self.gsize[g] -= self.usize[u]
        fc = self.gfc[g]
        wt = self.wt
        delta = 0.0
        for f, m in self.ufeat_items[u]:
            c = fc[f]
            delta -= wt[f] * (m * (c - m) + m * (m - 1) / 2)
            if c == m:
                del fc[f]
            else:
                fc[f] = c - m
            if self.use_index:
                fg = self.fgroups[f]
                if fg[g] == m:
                    del fg[g]
                else:
                    fg[g] -= m
        self.gscore[g] += delta
        self.total += delta
        go = self.gorg[g]
        for o, m in self.uorg[u].items():
            if go[o] == m:
                del go[o]
            else:
                go[o] -= m
        gc = self.gcty[g]
        for c_, m in self.ucty[u].items():
            if gc[c_] == m:
                del gc[c_]
            else:
                gc[c_] -= m

    def _group_iso(self, g: int) -> int:
        fc = self.gfc[g]
        wt = self.wt
        pf = self.pf
        count = 0
        for u in self.gunits[g]:
            for p in self.pb.units[u]:
                aff = 0.0
                for f in pf[p]:
                    aff += wt[f] * (fc[f] - 1)
                if aff <= EPS:
                    count += 1
        return count

    def _group_viol(self, g: int) -> int:
        v = 0
        for c in self.gorg[g].values():
            if c > 1:
                v += c * (c - 1) // 2
        cap = self.cap
        for c in self.gcty[g].values():
            if c > cap:
                v += c - cap
        ug = self.ug
        pairs = 0
        for u in self.gunits[g]:
            for w, k in self.uapart[u]:
                if ug[w] == g:
                    pairs += k
        return v + pairs // 2

    def _refresh(self, g: int) -> None:
        iso = self._group_iso(g)
        viol = self._group_viol(g)
        self.iso += iso - self.giso[g]
        self.viol += viol - self.gviol[g]
        self.giso[g] = iso
        self.gviol[g] = viol

    def _refresh_all(self) -> None:
        self.total = sum(self.gscore)
        for g in range(self.G):
            self._refresh(g)

    def key(self) -> tuple[int, int, float]:
        return (self.viol, self.iso, -self.total)

    def apply_move(self, u: int, g: int, h: int) -> None:
        self._remove(u, g)
        self._add(u, h)
        self._refresh(g)
        self._refresh(h)
        if self.logging:
            self.log.append((u, g, h))

    def apply_swap(self, u: int, g: int, v: int, h: int) -> None:
        self._remove(u, g)
        self._remove(v, h)
        self._add(u, h)
        self._add(v, g)
        self._refresh(g)
        self._refresh(h)
        if self.logging:
            self.log.append((u, g, h))
            self.log.append((v, h, g))

    def _restore(self, ug: list[int]) -> None:
        for u in range(self.n_units):
            if self.ug[u] != ug[u]:
                self._remove(u, self.ug[u])
        for u in range(self.n_units):
            if self.ug[u] < 0:
                self._add(u, ug[u])
        self._refresh_all()

    def assignment(self) -> list[list[int]]:
        """Peers (indices, input order) of each group."""
        groups: list[list[int]] = [[] for _ in range(self.G)]
        for u, g in enumerate(self.ug):
            groups[g].extend(self.pb.units[u])
        for members in groups:
            members.sort()
        return groups
