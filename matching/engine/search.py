"""Construction and local search over units (blocks of peers that move together).

The search minimises, in this order (lexicographically):

1. ``violations``: broken hard constraints (pairs of peers of one organisation, country
   excess, keep-apart pairs sharing a group). Size bounds are never broken by a move.
2. ``isolated``: members with zero affinity to every other member of their group.
3. ``-total``: the sum of the group scores.

Construction builds the groups one after another (largest first). Each group takes first
the peers that *must* go now (an organisation with as many remaining peers as remaining
groups), then a seed (the remaining peer with the fewest potential partners), then the peer
with the largest gain, using an inverted index feature -> unplaced peers.

Local search then runs best-improvement "move" and "swap" steps from a work queue of units
whose group changed, followed by an iterated local search (random kick between two related
groups, local search, keep if not worse, undo otherwise) until the move budget is spent or
the search stagnates. With many groups, candidate target groups are restricted to the best
few by gain, found through an inverted index feature -> groups, which keeps each step cheap.
"""

from __future__ import annotations

import heapq
import itertools
import random
import time
from collections import deque
from collections.abc import Callable
from operator import itemgetter

from .prepare import Problem

EPS = 1e-9
FULL_SCAN_GROUPS = 40  # up to this many groups every group is a candidate target
TOP_GROUPS = 8  # otherwise: this many best groups by gain ...
RANDOM_GROUPS = 2  # ... plus this many random ones
POOL_SCAN = 96  # construction: unplaced peers examined per feature
RECOMBINE_MAX_UNITS = 14  # two groups are re-split exhaustively up to this many units
SLACK = 0.05  # record-to-record slack, as a share of the average group score
RECOMBINE_SHARE = 0.0  # share of rounds that re-split two related groups (tuned: kicks do better)


class Search:
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

    # ------------------------------------------------------------------ construction

    def _targets(self) -> list[int]:
        G = self.G
        t = [max(self.lo[g], self.gsize[g]) for g in range(G)]
        rest = self.pb.n - sum(t)
        heap = [(t[g], g) for g in range(G) if t[g] < self.hi[g]]
        heapq.heapify(heap)
        while rest > 0 and heap:
            _size, g = heapq.heappop(heap)
            t[g] += 1
            rest -= 1
            if t[g] < self.hi[g]:
                heapq.heappush(heap, (t[g], g))
        g_order = sorted(range(G), key=lambda g: (-t[g], g))
        i = 0
        while rest > 0:  # cannot happen with the bounds from prepare(); kept for safety
            t[g_order[i % G]] += 1
            rest -= 1
            i += 1
        while rest < 0:
            changed = False
            for g in sorted(range(G), key=lambda g: (-(t[g] - self.gsize[g]), g)):
                if rest < 0 and t[g] > self.gsize[g]:
                    t[g] -= 1
                    rest += 1
                    changed = True
            if not changed:
                break
        return t

    def _unit_conflicts(self, u: int, g: int) -> int:
        """Violations that adding unit u to group g would create."""
        v = 0
        go = self.gorg[g]
        for o, m in self.uorg[u].items():
            c = go.get(o, 0)
            v += (c + m) * (c + m - 1) // 2 - c * (c - 1) // 2 - m * (m - 1) // 2
        gc = self.gcty[g]
        cap = self.cap
        for c_, m in self.ucty[u].items():
            c = gc.get(c_, 0)
            v += max(0, c + m - cap) - max(0, c - cap) - max(0, m - cap)
        ug = self.ug
        for w, k in self.uapart[u]:
            if ug[w] == g:
                v += k
        return v

    def construct(self) -> None:
        pb = self.pb
        G = self.G
        if G == 0:
            return
        wt = self.wt
        rank = list(range(self.n_units))
        self.rng.shuffle(rank)
        # 1. Locked units.
        for u in range(self.n_units):
            if pb.unit_lock[u] >= 0:
                self._add(u, pb.unit_lock[u])
        # 2. Other multi-peer units, largest first, where they fit best.
        multi = [u for u in range(self.n_units) if self.ug[u] < 0 and self.usize[u] > 1]
        multi.sort(key=lambda u: (-self.usize[u], rank[u]))
        for u in multi:
            best_fit: tuple[int, float, int, int] | None = None  # conflicts, -gain, -free, g
            for g in range(G):
                free = self.hi[g] - self.gsize[g]
                if free < self.usize[u]:
                    continue
                gain = sum(wt[f] * m * self.gfc[g].get(f, 0) for f, m in self.ufeat_items[u])
                fit = (self._unit_conflicts(u, g), -gain, -free, g)
                if best_fit is None or fit < best_fit:
                    best_fit = fit
            if best_fit is None:
                g = max(range(G), key=lambda g: (self.hi[g] - self.gsize[g], -g))
            else:
                g = best_fit[3]
            self._add(u, g)
        targets = self._targets()

        # 3. Single peers, group by group.
        pool_units = [u for u in range(self.n_units) if self.ug[u] < 0]
        n_feat = self.pb.fs.size
        feat_count = [0] * n_feat
        for p in range(pb.n):
            for f in self.pf[p]:
                feat_count[f] += 1
        degree = [0.0] * self.n_units
        for u in pool_units:
            degree[u] = sum(wt[f] * m * (feat_count[f] - m) for f, m in self.ufeat_items[u])
        seed_order = sorted(pool_units, key=lambda u: (degree[u], rank[u]))
        pool: dict[int, None] = dict.fromkeys(seed_order)
        pool_feat: list[dict[int, None]] = [{} for _ in range(n_feat)]
        for u in sorted(pool_units, key=lambda u: rank[u]):
            for f, _m in self.ufeat_items[u]:
                pool_feat[f][u] = None
        # Organisations and countries that may force a placement.
        org_pool: dict[int, dict[int, None]] = {}
        cty_pool: dict[int, dict[int, None]] = {}
        for u in seed_order:
            for o in self.uorg[u]:
                org_pool.setdefault(o, {})[u] = None
            for c_ in self.ucty[u]:
                cty_pool.setdefault(c_, {})[u] = None
        org_total: dict[int, int] = {}
        cty_total: dict[int, int] = {}
        for p in range(pb.n):
            if pb.org[p] >= 0:
                org_total[pb.org[p]] = org_total.get(pb.org[p], 0) + 1
            if pb.country[p] >= 0:
                cty_total[pb.country[p]] = cty_total.get(pb.country[p], 0) + 1
        orgs_by_size = sorted(org_total, key=lambda o: (-org_total[o], o))
        ctys_by_size = sorted(cty_total, key=lambda c: (-cty_total[c], c))
        build_order = sorted(range(G), key=lambda g: (-(targets[g] - self.gsize[g]), g))
        # Unbuilt groups (other than the current one) that already hold an org / country.
        unbuilt_org: dict[int, int] = {}
        unbuilt_cty: dict[int, int] = {}
        for g in range(G):
            for o in self.gorg[g]:
                unbuilt_org[o] = unbuilt_org.get(o, 0) + 1
            for c_, cnt in self.gcty[g].items():
                unbuilt_cty[c_] = unbuilt_cty.get(c_, 0) + cnt
        seed_pos = 0
        cap = self.cap

        def take(u: int, g: int, acc: dict[int, float]) -> None:
            del pool[u]
            acc.pop(u, None)
            for f, _m in self.ufeat_items[u]:
                del pool_feat[f][u]
            for o in self.uorg[u]:
                del org_pool[o][u]
            for c_ in self.ucty[u]:
                del cty_pool[c_][u]
            self._add(u, g)
            for f, m in self.ufeat_items[u]:
                w = wt[f] * m
                for v in itertools.islice(pool_feat[f], POOL_SCAN):
                    acc[v] = acc.get(v, 0.0) + w

        for k, g in enumerate(build_order):
            remaining_groups = G - k
            for o in self.gorg[g]:
                unbuilt_org[o] -= 1
            for c_, cnt in self.gcty[g].items():
                unbuilt_cty[c_] -= cnt
            acc: dict[int, float] = {}
            fc = self.gfc[g]
            for f, c in fc.items():
                w = wt[f] * c
                for v in itertools.islice(pool_feat[f], POOL_SCAN):
                    acc[v] = acc.get(v, 0.0) + w
            # Forced placements: organisations, then countries.
            for o in orgs_by_size:
                if org_total[o] < remaining_groups:
                    break
                units_o = org_pool.get(o)
                if not units_o or o in self.gorg[g] or self.gsize[g] >= targets[g]:
                    continue
                future = (remaining_groups - 1) - unbuilt_org.get(o, 0)
                if len(units_o) > future:
                    u = max(
                        units_o,
                        key=lambda v: (
                            self._unit_conflicts(v, g) == 0,
                            acc.get(v, 0.0),
                            -degree[v],
                            -rank[v],
                        ),
                    )
                    take(u, g, acc)
            if pb.cap is not None:
                for c_ in ctys_by_size:
                    if cty_total[c_] <= cap * (remaining_groups - 1):
                        break
                    while True:
                        units_c = cty_pool.get(c_)
                        if not units_c or self.gsize[g] >= targets[g]:
                            break
                        if self.gcty[g].get(c_, 0) >= cap:
                            break
                        future_cap = cap * (remaining_groups - 1) - unbuilt_cty.get(c_, 0)
                        if len(units_c) <= future_cap:
                            break
                        u = max(
                            units_c,
                            key=lambda v: (
                                self._unit_conflicts(v, g) == 0,
                                acc.get(v, 0.0),
                                -degree[v],
                                -rank[v],
                            ),
                        )
                        take(u, g, acc)
            while self.gsize[g] < targets[g] and pool:
                room = targets[g] - self.gsize[g]
                best_u = -1
                best_key: tuple[float, float, int] | None = None
                for v, gain in acc.items():
                    if gain <= EPS or self.usize[v] > room:
                        continue
                    cand = (gain, -degree[v], -rank[v])
                    if best_key is not None and cand <= best_key:
                        continue
                    if self._unit_conflicts(v, g):
                        continue
                    best_key = cand
                    best_u = v
                if best_u < 0:
                    # No sharing candidate: the hardest unplaced unit that fits.
                    while seed_pos < len(seed_order) and seed_order[seed_pos] not in pool:
                        seed_pos += 1
                    fallback = -1
                    i, seen = seed_pos, 0
                    while i < len(seed_order) and seen < 4 * POOL_SCAN:
                        v = seed_order[i]
                        i += 1
                        if v not in pool:
                            continue
                        seen += 1
                        if self.usize[v] <= room and not self._unit_conflicts(v, g):
                            best_u = v
                            break
                        if fallback < 0 and self.usize[v] <= room:
                            fallback = v
                    if best_u < 0:
                        if fallback < 0:
                            fallback = next(iter(pool))
                            for v in pool:
                                if self.usize[v] <= room:
                                    fallback = v
                                    break
                        best_u = fallback
                take(best_u, g, acc)
        # Anything left (only when unit sizes did not pack): where it fits best.
        for u in list(pool):
            g = max(range(G), key=lambda g: (self.hi[g] - self.gsize[g], -g))
            take(u, g, {})
        self._refresh_all()
        self.stats["construction_total"] = round(self.total, 6)
        self.stats["construction_isolated"] = self.iso
        self.stats["construction_violations"] = self.viol

    # ------------------------------------------------------------------ deltas

    def _iso_after(self, g: int, out: int, inn: int) -> int:
        """Isolated members of group g after unit `out` leaves and unit `inn` joins."""
        fc = self.gfc[g]
        wt = self.wt
        pf = self.pf
        units = self.pb.units
        dout = self.ufeat[out] if out >= 0 else {}
        din = self.ufeat[inn] if inn >= 0 else {}
        count = 0
        members = [w for w in self.gunits[g] if w != out]
        if inn >= 0:
            members.append(inn)
        for w in members:
            for p in units[w]:
                aff = 0.0
                for f in pf[p]:
                    aff += wt[f] * (fc.get(f, 0) - dout.get(f, 0) + din.get(f, 0) - 1)
                if aff <= EPS:
                    count += 1
        return count

    def _viol_delta_move(self, u: int, g: int, h: int) -> int:
        dv = 0
        go, ho = self.gorg[g], self.gorg[h]
        for o, m in self.uorg[u].items():
            c = go[o]
            dv -= m * (2 * c - m - 1) // 2  # pairs lost: C(c, 2) - C(c - m, 2)
            c = ho.get(o, 0)
            dv += m * (2 * c + m - 1) // 2  # pairs gained: C(c + m, 2) - C(c, 2)
        if self.ucty[u]:
            cap = self.cap
            gc, hc = self.gcty[g], self.gcty[h]
            for c_, m in self.ucty[u].items():
                c = gc[c_]
                dv += max(0, c - m - cap) - max(0, c - cap)
                c = hc.get(c_, 0)
                dv += max(0, c + m - cap) - max(0, c - cap)
        ug = self.ug
        for w, k in self.uapart[u]:
            gw = ug[w]
            if gw == g:
                dv -= k
            elif gw == h:
                dv += k
        return dv

    def _viol_delta_swap(self, u: int, g: int, v: int, h: int) -> int:
        dv = 0
        uo, vo = self.uorg[u], self.uorg[v]
        if uo or vo:
            go, ho = self.gorg[g], self.gorg[h]
            for o in set(uo) | set(vo):
                mu, mv = uo.get(o, 0), vo.get(o, 0)
                c = go.get(o, 0)
                d = c - mu + mv
                dv += d * (d - 1) // 2 - c * (c - 1) // 2
                c = ho.get(o, 0)
                d = c - mv + mu
                dv += d * (d - 1) // 2 - c * (c - 1) // 2
        uc, vc = self.ucty[u], self.ucty[v]
        if uc or vc:
            cap = self.cap
            gc, hc = self.gcty[g], self.gcty[h]
            for c_ in set(uc) | set(vc):
                mu, mv = uc.get(c_, 0), vc.get(c_, 0)
                c = gc.get(c_, 0)
                dv += max(0, c - mu + mv - cap) - max(0, c - cap)
                c = hc.get(c_, 0)
                dv += max(0, c - mv + mu - cap) - max(0, c - cap)
        ug = self.ug
        for w, k in self.uapart[u]:
            if w == v:
                continue
            gw = ug[w]
            if gw == g:
                dv -= k
            elif gw == h:
                dv += k
        for w, k in self.uapart[v]:
            if w == u:
                continue
            gw = ug[w]
            if gw == h:
                dv -= k
            elif gw == g:
                dv += k
        return dv

    # ------------------------------------------------------------------ local search

    def _candidates(self, u: int, g: int) -> list[int]:
        G = self.G
        if not self.use_index:
            return [h for h in range(G) if h != g]
        acc: dict[int, float] = {}
        wt = self.wt
        for f, m in self.ufeat_items[u]:
            w = wt[f] * m
            for h, c in self.fgroups[f].items():
                acc[h] = acc.get(h, 0.0) + w * c
        acc.pop(g, None)
        if len(acc) > TOP_GROUPS:
            top = sorted(acc.items(), key=itemgetter(1), reverse=True)[:TOP_GROUPS]
        else:
            top = list(acc.items())
        out = [h for h, gain in top if gain > EPS]
        extra = RANDOM_GROUPS
        if self.gviol[g] or self.giso[g]:
            extra += 4
        rng = self.rng
        for _ in range(extra):
            h = rng.randrange(G)
            if h != g and h not in out:
                out.append(h)
        return out

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

    # ------------------------------------------------------------------ recombination

    def _recombine(self, g: int, h: int) -> bool:
        """Best split of the units of groups g and h between them (exhaustive); applied when
        strictly better. Returns True when applied."""
        movable = self.movable
        fixed_g = [u for u in self.gunits[g] if not movable[u]]
        fixed_h = [u for u in self.gunits[h] if not movable[u]]
        free = [u for u in self.gunits[g] + self.gunits[h] if movable[u]]
        k = len(free)
        if k < 2 or k > RECOMBINE_MAX_UNITS:
            return False
        units = fixed_g + fixed_h + free
        m = len(units)
        nfg = len(fixed_g)
        nfixed = nfg + len(fixed_h)
        upeers = self.pb.units
        wt = self.wt
        pf = self.pf
        pfset = self.pfset
        # Unit-to-unit affinity, and per-peer neighbour masks for isolation.
        W = [[0.0] * m for _ in range(m)]
        peer_unit: list[int] = []
        peer_nbr: list[int] = []
        peer_self: list[bool] = []
        for a in range(m):
            for p in upeers[units[a]]:
                nbr = 0
                own = False
                for b in range(m):
                    for q in upeers[units[b]]:
                        if q == p:
                            continue
                        fq = pfset[q]
                        w = 0.0
                        for f in pf[p]:
                            if f in fq:
                                w += wt[f]
                        if w > EPS:
                            if a == b:
                                own = True
                            else:
                                nbr |= 1 << b
                        if b > a:
                            W[a][b] += w
                peer_unit.append(a)
                peer_nbr.append(nbr)
                peer_self.append(own)
        for a in range(m):
            for b in range(a + 1, m):
                W[b][a] = W[a][b]
        size = [self.usize[u] for u in units]
        base_g = sum(size[:nfg])
        total_size = sum(size)
        lo_g, hi_g, lo_h, hi_h = self.lo[g], self.hi[g], self.lo[h], self.hi[h]
        # Violations can only arise if two units share an organisation or a country, or
        # must be kept apart.
        risky = False
        seen_org: dict[int, int] = {}
        seen_cty: dict[int, int] = {}
        for a in range(m):
            u = units[a]
            for o, c in self.uorg[u].items():
                seen_org[o] = seen_org.get(o, 0) + c
            for c_, c in self.ucty[u].items():
                seen_cty[c_] = seen_cty.get(c_, 0) + c
        unit_pos = {u: a for a, u in enumerate(units)}
        apart_pairs = [
            (a, unit_pos[w], cnt)
            for a in range(m)
            for w, cnt in self.uapart[units[a]]
            if w in unit_pos and unit_pos[w] > a
        ]
        if (
            any(c > 1 for c in seen_org.values())
            or any(c > self.cap for c in seen_cty.values())
            or apart_pairs
        ):
            risky = True

        def violations(gmask: int) -> int:
            v = 0
            for side in (gmask, ((1 << m) - 1) ^ gmask):
                orgs: dict[int, int] = {}
                ctys: dict[int, int] = {}
                for a in range(m):
                    if side >> a & 1:
                        u = units[a]
                        for o, c in self.uorg[u].items():
                            orgs[o] = orgs.get(o, 0) + c
                        for c_, c in self.ucty[u].items():
                            ctys[c_] = ctys.get(c_, 0) + c
                v += sum(c * (c - 1) // 2 for c in orgs.values())
                v += sum(c - self.cap for c in ctys.values() if c > self.cap)
                for a, b, cnt in apart_pairs:
                    if side >> a & 1 and side >> b & 1:
                        v += cnt
            return v

        n_peers = len(peer_unit)
        full = (1 << m) - 1

        def evaluate(gmask: int) -> tuple[int, int, float]:
            hmask = full ^ gmask
            cut = 0.0
            for a in range(m):
                if gmask >> a & 1:
                    row = W[a]
                    for b in range(m):
                        if hmask >> b & 1:
                            cut += row[b]
            iso = 0
            for i in range(n_peers):
                if peer_self[i]:
                    continue
                side = gmask if gmask >> peer_unit[i] & 1 else hmask
                if not peer_nbr[i] & side:
                    iso += 1
            viol = violations(gmask) if risky else 0
            return (viol, iso, cut)

        fixed_mask = (1 << nfg) - 1
        current = fixed_mask
        for a in range(nfixed, m):
            if self.ug[units[a]] == g:
                current |= 1 << a
        best_key = evaluate(current)
        best_mask = current
        free_idx = list(range(nfixed, m))
        count = 0
        for r in range(0, k + 1):
            for combo in itertools.combinations(free_idx, r):
                sg = base_g
                for a in combo:
                    sg += size[a]
                if not (lo_g <= sg <= hi_g and lo_h <= total_size - sg <= hi_h):
                    continue
                gmask = fixed_mask
                for a in combo:
                    gmask |= 1 << a
                if gmask == current:
                    continue
                count += 1
                key = evaluate(gmask)
                if key[0] < best_key[0] or (
                    key[0] == best_key[0]
                    and (
                        key[1] < best_key[1]
                        or (key[1] == best_key[1] and key[2] < best_key[2] - EPS)
                    )
                ):
                    best_key = key
                    best_mask = gmask
        self.evals += count
        if best_mask == current:
            return False
        for a in range(nfixed, m):
            u = units[a]
            want = g if best_mask >> a & 1 else h
            have = self.ug[u]
            if want != have:
                self._remove(u, have)
                self._add(u, want)
                if self.logging:
                    self.log.append((u, have, want))
        self._refresh(g)
        self._refresh(h)
        return True

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
        while not self.stopped and self.evals < budget and since_better < stagnation_limit:
            kicks += 1
            self.log = []
            self.logging = True
            before = self.key()
            roll = rng.random()
            touched: set[int] = set()
            if self.iso and roll < 0.5:
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
        self.stats["kicks"] = kicks
        self.stats["kicks_accepted"] = accepted
        self.stats["evaluations"] = self.evals
        self.stats["stopped_by_time"] = int(
            self.deadline is not None and time.monotonic() > self.deadline
        )

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

    def _restore(self, ug: list[int]) -> None:
        for u in range(self.n_units):
            if self.ug[u] != ug[u]:
                self._remove(u, self.ug[u])
        for u in range(self.n_units):
            if self.ug[u] < 0:
                self._add(u, ug[u])
        self._refresh_all()

    def _isolated_group(self, rng: random.Random) -> int:
        groups = [g for g in range(self.G) if self.giso[g]]
        return groups[rng.randrange(len(groups))]

    def _isolated_units(self, g: int) -> list[int]:
        fc = self.gfc[g]
        wt = self.wt
        out = []
        for u in self.gunits[g]:
            if not self.movable[u]:
                continue
            for p in self.pb.units[u]:
                if sum(wt[f] * (fc[f] - 1) for f in self.pf[p]) <= EPS:
                    out.append(u)
                    break
        return out or [w for w in self.gunits[g] if self.movable[w]] or self.gunits[g]

    def _kick(self, rng: random.Random, movable_units: list[int]) -> set[int]:
        """Random swaps between a group and a related group, ignoring the objective."""
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
                        ):
                            self.apply_swap(a, h, b, k)
                            touched.update((h, k))
        return touched

    def assignment(self) -> list[list[int]]:
        """Peers (indices, input order) of each group."""
        groups: list[list[int]] = [[] for _ in range(self.G)]
        for u, g in enumerate(self.ug):
            groups[g].extend(self.pb.units[u])
        for members in groups:
            members.sort()
        return groups
