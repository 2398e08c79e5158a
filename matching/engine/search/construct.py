"""Greedy construction of a first grouping, in named steps.

1. Locked units go to their groups.
2. Other multi-peer units (keep-together sets), largest first, go where they fit best.
3. Size targets are fixed per group (``_targets``).
4. The groups are built one after another (emptiest first). Each group takes first the units
   that *must* go now (an organisation with as many remaining peers as remaining groups, a
   country over its limit), then the unplaced unit with the largest gain, found through an
   inverted index feature -> unplaced units; with no sharing candidate, the hardest unplaced
   unit (fewest potential partners) that fits.
5. Anything left (only when unit sizes did not pack) goes where there is most room.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass, field

from .deltas import Deltas
from .plan import ANY, language_plan
from .state import EPS

POOL_SCAN = 96  # construction: unplaced peers examined per feature


@dataclass
class _Pool:
    """Units not placed yet, with the indexes the construction reads."""

    units: dict[int, None]  # in seed order: fewest potential partners first
    seed_order: list[int]
    by_feature: list[dict[int, None]]
    by_org: dict[int, dict[int, None]] = field(default_factory=dict)
    by_country: dict[int, dict[int, None]] = field(default_factory=dict)
    degree: list[float] = field(default_factory=list)
    rank: list[int] = field(default_factory=list)
    seed_pos: int = 0
    # With the common-language rule: unplaced peers per language (all members of their unit
    # work in it), those of them whose unit works in that language only, and the unplaced
    # peers the rule does not bind.
    speakers: dict[int, int] = field(default_factory=dict)
    mono: dict[int, int] = field(default_factory=dict)
    free: int = 0


class Construction(Deltas):
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

    def construct(self, plan: bool = False) -> None:
        """Build a first grouping; with ``plan`` (and the common-language rule), from a
        language plan (see ``plan``), which costs some sharing but starts from groups that
        all share a language whenever the plan exists."""
        if self.G == 0:
            return
        rank = list(range(self.n_units))
        self.rng.shuffle(rank)
        self._place_locked()
        self._place_multi(rank)
        targets = self._targets()
        if plan:
            self._plan_languages(targets)
        pool = self._pool(rank)
        self._build_groups(pool, targets)
        # Anything left (only when unit sizes did not pack): where it fits best.
        for u in list(pool.units):
            g = max(range(self.G), key=lambda g: (self.hi[g] - self.gsize[g], -g))
            self._take(pool, u, g, {})
        self._refresh_all()
        self.stats["construction_total"] = round(self.total, 6)
        self.stats["construction_isolated"] = self.iso
        self.stats["construction_violations"] = self.viol

    def _plan_languages(self, targets: list[int]) -> None:
        """With the common-language rule and no fixed groups, give each group a language and
        a size from a language plan (see ``plan``); without a plan, groups take whoever fits."""
        self.plan_language: list[int] | None = None
        self.quota: dict[tuple[frozenset[int], int], int] = {}
        if (
            not self.use_lang
            or self.pb.options.pairs
            or any(self.ug[u] >= 0 for u in range(self.n_units))
        ):
            return
        kinds: dict[frozenset[int], int] = {}
        self.kind = []
        for u in range(self.n_units):
            if self.uspk[u] and not self.ucommon[u]:
                return  # a unit that shares no language itself: no plan
            kind = self.ucommon[u] if self.uspk[u] else frozenset({ANY})
            self.kind.append(kind)
            kinds[kind] = kinds.get(kind, 0) + self.usize[u]
        plan = language_plan(kinds, self.G, self.pb.min_size, self.pb.max_size)
        self.stats["language_plan"] = int(plan is not None)
        if plan is None or len(plan.sizes) != self.G:
            return
        targets[:] = plan.sizes
        self.plan_language = plan.group_language
        self.quota = dict(plan.quota)

    def _allowed(self, v: int, g: int) -> bool:
        """Whether the language plan lets unit v join group g (always, without a plan)."""
        if self.plan_language is None:
            return True
        return self.quota.get((self.kind[v], self.plan_language[g]), 0) >= self.usize[v]

    def _place_locked(self) -> None:
        for u in range(self.n_units):
            if self.pb.unit_lock[u] >= 0:
                self._add(u, self.pb.unit_lock[u])

    def _place_multi(self, rank: list[int]) -> None:
        """Multi-peer units that are not locked, largest first, where they fit best."""
        wt = self.wt
        multi = [u for u in range(self.n_units) if self.ug[u] < 0 and self.usize[u] > 1]
        multi.sort(key=lambda u: (-self.usize[u], rank[u]))
        for u in multi:
            best_fit: tuple[int, float, int, int] | None = None  # conflicts, -gain, -free, g
            for g in range(self.G):
                free = self.hi[g] - self.gsize[g]
                if free < self.usize[u]:
                    continue
                gain = sum(wt[f] * m * self.gfc[g].get(f, 0) for f, m in self.ufeat_items[u])
                fit = (self._unit_conflicts(u, g), -gain, -free, g)
                if best_fit is None or fit < best_fit:
                    best_fit = fit
            if best_fit is None:
                g = max(range(self.G), key=lambda g: (self.hi[g] - self.gsize[g], -g))
            else:
                g = best_fit[3]
            self._add(u, g)

    def _pool(self, rank: list[int]) -> _Pool:
        """The unplaced units and their indexes by feature, organisation and country."""
        wt = self.wt
        pool_units = [u for u in range(self.n_units) if self.ug[u] < 0]
        n_feat = self.pb.fs.size
        feat_count = [0] * n_feat
        for p in range(self.pb.n):
            for f in self.pf[p]:
                feat_count[f] += 1
        degree = [0.0] * self.n_units
        for u in pool_units:
            degree[u] = sum(wt[f] * m * (feat_count[f] - m) for f, m in self.ufeat_items[u])
        if self.use_lang:
            # Peers of the rarest languages open groups first, so that their groups form
            # around a language they can work in.
            scarcity = self._language_scarcity()
            seed_order = sorted(pool_units, key=lambda u: (scarcity[u], degree[u], rank[u]))
        else:
            seed_order = sorted(pool_units, key=lambda u: (degree[u], rank[u]))
        by_feature: list[dict[int, None]] = [{} for _ in range(n_feat)]
        for u in sorted(pool_units, key=lambda u: rank[u]):
            for f, _m in self.ufeat_items[u]:
                by_feature[f][u] = None
        pool = _Pool(
            units=dict.fromkeys(seed_order),
            seed_order=seed_order,
            by_feature=by_feature,
            degree=degree,
            rank=rank,
        )
        for u in seed_order:
            for o in self.uorg[u]:
                pool.by_org.setdefault(o, {})[u] = None
            for c_ in self.ucty[u]:
                pool.by_country.setdefault(c_, {})[u] = None
            self._count_languages(pool, u, 1)
        return pool

    def _count_languages(self, pool: _Pool, u: int, sign: int) -> None:
        if not self.use_lang:
            return
        if not self.uspk[u]:
            pool.free += sign * self.usize[u]
            return
        shared = self.ucommon[u]
        for x in shared:
            pool.speakers[x] = pool.speakers.get(x, 0) + sign * self.uspk[u]
        if len(shared) == 1:
            x = next(iter(shared))
            pool.mono[x] = pool.mono.get(x, 0) + sign * self.uspk[u]

    def _language_scarcity(self) -> list[int]:
        """Per unit: the number of constrained peers who work in its most spoken shared
        language (a large number for units with no constrained member)."""
        speakers: dict[int, int] = {}
        for langs in self.pb.lang:
            for lang in langs:
                speakers[lang] = speakers.get(lang, 0) + 1
        out = []
        for u in range(self.n_units):
            shared = [lang for lang, c in self.ulang[u].items() if c == self.uspk[u]]
            out.append(max((speakers[lang] for lang in shared), default=self.pb.n + 1))
        return out

    def _take(self, pool: _Pool, u: int, g: int, acc: dict[int, float]) -> None:
        """Place unit u in group g and add its features to the gains ``acc`` of the pool."""
        wt = self.wt
        del pool.units[u]
        acc.pop(u, None)
        for f, _m in self.ufeat_items[u]:
            del pool.by_feature[f][u]
        for o in self.uorg[u]:
            del pool.by_org[o][u]
        for c_ in self.ucty[u]:
            del pool.by_country[c_][u]
        self._count_languages(pool, u, -1)
        if self.plan_language is not None:
            key = (self.kind[u], self.plan_language[g])
            self.quota[key] = self.quota.get(key, 0) - self.usize[u]
        self._add(u, g)
        for f, m in self.ufeat_items[u]:
            w = wt[f] * m
            for v in itertools.islice(pool.by_feature[f], POOL_SCAN):
                acc[v] = acc.get(v, 0.0) + w

    def _build_groups(self, pool: _Pool, targets: list[int]) -> None:
        """Fill the groups one after another, emptiest first."""
        pb = self.pb
        G = self.G
        wt = self.wt
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
        for k, g in enumerate(build_order):
            remaining_groups = G - k
            for o in self.gorg[g]:
                unbuilt_org[o] -= 1
            for c_, cnt in self.gcty[g].items():
                unbuilt_cty[c_] -= cnt
            acc: dict[int, float] = {}
            for f, c in self.gfc[g].items():
                w = wt[f] * c
                for v in itertools.islice(pool.by_feature[f], POOL_SCAN):
                    acc[v] = acc.get(v, 0.0) + w
            # Forced placements: organisations, then countries.
            for o in orgs_by_size:
                if org_total[o] < remaining_groups:
                    break
                units_o = pool.by_org.get(o)
                if not units_o or o in self.gorg[g] or self.gsize[g] >= targets[g]:
                    continue
                future = (remaining_groups - 1) - unbuilt_org.get(o, 0)
                if len(units_o) > future:
                    self._take(pool, self._most_wanted(pool, units_o, g, acc), g, acc)
            if pb.cap is not None:
                self._force_countries(
                    pool, g, acc, targets, remaining_groups, ctys_by_size, cty_total, unbuilt_cty
                )
            self._fill(pool, g, acc, targets, set(build_order[k + 1 :]))

    def _most_wanted(
        self, pool: _Pool, units: dict[int, None], g: int, acc: dict[int, float]
    ) -> int:
        """Of ``units``, the one group g should take: allowed by the language plan, no
        conflict, most gain, hardest."""
        return max(
            units,
            key=lambda v: (
                self._allowed(v, g),
                self._unit_conflicts(v, g) == 0,
                acc.get(v, 0.0),
                -pool.degree[v],
                -pool.rank[v],
            ),
        )

    def _force_countries(
        self,
        pool: _Pool,
        g: int,
        acc: dict[int, float],
        targets: list[int],
        remaining_groups: int,
        ctys_by_size: list[int],
        cty_total: dict[int, int],
        unbuilt_cty: dict[int, int],
    ) -> None:
        """Countries with more unplaced peers than the later groups can take."""
        cap = self.cap
        for c_ in ctys_by_size:
            if cty_total[c_] <= cap * (remaining_groups - 1):
                break
            while True:
                units_c = pool.by_country.get(c_)
                if not units_c or self.gsize[g] >= targets[g]:
                    break
                if self.gcty[g].get(c_, 0) >= cap:
                    break
                future_cap = cap * (remaining_groups - 1) - unbuilt_cty.get(c_, 0)
                if len(units_c) <= future_cap:
                    break
                self._take(pool, self._most_wanted(pool, units_c, g, acc), g, acc)

    def _fill(
        self,
        pool: _Pool,
        g: int,
        acc: dict[int, float],
        targets: list[int],
        unbuilt: set[int],
    ) -> None:
        """Fill group g up to its target with the best-sharing units."""
        sized = False
        while self.gsize[g] < targets[g] and pool.units:
            if self.use_lang and not sized and self.gspk[g] and self.plan_language is None:
                self._size_for_language(pool, g, targets, unbuilt)
                sized = True
                if self.gsize[g] >= targets[g]:
                    break
            room = targets[g] - self.gsize[g]
            best_u = -1
            best_key: tuple[float, float, int] | None = None
            # With the common-language rule, the languages the group's members all share
            # (None: any), to skip the units that cannot join before the full check.
            common: frozenset[int] | None = None
            if self.use_lang and self.gspk[g]:
                speakers = self.gspk[g]
                common = frozenset(x for x, c in self.glang[g].items() if c == speakers)
            for v, gain in acc.items():
                if gain <= EPS or self.usize[v] > room:
                    continue
                cand = (gain, -pool.degree[v], -pool.rank[v])
                if best_key is not None and cand <= best_key:
                    continue
                if common and self.uspk[v] and not self.ucommon[v] & common:
                    continue
                if not self._allowed(v, g) or self._unit_conflicts(v, g):
                    continue
                best_key = cand
                best_u = v
            if best_u < 0:
                best_u = self._hardest_fitting(pool, g, room)
            self._take(pool, best_u, g, acc)

    def _size_for_language(
        self, pool: _Pool, g: int, targets: list[int], unbuilt: set[int]
    ) -> None:
        """Once group g works in a language, choose its size so that the peers left who work
        only in that language can still fill whole groups (for example 15 speakers of a
        language make three groups of five, not two of six and three left over), and so that
        the group itself can be filled with peers who work in it. A slot moves to or from a
        group not built yet."""
        speakers = self.gspk[g]
        common = [x for x, c in self.glang[g].items() if c == speakers]
        if not common:
            return
        x = min(common, key=lambda y: (pool.speakers.get(y, 0), y))
        mono, total, free = pool.mono.get(x, 0), pool.speakers.get(x, 0), pool.free
        lo, hi = self.pb.min_size, self.pb.max_size

        def fits(size: int) -> bool:
            taken = max(0, size - self.gsize[g])
            if taken > total + free:
                return False  # not enough peers left who can join this group
            left_mono = max(0, mono - taken)
            return left_mono == 0 or math.ceil(left_mono / hi) * lo <= total - taken + free

        if fits(targets[g]):
            return
        sizes = range(max(self.lo[g], self.gsize[g]), self.hi[g] + 1)
        for size in sorted(sizes, key=lambda s: (abs(s - targets[g]), s)):
            if size == targets[g] or not fits(size):
                continue
            change = size - targets[g]
            for h in sorted(unbuilt):
                if (
                    h != g
                    and self.lo[h] <= targets[h] - change <= self.hi[h]
                    and targets[h] - change >= self.gsize[h]
                ):
                    targets[h] -= change
                    targets[g] = size
                    return

    def _hardest_fitting(self, pool: _Pool, g: int, room: int) -> int:
        """No sharing candidate: the hardest unplaced unit that fits (with no conflict if
        one is found among the next few in seed order)."""
        seed_order = pool.seed_order
        while pool.seed_pos < len(seed_order) and seed_order[pool.seed_pos] not in pool.units:
            pool.seed_pos += 1
        fallback = -1
        i, seen = pool.seed_pos, 0
        while i < len(seed_order) and seen < 4 * POOL_SCAN:
            v = seed_order[i]
            i += 1
            if v not in pool.units:
                continue
            seen += 1
            if not self._allowed(v, g):
                continue
            if self.usize[v] <= room and not self._unit_conflicts(v, g):
                return v
            if fallback < 0 and self.usize[v] <= room:
                fallback = v
        if fallback < 0 and self.plan_language is not None:
            fallback = next(
                (v for v in pool.units if self.usize[v] <= room and self._allowed(v, g)), -1
            )
        if fallback < 0:
            fallback = next(iter(pool.units))
            for v in pool.units:
                if self.usize[v] <= room:
                    fallback = v
                    break
        return fallback
