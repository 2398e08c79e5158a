"""Notes of the organisation strategy: how each organisation's peers ended up.

The strategy groups peers of one organisation together (teams that reform together, for
in-country diffusion). An organisation with at least the minimum group size and a size that
splits into groups of min..max peers gets groups of its own (several when it has more than the
maximum); the peers of an organisation too small for a group of its own, or the few left over
when its size does not split evenly, join peers of other organisations, from their own country
first (the strategy weighs a same-country pair too), then by shared problems. Each such case is
reported by name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .features import norm
from .models import Options, Peer
from .results import ConstraintIssue, Group, join_words


def _splits(size: int, lo: int, hi: int) -> bool:
    """Whether ``size`` peers can form groups of lo..hi peers only."""
    k = math.ceil(size / hi)
    return size > 0 and k * lo <= size


def organisation_notes(
    groups: Sequence[Group], peers: Sequence[Peer], options: Options
) -> list[ConstraintIssue]:
    if options.strategy != "organisation":
        return []
    lo, hi = options.size_bounds
    notes = [
        ConstraintIssue(
            kind="note",
            constraint="organisation_groups",
            code="organisation_rule_off",
            message="One peer per organisation does not apply: this strategy groups the peers "
            "of one organisation together.",
        )
    ]
    by_id = {p.id: p for p in peers}
    where = {pid: g.label for g in groups for pid in g.members}
    orgs: dict[str, list[Peer]] = {}
    missing: list[Peer] = []
    for peer in peers:
        key = norm(peer.organisation)
        if key:
            orgs.setdefault(key, []).append(peer)
        else:
            missing.append(peer)
    size_of = {g.label: g.size for g in groups}
    members_of = {g.label: g.members for g in groups}
    org_of_group: dict[str, set[str]] = {}
    for g in groups:
        org_of_group[g.label] = {norm(by_id[m].organisation) for m in g.members if m in by_id}
    for key, members in orgs.items():
        name = members[0].organisation_label
        labels: dict[str, int] = {}
        for peer in members:
            if peer.id in where:
                labels[where[peer.id]] = labels.get(where[peer.id], 0) + 1
        spread = ", ".join(f"{label} ({count})" for label, count in labels.items())
        own = [label for label in labels if org_of_group[label] == {key}]
        mixed = [label for label in labels if label not in own]
        params = {
            "organisation": name,
            "count": len(members),
            "groups": dict(labels),
            "min_size": lo,
            "max_size": hi,
        }
        ids = tuple(p.id for p in members)
        if len(members) < lo:
            others = sorted(
                {
                    by_id[m].organisation_label
                    for label in labels
                    for m in members_of[label]
                    if m in by_id and norm(by_id[m].organisation) not in ("", key)
                }
            )
            notes.append(
                ConstraintIssue(
                    kind="note",
                    constraint="organisation_groups",
                    code="organisation_too_few",
                    message=(
                        f"{name} has {len(members)} "
                        f"{'peer' if len(members) == 1 else 'peers'}, fewer than the minimum "
                        f"group size of {lo}. They are in {spread}, with peers of "
                        f"{join_words(others) or 'no other organisation'}."
                    ),
                    peers=ids,
                    groups=tuple(labels),
                    params={**params, "with": others},
                )
            )
        elif not _splits(len(members), lo, hi):
            notes.append(
                ConstraintIssue(
                    kind="note",
                    constraint="organisation_groups",
                    code="organisation_uneven",
                    message=(
                        f"{name} has {len(members)} peers, which do not split into groups of "
                        f"{lo} to {hi}: they are in {spread}."
                    ),
                    peers=ids,
                    groups=tuple(labels),
                    params=params,
                )
            )
        elif mixed or len(own) > math.ceil(len(members) / lo):
            notes.append(
                ConstraintIssue(
                    kind="note",
                    constraint="organisation_groups",
                    code="organisation_mixed",
                    message=f"The {len(members)} peers of {name} are in {spread}.",
                    peers=ids,
                    groups=tuple(labels),
                    params=params,
                )
            )
        elif len(own) > 1:
            sizes = join_words(f"{label} ({size_of[label]})" for label in own)
            notes.append(
                ConstraintIssue(
                    kind="note",
                    constraint="organisation_groups",
                    code="organisation_split",
                    message=f"{name} has {len(members)} peers, more than one group holds: "
                    f"they form groups {sizes}.",
                    peers=ids,
                    groups=tuple(own),
                    params=params,
                )
            )
    if missing:
        notes.append(
            ConstraintIssue(
                kind="note",
                constraint="organisation_groups",
                code="organisation_missing",
                message=f"{join_words(p.display_name for p in missing)} gave no organisation. "
                "They were grouped by country and shared problems.",
                peers=tuple(p.id for p in missing),
                params={"names": [p.display_name for p in missing]},
            )
        )
    return notes
