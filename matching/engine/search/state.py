"""The search state: which group holds each unit, per-group counters, and the objective key.

Every change goes through ``_add`` and ``_remove``, which keep, per group, the feature
counters (and the group score), the organisation, country and language counters and, with
many groups, the inverted index feature -> groups. ``_refresh`` recomputes a group's isolated
members and violations from those counters.

The common-language rule counts, per group, the constrained members who do not work in the
group's best language (the language most of them share): ``speakers - max(language counts)``.
It is 0 exactly when they all share a language, and each member moved out of a group that
breaks it, or in with the right language, brings it closer to 0.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ..prepare import Problem

EPS = 1e-9
FULL_SCAN_GROUPS = 40  # up to this many groups every group is a candidate target


def lang_excess(counts: dict[int, int], speakers: int) -> int:
    """Constrained members outside the best language: speakers - max count (0 when none)."""
    if speakers <= 1:
        return 0
    return speakers - max(counts.values())


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
        self.iwt = pb.fs.iso_weight
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
        self.use_lang = pb.use_lang
        self.ulang: list[dict[int, int]] = []
        self.uspk: list[int] = []
        self.ucommon: list[frozenset[int]] = []  # languages all its constrained members share
        for members in pb.units:
            langs: dict[int, int] = {}
            speakers = 0
            for p in members:
                if pb.lang[p]:
                    speakers += 1
                    for lang in pb.lang[p]:
                        langs[lang] = langs.get(lang, 0) + 1
            self.ulang.append(langs)
            self.uspk.append(speakers)
            self.ucommon.append(frozenset(x for x, c in langs.items() if c == speakers))
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
        self.glang: list[dict[int, int]] = [{} for _ in range(G)]
        self.gspk = [0] * G
        # Refreshed with the group: its language excess, and the languages all its constrained
        # members share (None: no constrained member, any language fits).
        self.glx = [0] * G
        self.lang_excess_total = 0
        self.gcommon: list[frozenset[int] | None] = [None] * G
        # Groups by a language all their constrained members share; groups with no
        # constrained member, or that break the rule, are open to every unit.
        self.lang_groups: dict[int, set[int]] = {}
        # The construction's language plan: per group its language, per (kind, language)
        # the peers still to place, per unit its kind (see ``plan``).
        self.plan_language: list[int] | None = None
        self.quota: dict[tuple[frozenset[int], int], int] = {}
        self.kind: list[frozenset[int]] = []
        self.open_groups: set[int] = set(range(G))
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
        if self.use_lang and self.uspk[u]:
            gl = self.glang[g]
            for lang, m in self.ulang[u].items():
                gl[lang] = gl.get(lang, 0) + m
            self.gspk[g] += self.uspk[u]

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
        if self.use_lang and self.uspk[u]:
            gl = self.glang[g]
            for lang, m in self.ulang[u].items():
                if gl[lang] == m:
                    del gl[lang]
                else:
                    gl[lang] -= m
            self.gspk[g] -= self.uspk[u]

    def _group_iso(self, g: int) -> int:
        fc = self.gfc[g]
        wt = self.iwt
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
        if self.use_lang:
            excess = lang_excess(self.glang[g], self.gspk[g])
            speakers = self.gspk[g]
            self.lang_excess_total += excess - self.glx[g]
            self.glx[g] = excess
            common = (
                frozenset(x for x, c in self.glang[g].items() if c == speakers)
                if speakers
                else None
            )
            old = self.gcommon[g]
            if common != old:
                for x in old or ():
                    self.lang_groups[x].discard(g)
                for x in common or ():
                    self.lang_groups.setdefault(x, set()).add(g)
                self.gcommon[g] = common
            if common is None or excess:
                self.open_groups.add(g)
            else:
                self.open_groups.discard(g)
            v += excess
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
