"""Exhaustive re-split of the units of two groups between them."""

from __future__ import annotations

import itertools

from .local import LocalSearch
from .state import EPS, lang_excess

RECOMBINE_MAX_UNITS = 14  # two groups are re-split exhaustively up to this many units


class Recombination(LocalSearch):
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
        iwt = self.iwt
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
                        w = wi = 0.0
                        for f in pf[p]:
                            if f in fq:
                                w += wt[f]
                                wi += iwt[f]
                        if wi > EPS:
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
        # Violations can only arise if two units share an organisation or a country, must be
        # kept apart, or have constrained languages.
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
        use_lang = self.use_lang and sum(self.uspk[u] for u in units) > 1
        if (
            any(c > 1 for c in seen_org.values())
            or any(c > self.cap for c in seen_cty.values())
            or apart_pairs
            or use_lang
        ):
            risky = True

        def violations(gmask: int) -> int:
            v = 0
            for side in (gmask, ((1 << m) - 1) ^ gmask):
                orgs: dict[int, int] = {}
                ctys: dict[int, int] = {}
                langs: dict[int, int] = {}
                speakers = 0
                for a in range(m):
                    if side >> a & 1:
                        u = units[a]
                        for o, c in self.uorg[u].items():
                            orgs[o] = orgs.get(o, 0) + c
                        for c_, c in self.ucty[u].items():
                            ctys[c_] = ctys.get(c_, 0) + c
                        if use_lang and self.uspk[u]:
                            speakers += self.uspk[u]
                            for lang, c in self.ulang[u].items():
                                langs[lang] = langs.get(lang, 0) + c
                if speakers:
                    v += lang_excess(langs, speakers)
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
