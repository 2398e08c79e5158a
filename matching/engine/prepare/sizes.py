"""The number of groups, the per-group size bounds of the search, and the diversity limits
that this number of groups cannot meet."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..results import ConstraintIssue
from .problem import Context, quoted


@dataclass
class Diversity:
    """Peers per organisation and per country (only when the limit applies)."""

    org: list[int]
    org_names: list[str]
    country: list[int]
    country_names: list[str]
    cap: int | None
    apart_sets: list[list[int]]
    language_min: int = 0  # fewest groups the language communities need

    def org_counts(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for p, o in enumerate(self.org):
            if o >= 0:
                out.setdefault(o, []).append(p)
        return out

    def country_counts(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for p, c in enumerate(self.country):
            if c >= 0:
                out.setdefault(c, []).append(p)
        return out

    def fits(self) -> Callable[[int], bool]:
        """A test: can g groups meet the organisation, country and keep-apart limits?"""
        biggest_org = max((len(v) for v in self.org_counts().values()), default=0)
        biggest_country = max((len(v) for v in self.country_counts().values()), default=0)
        biggest_apart = max((len(s) for s in self.apart_sets), default=0)
        cap = self.cap
        language_min = self.language_min

        def diversity_ok(g: int) -> bool:
            if biggest_org > g or biggest_apart > g or language_min > g:
                return False
            return not (cap is not None and biggest_country > cap * g)

        return diversity_ok


def group_count(
    ctx: Context, n_locked: int, diversity: Diversity, closed: dict[int, int] | None = None
) -> int:
    """The fewest groups that fit the size bounds and, when possible, the diversity limits
    (or the number asked for, or the pairs count). ``closed`` (group -> size) are closed
    groups: they take their locked peers only, and the count is made for the others."""
    options = ctx.options
    cons = options.constraints
    closed = closed or {}
    total = n_locked
    n = ctx.n - sum(closed.values())
    n_locked -= len(closed)
    lo, hi = options.size_bounds
    diversity_ok = diversity.fits()
    size_note: str | None = None
    all_locked = total > 0 and all(p.id in cons.locked for p in ctx.peers)
    if all_locked:
        return total
    if n == 0:
        groups = 0
    elif options.pairs:
        groups = max(n // 2, 1, n_locked)
        if options.group_count is not None and options.group_count != groups:
            ctx.issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="group_count",
                    code="group_count_pairs",
                    params={"groups": groups},
                    message=f"In pairs mode the number of groups is set by the number of "
                    f"peers. The engine made {groups} groups.",
                )
            )
    elif options.group_count is not None:
        groups = max(options.group_count - len(closed), n_locked, 1)
        if groups > options.group_count - len(closed):
            ctx.issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="group_count",
                    code="group_count_locked",
                    params={"groups": groups, "asked": options.group_count, "locked": n_locked},
                    message=f"{n_locked} groups have locked peers, more than the "
                    f"{options.group_count} groups asked for. The engine made {groups} groups.",
                )
            )
    else:
        g_min = max(1, math.ceil(n / hi), n_locked)
        g_max = n // lo
        if g_min <= g_max:
            groups = g_max
            for g in range(g_min, g_max + 1):
                if diversity_ok(g):
                    groups = g
                    break
            if groups > g_min and diversity_ok(groups):
                limits = "organisation, country and keep-apart limits"
                if diversity.language_min > g_min:
                    limits = "organisation, country, keep-apart and common-language limits"
                size_note = (
                    f"The engine made {groups} groups instead of {g_min}, so that the "
                    f"{limits} can be met."
                )
        else:
            best: tuple[int, int] | None = None
            for g in range(max(1, n_locked), max(n_locked, math.ceil(n / lo)) + 2):
                deviation = max(0, n - g * hi) + max(0, g * lo - n)
                if best is None or deviation < best[0]:
                    best = (deviation, g)
            assert best is not None
            groups = best[1]
    if size_note:
        ctx.issues.append(
            ConstraintIssue(
                kind="note",
                constraint="group_count",
                code="group_count_raised",
                message=size_note,
                params={"groups": groups},
            )
        )
    return groups + len(closed)


def size_bounds(
    ctx: Context,
    groups: int,
    n_locked: int,
    units: list[tuple[int, ...]],
    unit_lock: list[int],
    closed: dict[int, int] | None = None,
) -> tuple[list[int], list[int]]:
    """Per-group (minimum, maximum) sizes for the search, relaxed (and reported) when no
    grouping can meet the requested bounds. A closed group has exactly its locked peers."""
    closed = closed or {}
    options = ctx.options
    cons = options.constraints
    peers = ctx.peers
    n = ctx.n
    lo, hi = options.size_bounds
    if options.pairs:
        g_hi = 3 if n % 2 == 1 and n > 1 else 2
        lo_list = [min(2, n)] * groups
        hi_list = [g_hi] * groups
        if n % 2 == 1 and n > 1:
            ctx.issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="pairs",
                    code="pairs_odd",
                    params={"count": n},
                    message=f"There are {n} peers, an odd number. One group has three peers.",
                )
            )
        if n == 1:
            ctx.issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="size",
                    code="pairs_single",
                    message="There is only one peer, so no pair can be made.",
                    peers=(peers[0].id,),
                )
            )
    else:
        lo_list = [lo] * groups
        hi_list = [hi] * groups
    for u, unit in enumerate(units):
        if unit_lock[u] >= 0:
            g = unit_lock[u]
            hi_list[g] = max(hi_list[g], len(unit))
    all_locked = n_locked > 0 and all(p.id in cons.locked for p in peers)
    if all_locked:
        forced_by = f"every peer is locked to one of {n_locked} groups"
    elif options.group_count is not None and not options.pairs:
        forced_by = f"{groups} groups were asked for"
    elif n_locked > 1 and n_locked > max(1, n // max(lo, 1)):
        forced_by = f"{n_locked} groups have locked peers"
    else:
        forced_by = ""
    for g, size in closed.items():
        lo_list[g] = hi_list[g] = size
    if groups and n > sum(hi_list):
        open_groups = groups - len(closed)
        need = math.ceil((n - sum(closed.values())) / max(1, open_groups))
        hi_list = [h if g in closed else max(h, need) for g, h in enumerate(hi_list)]
        if forced_by:
            message = (
                f"There are {n} peers and {forced_by}. Groups can have at most {hi} peers. "
                f"Some groups must have more than {hi} peers."
            )
        else:
            message = (
                f"There are {n} peers. Groups must have {lo} to {hi} peers. No number of "
                f"groups fits, so some groups have more than {hi} peers."
            )
        ctx.issues.append(
            ConstraintIssue(
                kind="infeasible",
                constraint="size",
                code="size_over",
                params={"count": n, "max_size": hi},
                message=message,
                peers=tuple(p.id for p in peers),
            )
        )
    if groups and n < sum(lo_list):
        low = n // groups
        lo_list = [min(x, low) for x in lo_list]
        if n < lo:
            there = "There is only 1 peer" if n == 1 else f"There are only {n} peers"
            message = f"{there}, fewer than the minimum group size of {lo}."
            if groups == 1 and n > 1:
                message += " They were put in one group."
        elif forced_by:
            message = (
                f"There are {n} peers and {forced_by}. Groups of at least {lo} peers would "
                f"need {groups * lo} peers. Some groups have fewer than {lo} peers."
            )
        else:
            message = (
                f"There are {n} peers. Groups must have {lo} to {hi} peers. No number of "
                f"groups fits, so some groups have fewer than {lo} peers."
            )
        ctx.issues.append(
            ConstraintIssue(
                kind="infeasible",
                constraint="size",
                code="size_under",
                params={"count": n, "min_size": lo},
                message=message,
                peers=tuple(p.id for p in peers),
            )
        )
    return lo_list, hi_list


def diversity_limits(ctx: Context, groups: int, diversity: Diversity) -> None:
    """Organisation, country and keep-apart limits that ``groups`` groups cannot meet."""
    peers = ctx.peers
    cap = diversity.cap
    for o, ps in diversity.org_counts().items():
        if len(ps) > groups:
            ctx.issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="organisation",
                    code="organisation_over_groups",
                    params={
                        "organisation": diversity.org_names[o],
                        "count": len(ps),
                        "groups": groups,
                    },
                    message=(
                        f"Organisation {quoted(diversity.org_names[o])} has {len(ps)} peers, "
                        f"but there are only {groups} groups. At least one group must have two "
                        "peers from this organisation."
                    ),
                    peers=tuple(peers[p].id for p in ps),
                )
            )
    if cap is not None:
        for c, ps in diversity.country_counts().items():
            if len(ps) > cap * groups:
                ctx.issues.append(
                    ConstraintIssue(
                        kind="infeasible",
                        constraint="country",
                        code="country_over_groups",
                        params={
                            "country": diversity.country_names[c],
                            "count": len(ps),
                            "groups": groups,
                            "limit": cap,
                        },
                        message=(
                            f"{len(ps)} peers come from {diversity.country_names[c]}, but "
                            f"{groups} groups with at most {cap} per country can take only "
                            f"{cap * groups}. At least one group must have more than {cap} "
                            "from this country."
                        ),
                        peers=tuple(peers[p].id for p in ps),
                    )
                )
    for known in diversity.apart_sets:
        if len(known) > groups:
            ctx.issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="keep_apart",
                    code="apart_over_groups",
                    params={"count": len(known), "groups": groups},
                    message=(
                        f"{len(known)} peers must all be kept apart, but there are only "
                        f"{groups} groups. At least two of them must share a group."
                    ),
                    peers=tuple(peers[p].id for p in known),
                )
            )
    if diversity.language_min > groups:
        ctx.issues.append(
            ConstraintIssue(
                kind="infeasible",
                constraint="language",
                code="language_groups",
                message=(
                    f"The peers' working languages need at least {diversity.language_min} "
                    f"groups, but there are only {groups} groups. Some groups will share no "
                    "working language."
                ),
                params={"needed": diversity.language_min, "groups": groups},
            )
        )
