"""``run``: group the peers."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from .check import check_groups
from .explain import theme_isolated
from .features import strategy_warnings
from .models import Options, Peer
from .organisations import organisation_notes
from .prepare import Problem, prepare
from .results import ConstraintIssue, ConstraintReport, Group, MatchingResult, join_words
from .scoring import (
    balance_score,
    make_group,
    shared_theme_pairs,
    theme_coverage,
    upper_bound,
)
from .search import EPS, Search

Progress = Callable[[float], None]

# Search budget, counted in evaluated moves (deterministic, unlike a time limit).
BUDGET_BASE = 150_000
BUDGET_PER_PEER = 400
STAGNATION_BASE = 5_000
STAGNATION_PER_PEER = 2
# Small instances: the budget is shared by independent restarts (the best is kept).
RESTARTS = 2
RESTART_MAX_PEERS = 300


def search_budget(n: int, effort: float) -> tuple[int, int]:
    """(evaluation budget, kicks without improvement before stopping) for n peers."""
    budget = int(effort * (BUDGET_BASE + BUDGET_PER_PEER * n))
    stagnation = int(effort * (STAGNATION_BASE + STAGNATION_PER_PEER * n))
    return budget, stagnation


def _label_groups(pb: Problem, groups: list[list[int]]) -> list[str]:
    n_locked = len(pb.locked_labels)
    labels = [""] * len(groups)
    for g in range(n_locked):
        labels[g] = pb.locked_labels[g]
    taken = set(pb.locked_labels)
    free = [g for g in range(n_locked, len(groups))]
    free.sort(key=lambda g: (groups[g][0] if groups[g] else pb.n, g))
    width = max(2, len(str(len(groups))))
    k = 0
    for g in free:
        while True:
            k += 1
            label = f"G{k:0{width}d}"
            if label not in taken:
                break
        labels[g] = label
        taken.add(label)
    return labels


def _isolation_notes(groups: Sequence[Group], by_id: Mapping[str, Peer]) -> list[ConstraintIssue]:
    notes = []
    for group in groups:
        if group.isolated:
            names = join_words(by_id[i].display_name for i in group.isolated)
            verb = "shares" if len(group.isolated) == 1 else "share"
            notes.append(
                ConstraintIssue(
                    kind="note",
                    constraint="isolation",
                    code="isolated",
                    message=f"In group {group.label}, {names} {verb} nothing with the others "
                    "under this strategy.",
                    peers=group.isolated,
                    groups=(group.label,),
                    params={
                        "group": group.label,
                        "names": [by_id[i].display_name for i in group.isolated],
                    },
                )
            )
    return notes


def _report(
    prepared: Sequence[ConstraintIssue],
    violations: Sequence[ConstraintIssue],
    notes: Sequence[ConstraintIssue] = (),
) -> ConstraintReport:
    infeasible = [i for i in prepared if i.kind == "infeasible"]
    marked = []
    for v in violations:
        unavoidable = any(
            (i.constraint == v.constraint or v.constraint in i.params.get("constraints", ()))
            and set(i.peers) & set(v.peers)
            for i in infeasible
        )
        marked.append(replace(v, unavoidable=unavoidable))
    return ConstraintReport(issues=tuple(prepared) + tuple(marked) + tuple(notes))


def run(
    peers: Sequence[Peer], options: Options | None = None, *, progress: Progress | None = None
) -> MatchingResult:
    """Group the peers. Deterministic for given peers (in order) and ``options.seed``."""
    options = options or Options()
    started = time.monotonic()
    if progress is not None:
        progress(0.0)
    pb = prepare(peers, options)
    deadline = started + options.time_limit if options.time_limit else None
    budget, stagnation = search_budget(pb.n, options.effort)
    restarts = RESTARTS if pb.n <= RESTART_MAX_PEERS and budget > 0 else 1
    best: Search | None = None
    used = 0
    for k in range(restarts):
        span_lo = 0.02 + 0.98 * k / restarts
        span = 0.98 / restarts

        def report(fraction: float, span_lo: float = span_lo, span: float = span) -> None:
            if progress is not None:
                progress(span_lo + span * fraction)

        search = Search(
            pb,
            seed=options.seed * 7919 + k,
            progress=report if progress is not None else None,
            deadline=deadline,
        )
        # With two restarts, the second starts from a language plan.
        search.construct(plan=k == 1)
        share = (budget - used) // (restarts - k)
        search.improve(share, stagnation // restarts + 1)
        used += search.evals
        if best is None or search.key() < best.key():
            best = search
        if search.stopped and deadline is not None and time.monotonic() > deadline:
            break
    assert best is not None
    if (
        best.lang_excess_total
        and not pb.lang_stuck
        and restarts == 1
        and budget > 0
        and not best.stopped_by_time()
    ):
        # A group still breaks the language rule: one more search from a language plan,
        # with a quarter of the budget; the better grouping is kept.
        rescue = Search(pb, seed=options.seed * 7919 + 1, deadline=deadline)
        rescue.construct(plan=True)
        rescue.improve(budget // 4, stagnation // 4 + 1)
        used += rescue.evals
        if rescue.key() < best.key():
            best = rescue
        best.stats["language_rescue"] = 1
    search = best
    search.stats["restarts"] = restarts
    groups_idx = search.assignment()
    labels = _label_groups(pb, groups_idx)
    order = sorted(range(len(groups_idx)), key=lambda g: (g >= len(pb.locked_labels), labels[g]))
    built = [
        make_group(labels[g], groups_idx[g], pb.peers, pb.fs, options, options.constraints.locked)
        for g in order
        if groups_idx[g]
    ]
    total = sum(g.score for g in built)
    balance = sum(balance_score(pb.fs, groups_idx[g]) for g in order if groups_idx[g])
    bound = upper_bound(pb.fs, pb.n, max(pb.hi, default=1))
    by_id = {p.id: p for p in pb.peers}
    violations = check_groups(pb.peers, {g.label: g.members for g in built}, options)
    isolated = tuple(pid for g in built for pid in g.isolated)
    theme_iso = tuple(pid for g in built for pid in theme_isolated([by_id[m] for m in g.members]))
    member_lists = [[by_id[m] for m in g.members] for g in built]
    stats: dict[str, int | float | str] = dict(search.stats)
    stats.update(
        {
            "peers": pb.n,
            "groups": len(built),
            "seed": options.seed,
            "budget": budget,
            "evaluations": used,
            "elapsed_seconds": round(time.monotonic() - started, 4),
            "theme_coverage": round(theme_coverage(member_lists), 6),
            "shared_theme_pairs": shared_theme_pairs(member_lists),
        }
    )
    if balance:
        stats["balance_total"] = round(balance, 9)
    if progress is not None:
        progress(1.0)
    return MatchingResult(
        groups=tuple(built),
        score=round((total - balance) / bound, 6) if bound > EPS else 0.0,
        total=round(total, 9),
        upper_bound=round(bound, 9),
        isolated=isolated,
        theme_isolated=theme_iso,
        report=_report(
            pb.issues,
            violations,
            _isolation_notes(built, by_id) + organisation_notes(built, pb.peers, options),
        ),
        warnings=strategy_warnings(options),
        options=options,
        stats=stats,
    )
