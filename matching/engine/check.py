"""Check a grouping against the hard constraints, from the definitions (no search state).

``check_groups`` is used for the report of every run and by the tests and the benchmark as an
independent check that no hard constraint is broken.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .features import norm
from .models import ConstraintIssue, Options, Peer, join_words


def _peers(count: int) -> str:
    return "1 peer" if count == 1 else f"{count} peers"


def check_groups(
    peers: Sequence[Peer],
    groups: Mapping[str, Sequence[str]],
    options: Options,
    *,
    check_sizes: bool = True,
) -> list[ConstraintIssue]:
    """Every broken hard constraint in ``groups`` (label -> peer ids) as a "violation"."""
    by_id = {p.id: p for p in peers}
    cons = options.constraints
    out: list[ConstraintIssue] = []
    where: dict[str, str] = {}

    def name(pid: str) -> str:
        peer = by_id.get(pid)
        return peer.display_name if peer else pid

    for label, members in groups.items():
        for pid in members:
            if pid in where:
                out.append(
                    ConstraintIssue(
                        kind="violation",
                        constraint="assignment",
                        message=f"{name(pid)} is in two groups: {where[pid]} and {label}.",
                        peers=(pid,),
                        groups=(where[pid], label),
                        unavoidable=False,
                    )
                )
            where[pid] = label
    missing = [p.id for p in peers if p.id not in where]
    if missing:
        out.append(
            ConstraintIssue(
                kind="violation",
                constraint="assignment",
                message=f"{join_words(name(p) for p in missing)} are in no group.",
                peers=tuple(missing),
                unavoidable=False,
            )
        )

    if check_sizes:
        lo, hi = options.size_bounds
        n = sum(len(m) for m in groups.values())
        allowed_triples = 1 if options.pairs and n % 2 == 1 else 0
        for label, members in groups.items():
            size = len(members)
            if options.pairs and size == 3 and allowed_triples:
                allowed_triples -= 1
                continue
            if size > hi:
                out.append(
                    ConstraintIssue(
                        kind="violation",
                        constraint="size",
                        message=f"Group {label} has {_peers(size)}. The maximum is {hi}.",
                        peers=tuple(members),
                        groups=(label,),
                        unavoidable=False,
                    )
                )
            elif size < lo:
                out.append(
                    ConstraintIssue(
                        kind="violation",
                        constraint="size",
                        message=f"Group {label} has {_peers(size)}. The minimum is {lo}.",
                        peers=tuple(members),
                        groups=(label,),
                        unavoidable=False,
                    )
                )

    for label, members in groups.items():
        present = [by_id[p] for p in members if p in by_id]
        if cons.one_per_organisation:
            by_org: dict[str, list[Peer]] = {}
            for peer in present:
                if norm(peer.organisation):
                    by_org.setdefault(norm(peer.organisation), []).append(peer)
            for same in by_org.values():
                if len(same) > 1:
                    out.append(
                        ConstraintIssue(
                            kind="violation",
                            constraint="organisation",
                            message=(
                                f"Group {label} has {len(same)} peers from the organisation "
                                f"{same[0].organisation.strip()}: "
                                f"{join_words(p.display_name for p in same)}."
                            ),
                            peers=tuple(p.id for p in same),
                            groups=(label,),
                            unavoidable=False,
                        )
                    )
        if cons.max_per_country is not None:
            by_country: dict[str, list[Peer]] = {}
            for peer in present:
                if norm(peer.country):
                    by_country.setdefault(norm(peer.country), []).append(peer)
            for same in by_country.values():
                if len(same) > cons.max_per_country:
                    out.append(
                        ConstraintIssue(
                            kind="violation",
                            constraint="country",
                            message=(
                                f"Group {label} has {len(same)} peers from "
                                f"{same[0].country.strip()}. The limit is "
                                f"{cons.max_per_country}."
                            ),
                            peers=tuple(p.id for p in same),
                            groups=(label,),
                            unavoidable=False,
                        )
                    )

    for members in cons.keep_together:
        known = [p for p in members if p in where]
        labels = list(dict.fromkeys(where[p] for p in known))
        if len(labels) > 1:
            out.append(
                ConstraintIssue(
                    kind="violation",
                    constraint="keep_together",
                    message=(
                        f"{join_words(name(p) for p in known)} must be kept together, but they "
                        f"are in groups {join_words(labels)}."
                    ),
                    peers=tuple(known),
                    groups=tuple(labels),
                    unavoidable=False,
                )
            )
    for members in cons.keep_apart:
        known = list(dict.fromkeys(p for p in members if p in where))
        for i, a in enumerate(known):
            for b in known[i + 1 :]:
                if where[a] == where[b]:
                    out.append(
                        ConstraintIssue(
                            kind="violation",
                            constraint="keep_apart",
                            message=(
                                f"{name(a)} and {name(b)} must be kept apart, but both are in "
                                f"group {where[a]}."
                            ),
                            peers=(a, b),
                            groups=(where[a],),
                            unavoidable=False,
                        )
                    )
    for pid, label in cons.locked.items():
        if pid in where and where[pid] != label:
            out.append(
                ConstraintIssue(
                    kind="violation",
                    constraint="locked",
                    message=f"{name(pid)} is locked to group {label} but is in group {where[pid]}.",
                    peers=(pid,),
                    groups=(label, where[pid]),
                    unavoidable=False,
                )
            )
    return out
