"""Violation and isolation changes of a move or swap, computed from the counters."""

from __future__ import annotations

from .state import EPS, SearchState, lang_excess


class Deltas(SearchState):
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
        if self.use_lang and self.uspk[u] and self.gspk[g]:
            v += (
                self._lang_after(g, -1, u)
                - lang_excess(self.glang[g], self.gspk[g])
                - lang_excess(self.ulang[u], self.uspk[u])
            )
        return v

    def _lang_after(self, g: int, out: int, inn: int) -> int:
        """Language excess of group g after unit `out` leaves and unit `inn` joins."""
        speakers = self.gspk[g]
        gl = self.glang[g]
        dout = self.ulang[out] if out >= 0 else {}
        din = self.ulang[inn] if inn >= 0 else {}
        if out >= 0:
            speakers -= self.uspk[out]
        if inn >= 0:
            speakers += self.uspk[inn]
        if speakers <= 1:
            return 0
        best = 0
        for lang, c in gl.items():
            c += din.get(lang, 0) - dout.get(lang, 0)
            if c > best:
                best = c
        for lang, c in din.items():
            if lang not in gl and c > best:
                best = c
        return speakers - best

    def _lang_delta(self, g: int, out: int, inn: int) -> int:
        """Change of group g's language excess when `out` leaves and `inn` joins."""
        if not ((out >= 0 and self.uspk[out]) or (inn >= 0 and self.uspk[inn])):
            return 0
        return self._lang_after(g, out, inn) - lang_excess(self.glang[g], self.gspk[g])

    def _iso_after(self, g: int, out: int, inn: int) -> int:
        """Isolated members of group g after unit `out` leaves and unit `inn` joins."""
        fc = self.gfc[g]
        wt = self.iwt
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
        if self.use_lang and self.uspk[u]:
            dv += self._lang_delta(g, u, -1) + self._lang_delta(h, -1, u)
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
        if self.use_lang:
            dv += self._lang_delta(g, u, v) + self._lang_delta(h, v, u)
        return dv

    def _fits(self, u: int, g: int) -> bool:
        """Whether unit u works in a language every constrained member of group g shares."""
        if not self.uspk[u]:
            return True
        common = self.gcommon[g]
        return common is None or bool(self.ucommon[u] & common)

    def _common_without(self, g: int, u: int) -> frozenset[int] | None:
        """Languages all constrained members of g share once unit u has left."""
        speakers = self.gspk[g] - self.uspk[u]
        if speakers <= 0:
            return None
        dout = self.ulang[u]
        return frozenset(x for x, c in self.glang[g].items() if c - dout.get(x, 0) == speakers)
