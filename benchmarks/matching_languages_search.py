"""Does more or different search lower the price of the working-language rule?

The price of the rule is a ratio: shared themes of the engine's grouping with the rule over
those of the same engine without it. These sections apply extra search to both sides alike:

* ``languages-effort``: the engine's own iterated local search with 1, 3 and 10 times its
  budget (``Options(effort=...)``).
* ``languages-recombine``: two recombination methods on top of the engine's search (as
  ``run()`` runs it above 300 peers: one search, seed ``7919 * seed``):

  - set partitioning by column generation: a restricted master problem (each peer in one
    group, as many groups of each size as the engine made) over the engine's groups, solved
    as a linear programme with HiGHS for duals; each pricing round builds, around every
    peer and in each of its working languages, a greedy group (the peer with the largest
    affinity to the members less its dual price, under the organisation, country and
    language rules) and adds those with a positive reduced profit; then the restricted
    master as an integer programme (``scipy.optimize.milp``) with a time limit.
  - large-neighbourhood search: a group and the two groups most related to it that share a
    working language with it are re-split exactly (every subset of 5-6 of their peers that
    breaks no rule and isolates nobody, the 3,000 best of them and the three groups
    themselves, as an integer programme); applied when the total rises.

The objective of both is the engine's own group score (with the problem strategy, shared
themes). Nothing here is used by the engine.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Sequence

import numpy as np
from matching_languages import HELD_OUT_SEEDS, TUNING_SEEDS, chosen_mixes, instance
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csc_array

from matching.engine import Constraints, Options, Peer, run
from matching.engine.prepare import prepare
from matching.engine.run import RESTART_MAX_PEERS, RESTARTS, search_budget
from matching.engine.search import EPS, Search
from matching.engine.search.state import lang_excess

SIDES = (("with", True), ("without", False))


def options_for(seed: int, rule: bool, effort: float = 1.0) -> Options:
    if rule:
        return Options(seed=seed, effort=effort)
    return Options(seed=seed, effort=effort, constraints=Constraints(common_language=False))


# ---------------------------------------------------------------------- effort


def section_effort(n: int, mixes: Sequence[str], efforts: Sequence[float]) -> list[str]:
    lines = [
        "### Working languages: the price of the rule with a larger search budget",
        "",
        f"{n} peers, tuning seeds {','.join(map(str, TUNING_SEEDS))}. The engine with "
        "`Options(effort=e)` on both sides (the budget of its iterated local search times e); "
        "shared themes summed over the seeds.",
        "",
        "| mix | effort | shared themes with / without | ratio | CPU s with / without |",
        "| --- | --- | --- | --- | --- |",
    ]
    for mix in chosen_mixes(mixes):
        for effort in efforts:
            totals = {True: 0, False: 0}
            cpu = {True: 0.0, False: 0.0}
            for seed in TUNING_SEEDS:
                peers = instance(n, seed, mix)
                for _, rule in SIDES:
                    t0 = time.process_time()
                    result = run(peers, options_for(seed, rule, effort))
                    cpu[rule] += time.process_time() - t0
                    totals[rule] += int(result.stats["shared_theme_pairs"])
            lines.append(
                f"| {mix} | {effort:g} | {totals[True]} / {totals[False]} | "
                f"{totals[True] / totals[False]:.3f} | {cpu[True]:.1f} / {cpu[False]:.1f} |"
            )
            print(lines[-1], flush=True)
    lines.append("")
    return lines


# ---------------------------------------------------------------------- the engine's search


def engine_search(peers: Sequence[Peer], options: Options) -> Search:
    """The search ``run()`` makes (its restarts, without the language rescue; the caller
    checks the total against ``run()``)."""
    pb = prepare(peers, options)
    budget, stagnation = search_budget(pb.n, options.effort)
    restarts = RESTARTS if pb.n <= RESTART_MAX_PEERS and budget > 0 else 1
    best: Search | None = None
    used = 0
    for k in range(restarts):
        search = Search(pb, seed=options.seed * 7919 + k)
        search.construct(plan=k == 1)
        search.improve((budget - used) // (restarts - k), stagnation // restarts + 1)
        used += search.evals
        if best is None or search.key() < best.key():
            best = search
    assert best is not None
    return best


def column_key(s: Search, units: tuple[int, ...]) -> tuple[int, int, float]:
    """(violations, isolated members, score) of a group of these units, by the rules of the
    search state (organisation, country cap, keep-apart, common language, isolation)."""
    fc: dict[int, int] = {}
    orgs: dict[int, int] = {}
    ctys: dict[int, int] = {}
    langs: dict[int, int] = {}
    speakers = 0
    for u in units:
        for f, m in s.ufeat_items[u]:
            fc[f] = fc.get(f, 0) + m
        for o, m in s.uorg[u].items():
            orgs[o] = orgs.get(o, 0) + m
        for c, m in s.ucty[u].items():
            ctys[c] = ctys.get(c, 0) + m
        if s.use_lang and s.uspk[u]:
            speakers += s.uspk[u]
            for lang, m in s.ulang[u].items():
                langs[lang] = langs.get(lang, 0) + m
    score = sum(s.wt[f] * c * (c - 1) / 2 for f, c in fc.items())
    viol = sum(c * (c - 1) // 2 for c in orgs.values() if c > 1)
    viol += sum(c - s.cap for c in ctys.values() if c > s.cap)
    inside = set(units)
    viol += sum(k for u in units for w, k in s.uapart[u] if w in inside) // 2
    if s.use_lang:
        viol += lang_excess(langs, speakers)
    iso = 0
    for u in units:
        for p in s.pb.units[u]:
            if sum(s.iwt[f] * (fc[f] - 1) for f in s.pf[p]) <= EPS:
                iso += 1
    return viol, iso, score


# ---------------------------------------------------------------------- column generation


class Master:
    """Restricted master problem over columns (sorted unit tuples) and their scores."""

    def __init__(self, s: Search) -> None:
        self.s = s
        units = sorted(range(s.n_units))
        self.row = {u: i for i, u in enumerate(units)}
        self.sizes = Counter(s.gsize[g] for g in range(s.G) if s.gunits[g])
        self.size_row = {z: len(units) + k for k, z in enumerate(sorted(self.sizes))}
        self.columns: dict[tuple[int, ...], float] = {}
        self.holders: dict[int, list[int]] = {}
        for u in range(s.n_units):
            for f, _ in s.ufeat_items[u]:
                self.holders.setdefault(f, []).append(u)

    def size_of(self, col: tuple[int, ...]) -> int:
        return sum(self.s.usize[u] for u in col)

    def add(self, col: tuple[int, ...], own: bool = False) -> bool:
        if col in self.columns or self.size_of(col) not in self.sizes:
            return False
        viol, iso, score = column_key(self.s, col)
        if (viol or iso) and not own:
            return False
        self.columns[col] = score
        return True

    def problem(self) -> tuple[csc_array, np.ndarray, np.ndarray]:
        indices: list[int] = []
        indptr = [0]
        for col in self.columns:
            indices.extend(sorted(self.row[u] for u in col))
            indices.append(self.size_row[self.size_of(col)])
            indptr.append(len(indices))
        m = len(self.row) + len(self.sizes)
        A = csc_array(
            (np.ones(len(indices)), np.array(indices), np.array(indptr)),
            shape=(m, len(self.columns)),
        )
        b = np.ones(m)
        for z, r in self.size_row.items():
            b[r] = self.sizes[z]
        return A, b, -np.array(list(self.columns.values()))

    def relaxation(self) -> tuple[float, dict[int, float], dict[int, float]]:
        A, b, cost = self.problem()
        res = linprog(cost, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
        if res.status != 0:
            raise RuntimeError(res.message)
        y = res.eqlin.marginals
        return (
            -float(res.fun),
            {u: -float(y[i]) for u, i in self.row.items()},
            {z: -float(y[r]) for z, r in self.size_row.items()},
        )

    def integer(self, seconds: float) -> float | None:
        A, b, cost = self.problem()
        res = milp(
            cost,
            integrality=np.ones(len(cost)),
            bounds=Bounds(0, 1),
            constraints=LinearConstraint(A, b, b),
            options={"time_limit": seconds},
        )
        return None if res.x is None else -float(res.fun)


def greedy_columns(
    m: Master,
    seed: int,
    language: int | None,
    price: dict[int, float],
    size_price: dict[int, float],
) -> list[tuple[int, ...]]:
    s = m.s
    top = max(m.sizes)
    members = [seed]
    size = s.usize[seed]
    orgs = dict(s.uorg[seed])
    ctys = dict(s.ucty[seed])
    apart = {w for w, _ in s.uapart[seed]}
    common = frozenset((language,)) if language is not None else None
    gain: dict[int, float] = {}
    inside = {seed}

    def join(u: int) -> None:
        for f, k in s.ufeat_items[u]:
            for v in m.holders.get(f, ()):
                if v not in inside:
                    gain[v] = gain.get(v, 0.0) + s.wt[f] * k * s.ufeat[v][f]

    join(seed)
    out = []
    while size < top:
        best, best_value = -1, 0.0
        for v, aff in gain.items():
            value = aff - price[v]
            if best >= 0 and value <= best_value:
                continue
            if size + s.usize[v] > top or v in apart:
                continue
            if any(orgs.get(o, 0) + k > 1 for o, k in s.uorg[v].items()):
                continue
            if any(ctys.get(c, 0) + k > s.cap for c, k in s.ucty[v].items()):
                continue
            if s.use_lang and s.uspk[v] and common is not None and not s.ucommon[v] & common:
                continue
            best, best_value = v, value
        if best < 0:
            break
        members.append(best)
        inside.add(best)
        gain.pop(best)
        size += s.usize[best]
        for o, k in s.uorg[best].items():
            orgs[o] = orgs.get(o, 0) + k
        for c, k in s.ucty[best].items():
            ctys[c] = ctys.get(c, 0) + k
        apart.update(w for w, _ in s.uapart[best])
        if s.use_lang and s.uspk[best]:
            common = s.ucommon[best] if common is None else common & s.ucommon[best]
        join(best)
        if size in m.sizes:
            col = tuple(sorted(members))
            if col not in m.columns:
                viol, iso, score = column_key(s, col)
                if not viol and not iso and score - sum(price[u] for u in col) > size_price[size]:
                    out.append(col)
    return out


def column_generation(s: Search, rounds: int, mip_seconds: float) -> dict[str, float | None]:
    m = Master(s)
    for g in range(s.G):
        if s.gunits[g]:
            m.add(tuple(sorted(s.gunits[g])), own=True)
    t0 = time.process_time()
    value = first = 0.0
    done = 0
    for k in range(rounds):
        value, price, size_price = m.relaxation()
        if k == 0:
            first = value
        done += 1
        added = 0
        for u in range(s.n_units):
            langs = sorted(s.ucommon[u]) if s.use_lang and s.uspk[u] else [None]
            for lang in langs:
                for col in greedy_columns(m, u, lang, price, size_price):
                    added += m.add(col)
        if not added:
            break
    lp_seconds = time.process_time() - t0
    t0 = time.process_time()
    best = m.integer(mip_seconds)
    return {
        "engine": s.total,
        "first": first,
        "lp": value,
        "rounds": done,
        "columns": len(m.columns),
        "lp_seconds": lp_seconds,
        "integer": best,
        "mip_seconds": time.process_time() - t0,
    }


# ---------------------------------------------------------------------- neighbourhoods


def _resplit(s: Search, groups: list[int], keep: int) -> float:
    """Exact re-split of the peers of ``groups`` (single-peer units); the gain applied."""
    units = sorted(u for g in groups for u in s.gunits[g])
    if any(s.usize[u] != 1 for u in units) or any(s.gviol[g] or s.giso[g] for g in groups):
        return 0.0
    sizes = Counter(s.gsize[g] for g in groups)
    cols: list[tuple[int, ...]] = []
    scores: list[float] = []
    for size in sorted(sizes):
        for combo in itertools.combinations(units, size):
            viol, iso, score = column_key(s, combo)
            if not viol and not iso:
                cols.append(combo)
                scores.append(score)
    own = [tuple(sorted(s.gunits[g])) for g in groups]
    order = sorted(range(len(cols)), key=lambda j: -scores[j])[:keep]
    chosen_cols = [cols[j] for j in order]
    chosen_scores = [scores[j] for j in order]
    for col in own:
        if col not in chosen_cols:
            chosen_cols.append(col)
            chosen_scores.append(column_key(s, col)[2])
    pos = {u: i for i, u in enumerate(units)}
    size_row = {z: len(units) + k for k, z in enumerate(sorted(sizes))}
    indices: list[int] = []
    indptr = [0]
    for col in chosen_cols:
        indices.extend(pos[u] for u in col)
        indices.append(size_row[len(col)])
        indptr.append(len(indices))
    rows = len(units) + len(sizes)
    A = csc_array(
        (np.ones(len(indices)), np.array(indices), np.array(indptr)),
        shape=(rows, len(chosen_cols)),
    )
    b = np.ones(rows)
    for z, r in size_row.items():
        b[r] = sizes[z]
    res = milp(
        -np.array(chosen_scores),
        integrality=np.ones(len(chosen_cols)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(A, b, b),
        options={"time_limit": 10.0},
    )
    before = sum(s.gscore[g] for g in groups)
    if res.x is None or -res.fun <= before + EPS:
        return 0.0
    picked = [chosen_cols[j] for j in np.nonzero(res.x > 0.5)[0]]
    slots: dict[int, list[int]] = {}
    for g in groups:
        slots.setdefault(s.gsize[g], []).append(g)
    for col in picked:
        g = slots[len(col)].pop()
        for u in col:
            if s.ug[u] != g:
                s.apply_move(u, s.ug[u], g)
    return sum(s.gscore[g] for g in groups) - before


def neighbourhood_steps(
    s: Search, steps: int, freed: int = 3, keep: int = 3000
) -> dict[str, float]:
    order = [g for g in range(s.G) if s.gunits[g]]
    s.rng.shuffle(order)
    done = improved = 0
    gain = 0.0
    t0 = time.process_time()
    key0 = s.key()
    for g in order[:steps]:
        common = s.gcommon[g] if s.use_lang else None
        lang = min(common) if common else None
        related: dict[int, float] = {}
        for u in s.gunits[g]:
            for f, k in s.ufeat_items[u]:
                for h in range(s.G):
                    c = s.gfc[h].get(f, 0)
                    if h != g and c:
                        related[h] = related.get(h, 0.0) + s.wt[f] * k * c
        near = [
            h
            for h, _ in sorted(related.items(), key=lambda item: (-item[1], item[0]))
            if lang is None or (s.gcommon[h] is not None and lang in s.gcommon[h])
        ][: freed - 1]
        done += 1
        step = _resplit(s, [g, *near], keep)
        if step > EPS:
            improved += 1
            gain += step
    # Re-splits choose only groups that break no rule and isolate nobody: never worse.
    assert s.key() <= key0
    return {"steps": done, "improved": improved, "gain": gain, "seconds": time.process_time() - t0}


def section_recombine(
    n: int, mixes: Sequence[str], seeds: Sequence[int], rounds: int, mip_seconds: float, steps: int
) -> list[str]:
    lines = [
        "### Working languages: recombining the engine's groups",
        "",
        f"{n} peers. Column generation: up to {rounds} pricing rounds, then the restricted "
        f"master as an integer programme (HiGHS, {mip_seconds:g} s). Neighbourhoods: {steps} "
        "exact re-splits of three related groups. Engine = the engine's total (with the problem "
        "strategy, its shared themes); LP = the linear relaxation over the columns generated; "
        "integer = the best grouping HiGHS found over those columns in its time limit (none: "
        "it found no grouping at all, not even the engine's, which is among the columns).",
        "",
        "| mix | seed | rule | engine | LP first / reached | rounds | columns | integer | CPU s "
        "LP / integer | re-splits improved / tried | gain | CPU s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    for mix in chosen_mixes(mixes):
        for seed in seeds:
            peers = instance(n, seed, mix)
            lp = {}
            engine = {}
            for label, rule in SIDES:
                options = options_for(seed, rule)
                s = engine_search(peers, options)
                reference = run(peers, options)
                assert abs(s.total - reference.total) < 1e-6, (s.total, reference.total)
                cg = column_generation(s, rounds, mip_seconds)
                nb = neighbourhood_steps(s, steps)
                lp[rule] = float(cg["lp"] or 0.0)
                engine[rule] = float(cg["engine"] or 0.0)
                integer = "none" if cg["integer"] is None else f"{cg['integer']:.0f}"
                lines.append(
                    f"| {mix} | {seed} | {label} | {engine[rule]:.0f} | {cg['first']:.1f} / "
                    f"{cg['lp']:.1f} | {cg['rounds']} | {cg['columns']} | {integer} | "
                    f"{cg['lp_seconds']:.0f} / {cg['mip_seconds']:.0f} | {nb['improved']} / "
                    f"{nb['steps']} | {nb['gain']:.0f} | {nb['seconds']:.0f} |"
                )
                print(lines[-1], flush=True)
            notes += [
                f"{mix}, seed {seed}: engine with / without {engine[True] / engine[False]:.3f}; "
                f"LP reached with / without {lp[True] / lp[False]:.3f}; LP reached with the rule "
                f"/ engine without {lp[True] / engine[False]:.3f}.",
                "",
            ]
    return [*lines, "", *notes]


__all__ = ["HELD_OUT_SEEDS", "section_effort", "section_recombine"]
