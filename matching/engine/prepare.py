"""Turn peers and options into an indexed problem, and find what cannot be met up front.

Peers are numbered 0..n-1 in input order. Peers that must share a group (keep-together sets
and peers locked to the same label) are merged into *units*, which the search moves as one
block. The number of groups and per-group size bounds are fixed here; every constraint that
cannot be met is recorded as an "infeasible" issue with the reason in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .features import FeatureSpace, build_features, norm
from .models import ConstraintIssue, Options, Peer, join_words


def quoted(text: str) -> str:
    return f'"{text}"'


@dataclass
class Problem:
    peers: list[Peer]
    options: Options
    fs: FeatureSpace
    org: list[int]  # organisation id per peer, -1 when unconstrained
    org_names: list[str]
    country: list[int]  # country id per peer, -1 when unconstrained
    country_names: list[str]
    cap: int | None
    units: list[tuple[int, ...]]
    unit_of: list[int]
    unit_lock: list[int]  # group index of a locked unit, -1 otherwise
    apart: list[dict[int, int]]  # unit -> {other unit: number of keep-apart peer pairs}
    group_count: int
    lo: list[int]  # per-group minimum size used by the search (relaxed when infeasible)
    hi: list[int]  # per-group maximum size used by the search (relaxed when infeasible)
    min_size: int  # the requested bounds, for the report
    max_size: int
    locked_labels: list[str]  # labels of groups 0..L-1
    issues: list[ConstraintIssue] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.peers)

    def name(self, p: int) -> str:
        return self.peers[p].display_name

    def names(self, ps: Sequence[int]) -> str:
        return join_words(self.name(p) for p in ps)

    def ids(self, ps: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.peers[p].id for p in ps)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.label: list[str | None] = [None] * n

    def find(self, a: int) -> int:
        root = a
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[a] != root:
            self.parent[a], a = root, self.parent[a]
        return root

    def union(self, a: int, b: int) -> bool:
        """Join the sets of a and b unless they carry two different locks."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        la, lb = self.label[ra], self.label[rb]
        if la is not None and lb is not None and la != lb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.label[ra] = la if la is not None else lb
        return True


def _id_map(peers: Sequence[Peer]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, peer in enumerate(peers):
        if not peer.id:
            raise ValueError(f"Peer number {i + 1} has no id.")
        if peer.id in index:
            raise ValueError(f"Peer id {peer.id!r} appears twice.")
        index[peer.id] = i
    return index


def _categories(values: Sequence[str]) -> tuple[list[int], list[str]]:
    ids: dict[str, int] = {}
    names: list[str] = []
    out: list[int] = []
    for value in values:
        key = norm(value)
        if not key:
            out.append(-1)
            continue
        if key not in ids:
            ids[key] = len(names)
            names.append(value.strip())
        out.append(ids[key])
    return out, names


def prepare(peers: Sequence[Peer], options: Options) -> Problem:
    peers = list(peers)
    n = len(peers)
    index = _id_map(peers)
    cons = options.constraints
    issues: list[ConstraintIssue] = []

    def note_unknown(pid: str, where: str) -> None:
        issues.append(
            ConstraintIssue(
                kind="note",
                constraint="unknown_peer",
                message=f"Peer id {quoted(pid)} in the {where} is not in the list of peers. "
                "It was ignored.",
                peers=(pid,),
            )
        )

    fs = build_features(peers, options.component_weights())
    if cons.one_per_organisation:
        org, org_names = _categories([p.organisation for p in peers])
    else:
        org, org_names = [-1] * n, []
    cap = cons.max_per_country
    if cap is not None:
        country, country_names = _categories([p.country for p in peers])
    else:
        country, country_names = [-1] * n, []

    # Locked labels, numbered in input order of their first peer.
    uf = _UnionFind(n)
    locked_labels: list[str] = []
    label_index: dict[str, int] = {}
    for pid in cons.locked:
        if pid not in index:
            note_unknown(pid, "locked assignments")
    for i, peer in enumerate(peers):
        label = cons.locked.get(peer.id)
        if label is None:
            continue
        if label not in label_index:
            label_index[label] = len(locked_labels)
            locked_labels.append(label)
        uf.label[i] = label

    # Keep-together sets.
    for id_set in cons.keep_together:
        together: list[int] = []
        for pid in id_set:
            if pid in index:
                together.append(index[pid])
            else:
                note_unknown(pid, "keep-together list")
        for other in together[1:]:
            if not uf.union(together[0], other):
                a, b = together[0], other
                la, lb = uf.label[uf.find(a)], uf.label[uf.find(b)]
                issues.append(
                    ConstraintIssue(
                        kind="infeasible",
                        constraint="keep_together",
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
    # Peers locked to the same label form one unit.
    first_of_label: dict[str, int] = {}
    for i in range(n):
        label = cons.locked.get(peers[i].id)
        if label is None:
            continue
        if label in first_of_label:
            uf.union(first_of_label[label], i)
        else:
            first_of_label[label] = i

    lo, hi = options.size_bounds
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
                issues.append(
                    ConstraintIssue(
                        kind="infeasible",
                        constraint="size",
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
            issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="keep_together",
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

    # Conflicts inside units: organisation and country.
    for u, unit in enumerate(units):
        if len(unit) < 2:
            continue
        why = "locked to the same group" if unit_lock[u] >= 0 else "must be kept together"
        by_org: dict[int, list[int]] = {}
        for p in unit:
            if org[p] >= 0:
                by_org.setdefault(org[p], []).append(p)
        for o, ps in by_org.items():
            if len(ps) > 1:
                issues.append(
                    ConstraintIssue(
                        kind="infeasible",
                        constraint="organisation",
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
                    issues.append(
                        ConstraintIssue(
                            kind="infeasible",
                            constraint="country",
                            message=(
                                f"{len(ps)} peers from {country_names[c]} {why}: "
                                f"{join_words(peers[p].display_name for p in ps)}. "
                                f"The limit is {cap} per group. They were kept together."
                            ),
                            peers=tuple(peers[p].id for p in ps),
                        )
                    )

    # Keep-apart pairs between units.
    apart: list[dict[int, int]] = [{} for _ in units]
    apart_sets: list[list[int]] = []
    for id_set in cons.keep_apart:
        known: list[int] = []
        for pid in id_set:
            if pid in index:
                if index[pid] not in known:
                    known.append(index[pid])
            else:
                note_unknown(pid, "keep-apart list")
        apart_sets.append(known)
        for x in range(len(known)):
            for y in range(x + 1, len(known)):
                a, b = known[x], known[y]
                ua, ub = unit_of[a], unit_of[b]
                if ua == ub:
                    why = "locked to the same group" if unit_lock[ua] >= 0 else "kept together"
                    issues.append(
                        ConstraintIssue(
                            kind="infeasible",
                            constraint="keep_apart",
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

    # Number of groups.
    n_locked = len(locked_labels)
    org_counts: dict[int, list[int]] = {}
    for p in range(n):
        if org[p] >= 0:
            org_counts.setdefault(org[p], []).append(p)
    country_counts: dict[int, list[int]] = {}
    for p in range(n):
        if country[p] >= 0:
            country_counts.setdefault(country[p], []).append(p)
    biggest_org = max((len(v) for v in org_counts.values()), default=0)
    biggest_country = max((len(v) for v in country_counts.values()), default=0)
    biggest_apart = max((len(s) for s in apart_sets), default=0)

    def diversity_ok(g: int) -> bool:
        if biggest_org > g or biggest_apart > g:
            return False
        return not (cap is not None and biggest_country > cap * g)

    size_note: str | None = None
    all_locked = n_locked > 0 and all(p.id in cons.locked for p in peers)
    if n == 0:
        groups = 0
    elif all_locked:
        groups = n_locked
    elif options.pairs:
        groups = max(n // 2, 1, n_locked)
        if options.group_count is not None and options.group_count != groups:
            issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="group_count",
                    message=f"In pairs mode the number of groups is set by the number of "
                    f"peers. The engine made {groups} groups.",
                )
            )
    elif options.group_count is not None:
        groups = max(options.group_count, n_locked)
        if groups > options.group_count:
            issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="group_count",
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
                size_note = (
                    f"The engine made {groups} groups instead of {g_min}, so that the "
                    "organisation, country and keep-apart limits can be met."
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
        issues.append(ConstraintIssue(kind="note", constraint="group_count", message=size_note))

    # Per-group size bounds for the search.
    if options.pairs:
        g_hi = 3 if n % 2 == 1 and n > 1 else 2
        lo_list = [min(2, n)] * groups
        hi_list = [g_hi] * groups
        if n % 2 == 1 and n > 1:
            issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="pairs",
                    message=f"There are {n} peers, an odd number. One group has three peers.",
                )
            )
        if n == 1:
            issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="size",
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
    if all_locked:
        forced_by = f"every peer is locked to one of {n_locked} groups"
    elif options.group_count is not None and not options.pairs:
        forced_by = f"{groups} groups were asked for"
    elif n_locked > 1 and n_locked > max(1, n // max(lo, 1)):
        forced_by = f"{n_locked} groups have locked peers"
    else:
        forced_by = ""
    if groups and n > sum(hi_list):
        need = math.ceil(n / groups)
        hi_list = [max(h, need) for h in hi_list]
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
        issues.append(
            ConstraintIssue(
                kind="infeasible",
                constraint="size",
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
        issues.append(
            ConstraintIssue(
                kind="infeasible",
                constraint="size",
                message=message,
                peers=tuple(p.id for p in peers),
            )
        )

    # Diversity limits that the number of groups cannot meet.
    for o, ps in org_counts.items():
        if len(ps) > groups:
            issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="organisation",
                    message=(
                        f"Organisation {quoted(org_names[o])} has {len(ps)} peers, but there "
                        f"are only {groups} groups. At least one group must have two peers "
                        "from this organisation."
                    ),
                    peers=tuple(peers[p].id for p in ps),
                )
            )
    if cap is not None:
        for c, ps in country_counts.items():
            if len(ps) > cap * groups:
                issues.append(
                    ConstraintIssue(
                        kind="infeasible",
                        constraint="country",
                        message=(
                            f"{len(ps)} peers come from {country_names[c]}, but {groups} groups "
                            f"with at most {cap} per country can take only {cap * groups}. "
                            f"At least one group must have more than {cap} from this country."
                        ),
                        peers=tuple(peers[p].id for p in ps),
                    )
                )
    for known in apart_sets:
        if len(known) > groups:
            issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="keep_apart",
                    message=(
                        f"{len(known)} peers must all be kept apart, but there are only "
                        f"{groups} groups. At least two of them must share a group."
                    ),
                    peers=tuple(peers[p].id for p in known),
                )
            )

    return Problem(
        peers=peers,
        options=options,
        fs=fs,
        org=org,
        org_names=org_names,
        country=country,
        country_names=country_names,
        cap=cap,
        units=units,
        unit_of=unit_of,
        unit_lock=unit_lock,
        apart=apart,
        group_count=groups,
        lo=lo_list,
        hi=hi_list,
        min_size=lo,
        max_size=hi,
        locked_labels=locked_labels,
        issues=issues,
    )
