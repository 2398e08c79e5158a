"""Turn peers and options into an indexed problem, and find what cannot be met up front.

Peers are numbered 0..n-1 in input order. Peers that must share a group (keep-together sets
and peers locked to the same label) are merged into *units*, which the search moves as one
block. The number of groups and per-group size bounds are fixed here; every constraint that
cannot be met is recorded as an "infeasible" issue with the reason in plain words.

The steps, in order: the diversity keys (organisation and country per peer), the units
(``units.build_units``), the limits a unit breaks by itself, the keep-apart pairs, closed
groups, the common-language rule (``languages``: who it constrains and what it cannot meet),
the number of groups (``sizes.group_count``), the per-group size bounds
(``sizes.size_bounds``) and the diversity limits that number of groups cannot meet
(``sizes.diversity_limits``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..features import features_for
from ..models import Options, Peer
from ..results import ConstraintIssue
from .languages import analyse, constrained_languages, units_without_language
from .problem import Context, Problem, categories, id_map, quoted
from .sizes import Diversity, diversity_limits, group_count, size_bounds
from .units import Units, build_units, conflicts_inside_units, keep_apart_pairs

__all__ = ["Problem", "prepare", "quoted"]


def _diversity_keys(
    peers: list[Peer], options: Options
) -> tuple[list[int], list[str], list[int], list[str], int | None]:
    """Organisation and country category per peer (-1 where the limit does not apply)."""
    n = len(peers)
    cons = options.constraints
    if cons.one_per_organisation:
        org, org_names = categories(
            [p.organisation for p in peers], [p.organisation_label for p in peers]
        )
    else:
        org, org_names = [-1] * n, []
    cap = cons.max_per_country
    if cap is not None:
        country, country_names = categories([p.country for p in peers])
    else:
        country, country_names = [-1] * n, []
    return org, org_names, country, country_names, cap


def _closed_groups(ctx: Context, built: Units) -> dict[int, int]:
    """Closed groups (group index -> size: its locked peers); unknown labels are noted."""
    closed: dict[int, int] = {}
    for label in ctx.options.constraints.closed:
        if label not in built.locked_labels:
            ctx.issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="locked",
                    code="closed_unknown",
                    message=f"No peer is locked to group {quoted(label)}, so closing it "
                    "changes nothing.",
                    groups=(label,),
                    params={"group": label},
                )
            )
            continue
        g = built.locked_labels.index(label)
        closed[g] = sum(len(unit) for u, unit in enumerate(built.units) if built.unit_lock[u] == g)
    return closed


def prepare(peers: Sequence[Peer], options: Options) -> Problem:
    ctx = Context(peers=list(peers), options=options, index=id_map(peers))
    fs = features_for(ctx.peers, options)
    org, org_names, country, country_names, cap = _diversity_keys(ctx.peers, options)
    built = build_units(ctx)
    conflicts_inside_units(ctx, built, org, org_names, country, country_names, cap)
    apart, apart_sets = keep_apart_pairs(ctx, built)
    closed = _closed_groups(ctx, built)
    closed_peers = {
        p for u, unit in enumerate(built.units) if built.unit_lock[u] in closed for p in unit
    }
    plan = constrained_languages(ctx, closed_peers)
    units_without_language(ctx, plan, built.units, built.unit_lock)
    analyse(ctx, plan, closed_peers)
    diversity = Diversity(
        org=org,
        org_names=org_names,
        country=country,
        country_names=country_names,
        cap=cap,
        apart_sets=apart_sets,
        language_min=plan.min_groups,
    )
    n_locked = len(built.locked_labels)
    groups = group_count(ctx, n_locked, diversity, closed)
    lo_list, hi_list = size_bounds(ctx, groups, n_locked, built.units, built.unit_lock, closed)
    diversity_limits(ctx, groups, diversity)
    lo, hi = options.size_bounds
    return Problem(
        peers=ctx.peers,
        options=options,
        fs=fs,
        org=org,
        org_names=org_names,
        country=country,
        country_names=country_names,
        cap=cap,
        units=built.units,
        unit_of=built.unit_of,
        unit_lock=built.unit_lock,
        apart=apart,
        group_count=groups,
        lo=lo_list,
        hi=hi_list,
        min_size=lo,
        max_size=hi,
        locked_labels=built.locked_labels,
        issues=ctx.issues,
        lang=plan.lang,
        lang_codes=plan.codes,
        use_lang=plan.use,
        closed=closed,
        lang_stuck=plan.stuck,
    )
