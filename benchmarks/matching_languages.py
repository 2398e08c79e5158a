"""The matching engine with working languages (sections of ``benchmarks/matching.py``).

* ``languages-exact``: instances of 20 to 30 peers in language communities, solved exactly with
  OR-Tools CP-SAT under the same constraints: the set partitioning model of the exact section,
  whose columns are the groups of min..max peers with no two peers of one organisation, no
  isolated member and a working language all members share (``pair_affinity`` and the
  ISO 639-1 codes, independent of the engine's counters).
* ``languages-price``: the price of the rule in shared themes, at 55, 500 and 5,000 peers: the
  engine with the rule against the engine without it on the same peers, and an independent
  check (``check_groups``) of every grouping with the rule.
* ``languages-bound``: at 55 peers, how much of the unconstrained run's shared themes any
  grouping under the rule can keep: the optimum of the linear relaxation of the set
  partitioning model over every group of 5 or 6 peers who share a language and come from
  different organisations (an upper bound of the constrained optimum), against the engine.
* ``languages-speed``: wall and CPU seconds at 55, 5,000 and 10,000 peers with languages, each
  in a fresh process, with the load average before and after.

Instances come from ``language_peers``: each country works in a language drawn from a community
mix, its peers in that language and, for a share of bilingual peers, a second one (the bridges
between communities); organisations belong to one country (about 2 organisations for each
peer drawn at random, so most peers are alone from their organisation). The "tuning" seeds
were used while the search was adjusted for the rule; the "held-out" seeds were not.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matching.engine import (  # noqa: E402
    Constraints,
    Options,
    Peer,
    check_groups,
    language_code,
    pair_affinity,
    run,
)
from matching.engine.features import norm  # noqa: E402
from matching.engine.synthetic import language_peers  # noqa: E402

# Community mixes: first-language shares and the share of bilingual peers.
MIXES: dict[str, tuple[dict[str, float], float]] = {
    "en/fr/ru 50/30/20, 25 % bilingual": ({"en": 0.5, "fr": 0.3, "ru": 0.2}, 0.25),
    "en/ru/bs 40/40/20, 40 % bilingual": ({"en": 0.4, "ru": 0.4, "bs": 0.2}, 0.4),
    "en/fr/pt 45/40/15, 35 % bilingual": ({"en": 0.45, "fr": 0.4, "pt": 0.15}, 0.35),
}
# The same shares with every bilingual peer's second language another language of the
# network (in ``MIXES`` it is drawn from ``BRIDGES``, partly outside the network). Added after
# the first measurements, with the shares of ``MIXES`` unchanged; reported beside them.
NETWORK_MIXES: dict[str, tuple[dict[str, float], float]] = {
    f"{name.split(',')[0]}, {round(b * 100)} % bilingual within the network": (shares, b)
    for name, (shares, b) in MIXES.items()
}
ALL_MIXES = {**MIXES, **NETWORK_MIXES}
TUNING_SEEDS = (1, 2, 3)
HELD_OUT_SEEDS = (501, 502, 503)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def instance(n: int, seed: int, mix: str) -> list[Peer]:
    shares, bilingual = ALL_MIXES[mix]
    return language_peers(
        n,
        seed=seed,
        mix=shares,
        bilingual=bilingual,
        within_network=mix in NETWORK_MIXES,
        org_ratio=2.0,
    )


def chosen_mixes(mixes: Sequence[str]) -> list[str]:
    """The mixes named (a whole name: that mix; otherwise every mix whose name starts so);
    all when none is named."""
    if not mixes:
        return list(ALL_MIXES)
    return [
        m
        for m in ALL_MIXES
        if m in mixes or any(m.startswith(x) for x in mixes if x not in ALL_MIXES)
    ]


def section_profile(n: int = 500) -> list[str]:
    """What the instances look like: who works in which of the network's languages."""
    lines = [
        "### Working languages: the instances",
        "",
        f"{n} peers, held-out seeds {', '.join(map(str, HELD_OUT_SEEDS))} (averages). Network "
        "languages: those of the mix. Speakers: peers who work in that language (first or "
        "second). Bridges: peers who work in two of the network's languages. Pairs: share of "
        "pairs of peers who have a working language in common. Themes are drawn independently "
        "of the language (``make_peers``), so peers with kindred themes are spread over the "
        "communities in proportion to their size.",
        "",
        "| mix | speakers per network language | other second languages | bridges "
        "| pairs sharing a language |",
        "| --- | --- | --- | --- | --- |",
    ]
    for mix, (shares, _b) in ALL_MIXES.items():
        speak: dict[str, float] = dict.fromkeys(shares, 0.0)
        bridges = outside = pairs = 0.0
        for seed in HELD_OUT_SEEDS:
            peers = instance(n, seed, mix)
            sets = [frozenset(p.languages) for p in peers]
            for langs in sets:
                for x in langs:
                    if x in speak:
                        speak[x] += 1
                bridges += len(langs & set(shares)) > 1
                outside += bool(langs - set(shares))
            by_set: dict[frozenset[str], int] = {}
            for langs in sets:
                by_set[langs] = by_set.get(langs, 0) + 1
            kinds = list(by_set.items())
            shared = 0
            for i, (a, ca) in enumerate(kinds):
                for b, cb in kinds[i:]:
                    if a & b:
                        shared += ca * (ca - 1) // 2 if a == b else ca * cb
            pairs += shared / (n * (n - 1) / 2)
        k = len(HELD_OUT_SEEDS) * n
        per = ", ".join(f"{x} {speak[x] / k:.0%}" for x in shares)
        lines.append(
            f"| {mix} | {per} | {outside / k:.0%} | {bridges / k:.0%} "
            f"| {pairs / len(HELD_OUT_SEEDS):.0%} |"
        )
    lines.append("")
    return lines


# ---------------------------------------------------------------------- exact


# Small instances: two communities, or three with many bilinguals (with 20 to 30 peers a third
# community of 15 % has three or four speakers, too few for a group).
EXACT_MIXES: dict[str, tuple[dict[str, float], float]] = {
    "en/fr 60/40, 30 % bilingual": ({"en": 0.6, "fr": 0.4}, 0.3),
    "ru/en 50/50, 30 % bilingual": ({"ru": 0.5, "en": 0.5}, 0.3),
    "en/fr/ru 50/30/20, 50 % bilingual": ({"en": 0.5, "fr": 0.3, "ru": 0.2}, 0.5),
}


def exact_instances() -> list[tuple[str, list[Peer]]]:
    out = []
    sizes = (20, 21, 22, 24, 25, 26, 27, 28, 30)
    for k, n in enumerate(sizes):
        for label, base in (("tuning", 200), ("held-out", 600)):
            seed = base + k
            mix = list(EXACT_MIXES)[k % len(EXACT_MIXES)]
            shares, bilingual = EXACT_MIXES[mix]
            peers = language_peers(
                n,
                seed=seed,
                mix=shares,
                bilingual=bilingual,
                n_themes=10,
                themes_per_peer=(3, 4),
                org_ratio=2.0,
            )
            out.append((f"{label}: {mix.split(',')[0]}, n={n}", peers))
    return out


def language_columns(peers: Sequence[Peer], lo: int, hi: int) -> list[tuple[tuple[int, ...], int]]:
    """Feasible groups: no two peers of one organisation, a language all members who gave
    one share, no isolated member; score = sum of pair affinities (problem strategy)."""
    n = len(peers)
    w = [
        [
            int(pair_affinity(peers[i], peers[j], {"problem": 1.0})) if i != j else 0
            for j in range(n)
        ]
        for i in range(n)
    ]
    orgs = [norm(p.organisation) for p in peers]
    spoken = [frozenset(language_code(x) or norm(x) for x in p.languages) for p in peers]
    out = []
    for size in range(lo, hi + 1):
        for combo in itertools.combinations(range(n), size):
            seen = [orgs[i] for i in combo if orgs[i]]
            if len(set(seen)) != len(seen):
                continue
            common: frozenset[str] | None = None
            for i in combo:
                if spoken[i]:
                    common = spoken[i] if common is None else common & spoken[i]
            if common is not None and not common:
                continue
            score = 0
            for a in combo:
                s = sum(w[a][b] for b in combo)
                if s <= 0:
                    break
                score += s
            else:
                out.append((combo, score // 2))
    return out


def solve(
    peers: Sequence[Peer], groups: int, limit: float, hint: Sequence[Sequence[str]] = ()
) -> dict[str, Any]:
    from ortools.sat.python import cp_model

    started = time.monotonic()
    cols = language_columns(peers, 5, 6)
    model = cp_model.CpModel()
    x = [model.NewBoolVar(f"c{k}") for k in range(len(cols))]
    by_peer: list[list[Any]] = [[] for _ in peers]
    for k, (combo, _score) in enumerate(cols):
        for i in combo:
            by_peer[i].append(x[k])
    for lits in by_peer:
        model.AddExactlyOne(lits)
    model.Add(sum(x) == groups)
    model.Maximize(sum(score * x[k] for k, (_c, score) in enumerate(cols)))
    if hint:
        index = {p.id: i for i, p in enumerate(peers)}
        wanted = {tuple(sorted(index[m] for m in g)) for g in hint}
        for k, (combo, _score) in enumerate(cols):
            model.AddHint(x[k], combo in wanted)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    status = solver.Solve(model)
    name = solver.StatusName(status)
    found = name in ("OPTIMAL", "FEASIBLE")
    return {
        "status": name,
        "columns": len(cols),
        "objective": solver.ObjectiveValue() if found else None,
        "bound": solver.BestObjectiveBound() if found else None,
        "lp_bound": round(lp_bound(cols, len(peers), groups), 4),
        "seconds": round(time.monotonic() - started, 1),
    }


def lp_bound(cols: Sequence[tuple[tuple[int, ...], int]], n: int, groups: int) -> float:
    """Upper bound from the linear relaxation of the same model (GLOP); -inf if infeasible."""
    from ortools.linear_solver import pywraplp

    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = [lp.NumVar(0.0, 1.0, f"c{k}") for k in range(len(cols))]
    by_peer: list[list[Any]] = [[] for _ in range(n)]
    for k, (combo, _score) in enumerate(cols):
        for i in combo:
            by_peer[i].append(x[k])
    for lits in by_peer:
        lp.Add(sum(lits) == 1)
    lp.Add(sum(x) == groups)
    lp.Maximize(sum(score * x[k] for k, (_c, score) in enumerate(cols)))
    status = lp.Solve()
    return lp.Objective().Value() if status == pywraplp.Solver.OPTIMAL else float("-inf")


def section_exact(limit: float) -> list[str]:
    rows = []
    for name, peers in exact_instances():
        t0 = time.process_time()
        result = run(peers, Options())
        cpu = time.process_time() - t0
        broken = check_groups(peers, {g.label: g.members for g in result.groups}, result.options)
        exact = solve(peers, len(result.groups), limit, [g.members for g in result.groups])
        row: dict[str, Any] = {
            "instance": name,
            "groups": len(result.groups),
            "engine_total": result.total,
            "isolated": len(result.isolated),
            "broken": len(broken),
            "language_broken": sum(1 for b in broken if b.constraint == "language"),
            "reported_infeasible": sum(
                1 for i in result.report.infeasible if i.constraint == "language"
            ),
            "cpu": round(cpu, 2),
            **exact,
        }
        best = exact["objective"]
        # Scores are integers, so an LP bound below best + 1 proves the best optimal.
        row["proven"] = (
            "CP-SAT"
            if exact["status"] == "OPTIMAL"
            else "LP bound"
            if best is not None and exact["lp_bound"] < best + 1
            else "no"
        )
        if best is not None and not broken and not result.isolated:
            row["ratio"] = result.total / float(best)
            row["ratio_to_bound"] = result.total / min(float(exact["bound"]), exact["lp_bound"])
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    lines = [
        "### Working languages: against the exact optimum (CP-SAT, same constraints)",
        "",
        "Columns: groups of 5 or 6 with no two peers of one organisation, a working language "
        "shared by all members, no isolated member. INFEASIBLE: no grouping of that number of "
        "groups meets them all; the engine then reports the groups that break the rule "
        '("language broken") and, when its preparation finds the reason, an infeasible entry.',
        "",
        "| instance | groups | engine total | isolated | broken (language) | infeasible "
        "reported | CP-SAT status | CP-SAT best | CP-SAT bound | LP bound | optimum proven "
        "| engine / CP-SAT | engine / bound | engine CPU s | CP-SAT s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
        "| --- |",
    ]
    for r in rows:
        ratio = f"{r['ratio']:.4f}" if "ratio" in r else "n/a"
        to_bound = f"{r['ratio_to_bound']:.4f}" if "ratio_to_bound" in r else "n/a"
        lines.append(
            f"| {r['instance']} | {r['groups']} | {r['engine_total']:g} | {r['isolated']} "
            f"| {r['broken']} ({r['language_broken']}) | {r['reported_infeasible']} "
            f"| {r['status']} | {r['objective']} | {r['bound']} | {r['lp_bound']} "
            f"| {r['proven']} | {ratio} | {to_bound} | {r['cpu']} | {r['seconds']} |"
        )
    ratios = [r["ratio"] for r in rows if "ratio" in r]
    held = [r["ratio"] for r in rows if "ratio" in r and str(r["instance"]).startswith("held")]
    proven = [r for r in rows if r["proven"] != "no"]
    feasible = [r for r in rows if r["status"] in ("OPTIMAL", "FEASIBLE")]
    missed = [r for r in feasible if r["broken"]]
    claimed = [r for r in rows if r["status"] == "INFEASIBLE" and not r["broken"]]
    lines += [
        "",
        f"Engine / CP-SAT over the {len(ratios)} instances where both found a grouping: "
        f"average **{mean(ratios) if ratios else float('nan'):.4f}** (minimum "
        f"{min(ratios) if ratios else float('nan'):.4f}); held-out alone: "
        f"{mean(held) if held else float('nan'):.4f} over {len(held)}; optimum proven on "
        f"{len(proven)} (by CP-SAT or by the LP bound). Instances where CP-SAT "
        f"found a grouping but the engine broke a constraint: {len(missed)}. Instances CP-SAT "
        f"proved infeasible but the engine reported no broken constraint: {len(claimed)} (its "
        "groups were then checked independently, so this would mean an isolated member, not a "
        "broken rule). CP-SAT time limit "
        f"{limit:g} s, 1 worker.",
        "",
    ]
    return lines


# ---------------------------------------------------------------------- price


def section_price(sizes: Sequence[int], mixes: Sequence[str] = ()) -> list[str]:
    """``mixes``: names of ``ALL_MIXES`` by their start (``en/fr/ru``); all when empty."""
    lines = [
        "### Working languages: the price of the rule in shared themes",
        "",
        "The same peers grouped by the engine with the common-language rule and without it "
        "(`Constraints(common_language=False)`); shared themes = sum over groups and themes of "
        "C(c, 2) (`stats['shared_theme_pairs']`). Checks are independent (`check_groups`): "
        "language = groups with no shared working language, organisation = groups with two "
        "peers of one organisation, sizes = groups outside 5-6.",
        "",
        "| peers | mix | seeds | shared themes with / without | ratio | groups breaking: "
        "language | organisation | sizes | isolated | CPU s with / without |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    summary: dict[str, list[float]] = {"tuning": [], "held-out": []}
    summary_network: dict[str, list[float]] = {"tuning": [], "held-out": []}
    chosen = chosen_mixes(mixes)
    for n in sizes:
        for mix in chosen:
            for label, seeds in (("tuning", TUNING_SEEDS), ("held-out", HELD_OUT_SEEDS)):
                if n >= 5000:
                    seeds = seeds[:1]
                with_rule = without = 0
                lang = org = size = iso = 0
                cpu_with = cpu_without = 0.0
                for seed in seeds:
                    peers = instance(n, seed, mix)
                    t0 = time.process_time()
                    a = run(peers, Options(seed=seed))
                    cpu_with += time.process_time() - t0
                    t0 = time.process_time()
                    b = run(
                        peers,
                        Options(seed=seed, constraints=Constraints(common_language=False)),
                    )
                    cpu_without += time.process_time() - t0
                    with_rule += int(a.stats["shared_theme_pairs"])
                    without += int(b.stats["shared_theme_pairs"])
                    broken = check_groups(peers, {g.label: g.members for g in a.groups}, a.options)
                    lang += sum(1 for i in broken if i.constraint == "language")
                    org += sum(1 for i in broken if i.constraint == "organisation")
                    size += sum(1 for g in a.groups if not 5 <= g.size <= 6)
                    iso += len(a.isolated)
                ratio = with_rule / without if without else float("nan")
                (summary_network if mix in NETWORK_MIXES else summary)[label].append(ratio)
                lines.append(
                    f"| {n} | {mix} | {label} {','.join(map(str, seeds))} | {with_rule} / "
                    f"{without} | {ratio:.3f} | {lang} | {org} | {size} | {iso} "
                    f"| {cpu_with:.1f} / {cpu_without:.1f} |"
                )
                print(lines[-1], file=sys.stderr, flush=True)
    for kind, table in (("mixes of BRIDGES", summary), ("within-network mixes", summary_network)):
        for label, ratios in table.items():
            if ratios:
                lines.append("")
                lines.append(
                    f"{kind}, {label}: ratio average {mean(ratios):.3f}, minimum "
                    f"{min(ratios):.3f} over {len(ratios)} rows."
                )
    lines.append("")
    return lines


# ---------------------------------------------------------------------- bound


def community_columns(peers: Sequence[Peer], lo: int, hi: int) -> list[tuple[tuple[int, ...], int]]:
    """Every group of lo..hi peers who all work in one language (peers who gave none join any
    language) with no two peers of one organisation; score = shared themes (sum over pairs of
    shared themes, the objective of ``shared_theme_pairs``). Isolated members are allowed, so
    the relaxation over these columns bounds the optimum under the language, organisation and
    size rules from above."""
    themes = [frozenset(norm(t) for t in p.themes) for p in peers]
    orgs = [norm(p.organisation) for p in peers]
    spoken = [frozenset(language_code(x) or norm(x) for x in p.languages) for p in peers]
    anyone = [i for i, s in enumerate(spoken) if not s]
    by_language: dict[str, list[int]] = {}
    for i, s in enumerate(spoken):
        for x in s:
            by_language.setdefault(x, []).append(i)
    n = len(peers)
    w = [[len(themes[i] & themes[j]) for j in range(n)] for i in range(n)]
    seen: set[tuple[int, ...]] = set()
    out = []
    for members in by_language.values():
        pool = sorted(set(members) | set(anyone))
        for size in range(lo, hi + 1):
            for combo in itertools.combinations(pool, size):
                if combo in seen:
                    continue
                named = [orgs[i] for i in combo if orgs[i]]
                if len(set(named)) != len(named):
                    continue
                seen.add(combo)
                score = sum(w[a][b] for k, a in enumerate(combo) for b in combo[k + 1 :])
                out.append((combo, score))
    return out


def section_bound(sizes: Sequence[int], mixes: Sequence[str] = ()) -> list[str]:
    """``mixes``: names of ``ALL_MIXES`` by their start (``en/fr/ru``); all when empty."""
    lines = [
        "### Working languages: what the rule allows at most (linear relaxation)",
        "",
        "Held-out seeds. Bound = optimum of the linear relaxation (GLOP) of the set partitioning "
        "model over every group of 5 or 6 peers who share a working language and come from "
        "different organisations, with as many groups as the engine made: no grouping under "
        "the rule has more shared themes. Bound / without = the largest ratio to the "
        "unconstrained run any grouping under the rule can reach on that instance; engine / "
        "bound = how close the engine comes to that optimum.",
        "",
        "| peers | mix | seed | groups | columns | shared themes: engine with rule | bound "
        "| engine without rule | bound / without | engine / without | engine / bound |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    chosen = chosen_mixes(mixes)
    for n in sizes:
        for mix in chosen:
            for seed in HELD_OUT_SEEDS:
                peers = instance(n, seed, mix)
                a = run(peers, Options(seed=seed))
                b = run(peers, Options(seed=seed, constraints=Constraints(common_language=False)))
                with_rule = int(a.stats["shared_theme_pairs"])
                without = int(b.stats["shared_theme_pairs"])
                cols = community_columns(peers, 5, 6)
                bound = lp_bound(cols, n, len(a.groups))
                lines.append(
                    f"| {n} | {mix} | {seed} | {len(a.groups)} | {len(cols)} | {with_rule} "
                    f"| {bound:.1f} | {without} | {bound / without:.3f} "
                    f"| {with_rule / without:.3f} | {with_rule / bound:.3f} |"
                )
                print(lines[-1], file=sys.stderr, flush=True)
    lines.append("")
    return lines


# ---------------------------------------------------------------------- speed


CHILD = """
import json, os, sys, time
sys.path.insert(0, {root!r})
sys.path.append({bench!r})
from matching.engine import run, Options
from matching_languages import instance
peers = instance({n}, {seed}, {mix!r})
w0, c0 = time.perf_counter(), time.process_time()
result = run(peers, Options(seed={seed}))
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
print(json.dumps(dict(wall=wall, cpu=cpu, groups=len(result.groups),
    all_met=result.report.all_met, isolated=len(result.isolated),
    themes=result.stats["shared_theme_pairs"], load=os.getloadavg())))
"""


def section_speed(sizes: Sequence[int]) -> list[str]:
    mix = next(iter(MIXES))
    lines = [
        "### Working languages: speed (fresh process each, default options)",
        "",
        f"Mix {mix}, held-out seed {HELD_OUT_SEEDS[0]}. Wall and CPU seconds of `run()` "
        "alone; the 1-minute load average of the machine before and after each run (2 cores, "
        "shared: wall time grows with the load, CPU time much less).",
        "",
        "| peers | groups | wall s | CPU s | load before | load after | constraints met "
        "| isolated |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n in sizes:
        before = _load()
        code = CHILD.format(
            root=str(ROOT), bench=str(ROOT / "benchmarks"), n=n, seed=HELD_OUT_SEEDS[0], mix=mix
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        data = json.loads(out.stdout.strip().splitlines()[-1])
        print(data, file=sys.stderr, flush=True)
        lines.append(
            f"| {n} | {data['groups']} | {data['wall']:.2f} | {data['cpu']:.2f} | {before} "
            f"| {' '.join(f'{x:.2f}' for x in data['load'])} | {data['all_met']} "
            f"| {data['isolated']} |"
        )
    lines.append("")
    return lines
