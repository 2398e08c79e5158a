"""How much of the unconstrained run's shared themes the common-language rule allows at most, for
instances too large to list every possible group (section ``languages-bound-cg`` of
``benchmarks/matching.py``; ``languages-bound`` lists every group and stops at 55 peers).

The model is the one of ``languages-bound``: the linear relaxation of the set partitioning model
over every group S of 5 or 6 peers who all work in one language (peers who gave none join any)
and come from different organisations, ``max sum c_S x_S`` subject to ``sum_{S ni i} x_S = 1``
for every peer i and ``sum_S x_S = G`` (the engine's number of groups), ``x >= 0``; c_S is the
shared themes of S (sum over its pairs of the themes both have). Isolated members and the
country limit are left out, so the bound is above the best grouping under the rule.

Column generation solves it without listing the groups: a restricted model over the columns
found so far (GLOP) gives duals (pi_i per peer, mu for the number of groups), and a greedy
search per language and starting peer (with swaps) looks for groups whose reduced cost
``c_S - pi(S) - mu`` is positive; they join the model until none is found.

Any duals give an upper bound. With r the largest reduced cost over every group,
``(pi, mu + max(r, 0))`` is feasible for the dual, so ``sum pi + G * (mu + max(r, 0))`` is at
least the optimum of the relaxation, hence at least the best grouping under the rule. The
greedy search cannot prove that no group has a positive reduced cost, so at the end r is
bounded from above exactly, per language, by OR-Tools CP-SAT on the pricing problem (binary
x_i per peer, y_ij <= x_i, y_ij <= x_j per pair sharing a theme, at most one peer of each
organisation, 5 to 6 peers, sum_j y_ij <= 5 x_i). CP-SAT's proven objective bound is used, so
a time limit leaves the bound valid, only looser; the table says whether each pricing
problem was solved to optimality.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from matching.engine import Constraints, Options, Peer, language_code, run
from matching.engine.features import norm

SCALE = 10_000  # the pricing model's integer objective: shared themes and duals times SCALE


class Pools:
    """The instance as arrays: shared themes per pair, organisation per peer, and the peers
    who can join a group of each language."""

    def __init__(self, peers: Sequence[Peer]) -> None:
        import numpy as np

        n = len(peers)
        themes = [frozenset(norm(t) for t in p.themes) for p in peers]
        index: dict[str, int] = {}
        rows = []
        for ts in themes:
            rows.append([index.setdefault(t, len(index)) for t in ts])
        incidence = np.zeros((n, max(1, len(index))), dtype=np.int32)
        for i, cols in enumerate(rows):
            incidence[i, cols] = 1
        self.w = incidence @ incidence.T
        np.fill_diagonal(self.w, 0)
        orgs: dict[str, int] = {}
        self.org = np.array(
            [
                orgs.setdefault(norm(p.organisation), len(orgs)) if norm(p.organisation) else -1 - i
                for i, p in enumerate(peers)
            ]
        )
        spoken = [frozenset(language_code(x) or norm(x) for x in p.languages) for p in peers]
        anyone = [i for i, s in enumerate(spoken) if not s]
        by_language: dict[str, list[int]] = {}
        for i, s in enumerate(spoken):
            for x in s:
                by_language.setdefault(x, []).append(i)
        self.pools = {
            x: np.array(sorted(set(m) | set(anyone)))
            for x, m in by_language.items()
            if len(m) + len(anyone) >= 5
        }
        self.n = n
        self.wp = {x: self.w[np.ix_(pool, pool)].astype(float) for x, pool in self.pools.items()}
        self.orgp = {x: self.org[pool] for x, pool in self.pools.items()}

    def score(self, members: Sequence[int]) -> int:
        ix = list(members)
        return int(self.w[ix][:, ix].sum()) // 2


def _greedy_columns(
    pb: Pools, pi: Any, mu: float, lo: int, hi: int, keep: int, improve: int = 150
) -> list[tuple[float, tuple[int, ...]]]:
    """Groups with a positive reduced cost: from each peer of each language pool, add the
    peer with the largest gain less their dual until the group is full; the ``improve`` best
    of those are then improved by swapping one member for one outsider while the reduced
    cost grows."""
    import numpy as np

    started: list[tuple[float, str, tuple[int, ...]]] = []
    for x, pool in pb.pools.items():
        wp = pb.wp[x]
        pip = pi[pool]
        orgp = pb.orgp[x]
        for a in range(len(pool)):
            members = [a]
            gain = wp[a].copy()
            allowed = orgp != orgp[a]
            value = -pip[a]
            while len(members) < hi:
                cand = np.where(allowed, gain - pip, -np.inf)
                j = int(np.argmax(cand))
                if cand[j] == -np.inf:
                    break
                value += cand[j]
                members.append(j)
                gain += wp[j]
                allowed &= orgp != orgp[j]
                if len(members) >= lo:
                    started.append((float(value - mu), x, tuple(members)))
    started.sort(key=lambda item: -item[0])
    found: dict[tuple[int, ...], float] = {}
    for k, (rc, x, members) in enumerate(started):
        if k < improve:
            rc, members = _improve(pb.wp[x], pi[pb.pools[x]], pb.orgp[x], list(members), rc)
        if rc <= 1e-6:
            continue
        key = tuple(sorted(int(pb.pools[x][m]) for m in members))
        found[key] = max(rc, found.get(key, -np.inf))
    best = sorted(((rc, cols) for cols, rc in found.items()), reverse=True)
    return best[:keep]


def _improve(
    wp: Any, pip: Any, orgp: Any, members: list[int], rc: float
) -> tuple[float, list[int]]:
    """Swap one member for one outsider while the reduced cost grows."""
    import numpy as np

    for _ in range(20):
        row = wp[members].sum(axis=0)  # each peer's shared themes with the whole group
        best = (1e-9, -1, -1)
        for k, out in enumerate(members):
            loss = row[out] - pip[out]  # what `out` brings (w[out, out] = 0)
            others = [m for m in members if m != out]
            gain = row - wp[out] - pip
            gain[members] = -np.inf
            gain[np.isin(orgp, orgp[others])] = -np.inf
            j = int(np.argmax(gain))
            delta = gain[j] - loss
            if delta > best[0]:
                best = (float(delta), k, j)
        if best[1] < 0:
            break
        members[best[1]] = best[2]
        rc += best[0]
    return rc, members


def _master(
    pb: Pools, columns: list[tuple[int, ...]], scores: list[int], groups: int
) -> tuple[float, Any, float]:
    """Optimum of the restricted relaxation and its duals (pi per peer, mu)."""
    import numpy as np
    from ortools.linear_solver import pywraplp

    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = [lp.NumVar(0.0, lp.infinity(), "") for _ in columns]
    rows = [lp.Constraint(1.0, 1.0) for _ in range(pb.n)]
    count = lp.Constraint(float(groups), float(groups))
    objective = lp.Objective()
    for k, cols in enumerate(columns):
        for i in cols:
            rows[i].SetCoefficient(x[k], 1.0)
        count.SetCoefficient(x[k], 1.0)
        objective.SetCoefficient(x[k], float(scores[k]))
    objective.SetMaximization()
    status = lp.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        raise RuntimeError(f"restricted model not solved: status {status}")
    pi = np.array([r.dual_value() for r in rows])
    mu = count.dual_value()
    value = objective.Value()
    # Strong duality: sum pi + G mu is the optimum (checked, so that a change of the
    # solver's sign convention cannot give a wrong bound).
    if abs(pi.sum() + groups * mu - value) > 1e-6 * max(1.0, abs(value)):
        pi, mu = -pi, -mu
        if abs(pi.sum() + groups * mu - value) > 1e-6 * max(1.0, abs(value)):
            raise RuntimeError("duals do not match the optimum")
    return value, pi, mu


def _exact_pricing(
    pb: Pools, pi: Any, mu: float, lo: int, hi: int, limit: float
) -> tuple[float, bool, float]:
    """(upper bound of the largest reduced cost, all pricing problems optimal, seconds)."""
    import math

    from ortools.sat.python import cp_model

    started = time.monotonic()
    best = -math.inf
    optimal = True
    for pool in pb.pools.values():
        model = cp_model.CpModel()
        ids = [int(i) for i in pool]
        x = {i: model.NewBoolVar(f"x{i}") for i in ids}
        model.Add(sum(x.values()) >= lo)
        model.Add(sum(x.values()) <= hi)
        by_org: dict[int, list[Any]] = {}
        for i in ids:
            by_org.setdefault(int(pb.org[i]), []).append(x[i])
        for lits in by_org.values():
            if len(lits) > 1:
                model.AddAtMostOne(lits)
        terms = []
        partners: dict[int, list[Any]] = {i: [] for i in ids}
        pair_vars: dict[int, list[tuple[int, Any]]] = {i: [] for i in ids}
        for a, i in enumerate(ids):
            for j in ids[a + 1 :]:
                w = int(pb.w[i, j])
                if w <= 0 or pb.org[i] == pb.org[j]:
                    continue
                y = model.NewBoolVar("")
                model.AddImplication(y, x[i])
                model.AddImplication(y, x[j])
                partners[i].append(y)
                partners[j].append(y)
                pair_vars[i].append((j, y))
                pair_vars[j].append((i, y))
                terms.append(w * SCALE * y)
        weights: dict[int, list[int]] = {i: [] for i in ids}
        for i in ids:
            if partners[i]:
                model.Add(sum(partners[i]) <= (hi - 1) * x[i])
        # What a peer can bring at most: its hi - 1 largest shared themes in the pool.
        for i in ids:
            weights[i] = sorted((int(pb.w[i, j]) for j in ids if j != i), reverse=True)
        for i in ids:
            if partners[i]:
                top = sum(weights[i][: hi - 1])
                mine = [int(pb.w[i, j]) * y for j, y in pair_vars[i]]
                model.Add(sum(mine) <= top * x[i])
        # Duals rounded down: the model's objective is then at least the true reduced cost.
        terms += [-math.floor(pi[i] * SCALE) * x[i] for i in ids]
        model.Maximize(sum(terms))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = 2
        status = solver.Solve(model)
        name = solver.StatusName(status)
        if name == "OPTIMAL":
            value = solver.ObjectiveValue()
        elif name == "FEASIBLE":
            value = solver.BestObjectiveBound()
            optimal = False
        else:
            raise RuntimeError(f"pricing problem not solved: {name}")
        best = max(best, value / SCALE - mu)
    return best, optimal, time.monotonic() - started


def column_generation_bound(
    peers: Sequence[Peer],
    groups: int,
    start: Sequence[Sequence[int]],
    *,
    lo: int = 5,
    hi: int = 6,
    rounds: int = 200,
    keep: int = 400,
    pricing_limit: float = 120.0,
) -> dict[str, Any]:
    """The bound, from the grouping ``start`` (lists of peer indices, a feasible grouping
    under the rule with ``groups`` groups) as the first columns."""
    started = time.monotonic()
    pb = Pools(peers)
    columns = [tuple(sorted(g)) for g in start]
    seen = set(columns)
    scores = [pb.score(c) for c in columns]
    value, pi, mu = _master(pb, columns, scores, groups)
    done = 0
    while done < rounds:
        done += 1
        new = _greedy_columns(pb, pi, mu, lo, hi, keep)
        new = [(rc, c) for rc, c in new if c not in seen]
        if not new:
            break
        for _rc, c in new:
            seen.add(c)
            columns.append(c)
            scores.append(pb.score(c))
        value, pi, mu = _master(pb, columns, scores, groups)
    generated = time.monotonic() - started
    r_max, optimal, pricing_seconds = _exact_pricing(pb, pi, mu, lo, hi, pricing_limit)
    bound = float(pi.sum()) + groups * (mu + max(0.0, r_max))
    return {
        "columns": len(columns),
        "rounds": done,
        "restricted": value,
        "dual": float(pi.sum()) + groups * mu,
        "r_max": r_max,
        "pricing_optimal": optimal,
        "bound": bound,
        "cg_seconds": generated,
        "pricing_seconds": pricing_seconds,
    }


def section_bound_cg(
    sizes: Sequence[int], mixes: Sequence[str], seeds: Sequence[int], limit: float
) -> list[str]:
    from matching_languages import chosen_mixes, instance

    lines = [
        "### Working languages: what the rule allows at most, by column generation",
        "",
        "Bound = an upper bound of the linear relaxation of the set partitioning model over "
        "every group of 5 or 6 peers who share a working language and come from different "
        "organisations, with as many groups as the engine made (see "
        "`benchmarks/matching_languages_bound.py`): duals from column generation, made valid "
        "by bounding the largest reduced cost exactly with CP-SAT. No grouping under the rule "
        "has more shared themes. Restricted = the relaxation over the columns generated (a "
        "value the relaxation reaches); r = the largest reduced cost left (0 or less: the "
        "generation had converged); pricing optimal = CP-SAT proved r within its time limit "
        f"of {limit:g} s per language (otherwise its bound is used).",
        "",
        "| peers | mix | seed | groups | columns | restricted | r | pricing optimal | bound "
        "| engine with rule | engine without rule | bound / without | engine / without "
        "| engine / bound | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
        "| --- |",
    ]
    import sys

    for n in sizes:
        for mix in chosen_mixes(mixes):
            for seed in seeds:
                t0 = time.monotonic()
                peers = instance(n, seed, mix)
                a = run(peers, Options(seed=seed))
                b = run(peers, Options(seed=seed, constraints=Constraints(common_language=False)))
                with_rule = int(a.stats["shared_theme_pairs"])
                without = int(b.stats["shared_theme_pairs"])
                index = {p.id: i for i, p in enumerate(peers)}
                start = [[index[m] for m in g.members] for g in a.groups]
                r = column_generation_bound(peers, len(a.groups), start, pricing_limit=limit)
                bound = r["bound"]
                lines.append(
                    f"| {n} | {mix} | {seed} | {len(a.groups)} | {r['columns']} "
                    f"| {r['restricted']:.1f} | {r['r_max']:.3f} | {r['pricing_optimal']} "
                    f"| {bound:.1f} | {with_rule} | {without} | {bound / without:.3f} "
                    f"| {with_rule / without:.3f} | {with_rule / bound:.3f} "
                    f"| {time.monotonic() - t0:.0f} |"
                )
                print(lines[-1], file=sys.stderr, flush=True)
    lines.append("")
    return lines
