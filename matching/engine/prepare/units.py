"""Units: peers that must share a group (keep-together sets, peers locked to one label) are
merged into blocks that the search moves as one; keep-apart pairs between units."""

from __future__ import annotations

from dataclasses import dataclass

from ..results import ConstraintIssue, join_words
from .problem import Context, UnionFind, quoted


@dataclass
class Units:
    units: list[tuple[int, ...]]
    unit_of: list[int]
    unit_lock: list[int]  # group index of a locked unit, -1 otherwise
    locked_labels: list[str]  # labels of groups 0..L-1, in input order of their first peer


def lock_labels(ctx: Context, uf: UnionFind) -> tuple[list[str], dict[str, int]]:
    """Number the locked labels in input order of their first peer and mark locked peers."""
    cons = ctx.options.constraints
    locked_labels: list[str] = []
    label_index: dict[str, int] = {}
    for pid in cons.locked:
        if pid not in ctx.index:
            ctx.note_unknown(pid, "locked assignments")
    for i, peer in enumerate(ctx.peers):
        label = cons.locked.get(peer.id)
        if label is None:
            continue
        if label not in label_index:
            label_index[label] = len(locked_labels)
            locked_labels.append(label)
        uf.label[i] = label
    return locked_labels, label_index


def join_kept_together(ctx: Context, uf: UnionFind) -> None:
    """Join each keep-together set; a set that spans two locks keeps the locks (reported)."""
    peers = ctx.peers
    for id_set in ctx.options.constraints.keep_together:
        together: list[int] = []
        for pid in id_set:
            if pid in ctx.index:
                together.append(ctx.index[pid])
            else:
                ctx.note_unknown(pid, "keep-together list")
        for other in together[1:]:
            if not uf.union(together[0], other):
                a, b = together[0], other
                la, lb = uf.label[uf.find(a)], uf.label[uf.find(b)]
                ctx.issues.append(
                    ConstraintIssue(
                        kind="infeasible",
                        constraint="keep_together",
                        code="keep_together_locks",
                        params={
                            "names": [peers[a].display_name, peers[b].display_name],
                            "groups": [la or "", lb or ""],
                        },
                        message=(
                            f"{peers[a].display_name} and {peers[b].display_name} must be kept "
                            f"together, but they are locked to different groups "
                            f"({quoted(la or '')} and {quoted(lb or '')}). "
                            "The locks were kept, so they are in different groups."
                        ),
                        peers=(peers[a].id, peers[b].id),
                        groups=(la or "", lb or ""),
                    )
                )


def join_same_lock(ctx: Context, uf: UnionFind) -> None:
    """Peers locked to the same label form one unit."""
    locked = ctx.options.constraints.locked
    first_of_label: dict[str, int] = {}
    for i in range(ctx.n):
        label = locked.get(ctx.peers[i].id)
        if label is None:
            continue
        if label in first_of_label:
            uf.union(first_of_label[label], i)
        else:
            first_of_label[label] = i


def build_units(ctx: Context) -> Units:
    """Locks and keep-together sets as units; a set larger than a group is split (reported)."""
    peers = ctx.peers
    options = ctx.options
    n = ctx.n
    uf = UnionFind(n)
    locked_labels, label_index = lock_labels(ctx, uf)
    join_kept_together(ctx, uf)
    join_same_lock(ctx, uf)
    _lo, hi = options.size_bounds
    components: dict[int, list[int]] = {}
    for i in range(n):
        components.setdefault(uf.find(i), []).append(i)
    units: list[tuple[int, ...]] = []
    unit_lock: list[int] = []
    for root, members in components.items():
        label = uf.label[root]
        if label is not None:
            units.append(tuple(members))
            unit_lock.append(label_index[label])
            if len(members) > hi and not options.pairs:
                ctx.issues.append(
                    ConstraintIssue(
                        kind="infeasible",
                        constraint="size",
                        code="locked_over_max",
                        params={"group": label, "count": len(members), "max_size": hi},
                        message=(
                            f"{len(members)} peers are locked to group {quoted(label)}. "
                            f"The maximum group size is {hi}. The locks were kept, so this "
                            "group is larger than the maximum."
                        ),
                        peers=tuple(peers[m].id for m in members),
                        groups=(label,),
                    )
                )
            continue
        limit = hi if not options.pairs else 2
        if len(members) > limit:
            ctx.issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="keep_together",
                    code="keep_together_over_max",
                    params={
                        "names": [peers[m].display_name for m in members],
                        "count": len(members),
                        "max_size": limit,
                    },
                    message=(
                        f"{len(members)} peers must be kept together: "
                        f"{join_words(peers[m].display_name for m in members)}. "
                        f"The maximum group size is {limit}, so they were split into "
                        f"groups of at most {limit}."
                    ),
                    peers=tuple(peers[m].id for m in members),
                )
            )
            for start in range(0, len(members), limit):
                units.append(tuple(members[start : start + limit]))
                unit_lock.append(-1)
        else:
            units.append(tuple(members))
            unit_lock.append(-1)
    unit_of = [0] * n
    for u, unit in enumerate(units):
        for p in unit:
            unit_of[p] = u
    return Units(units=units, unit_of=unit_of, unit_lock=unit_lock, locked_labels=locked_labels)


def conflicts_inside_units(
    ctx: Context,
    built: Units,
    org: list[int],
    org_names: list[str],
    country: list[int],
    country_names: list[str],
    cap: int | None,
) -> None:
    """Organisation and country limits that a unit breaks by itself (the unit is kept)."""
    peers = ctx.peers
    for u, unit in enumerate(built.units):
        if len(unit) < 2:
            continue
        why = "locked to the same group" if built.unit_lock[u] >= 0 else "must be kept together"
        by_org: dict[int, list[int]] = {}
        for p in unit:
            if org[p] >= 0:
                by_org.setdefault(org[p], []).append(p)
        for o, ps in by_org.items():
            if len(ps) > 1:
                ctx.issues.append(
                    ConstraintIssue(
                        kind="infeasible",
                        constraint="organisation",
                        code="organisation_in_unit",
                        params={
                            "names": [peers[p].display_name for p in ps],
                            "organisation": org_names[o],
                        },
                        message=(
                            f"{join_words(peers[p].display_name for p in ps)} are from the same "
                            f"organisation ({org_names[o]}) but {why}. They were kept together."
                        ),
                        peers=tuple(peers[p].id for p in ps),
                    )
                )
        if cap is not None:
            by_country: dict[int, list[int]] = {}
            for p in unit:
                if country[p] >= 0:
                    by_country.setdefault(country[p], []).append(p)
            for c, ps in by_country.items():
                if len(ps) > cap:
                    ctx.issues.append(
                        ConstraintIssue(
                            kind="infeasible",
                            constraint="country",
                            code="country_in_unit",
                            params={
                                "names": [peers[p].display_name for p in ps],
                                "country": country_names[c],
                                "limit": cap,
                            },
                            message=(
                                f"{len(ps)} peers from {country_names[c]} {why}: "
                                f"{join_words(peers[p].display_name for p in ps)}. "
                                f"The limit is {cap} per group. They were kept together."
                            ),
                            peers=tuple(peers[p].id for p in ps),
                        )
                    )


def keep_apart_pairs(ctx: Context, built: Units) -> tuple[list[dict[int, int]], list[list[int]]]:
    """Keep-apart pairs between units (unit -> {other unit: pairs}) and the known peers of
    each keep-apart set. A pair inside one unit cannot be kept apart (reported)."""
    peers = ctx.peers
    unit_of = built.unit_of
    apart: list[dict[int, int]] = [{} for _ in built.units]
    apart_sets: list[list[int]] = []
    for id_set in ctx.options.constraints.keep_apart:
        known: list[int] = []
        for pid in id_set:
            if pid in ctx.index:
                if ctx.index[pid] not in known:
                    known.append(ctx.index[pid])
            else:
                ctx.note_unknown(pid, "keep-apart list")
        apart_sets.append(known)
        for x in range(len(known)):
            for y in range(x + 1, len(known)):
                a, b = known[x], known[y]
                ua, ub = unit_of[a], unit_of[b]
                if ua == ub:
                    why = (
                        "locked to the same group" if built.unit_lock[ua] >= 0 else "kept together"
                    )
                    ctx.issues.append(
                        ConstraintIssue(
                            kind="infeasible",
                            constraint="keep_apart",
                            code="apart_in_unit",
                            params={"names": [peers[a].display_name, peers[b].display_name]},
                            message=(
                                f"{peers[a].display_name} and {peers[b].display_name} must be "
                                f"kept apart, but they are also {why}. They were kept together."
                            ),
                            peers=(peers[a].id, peers[b].id),
                        )
                    )
                    continue
                apart[ua][ub] = apart[ua].get(ub, 0) + 1
                apart[ub][ua] = apart[ub].get(ua, 0) + 1
    return apart, apart_sets
