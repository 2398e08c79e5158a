"""``place_late_joiners``: add late joiners to existing groups without moving anyone."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from .check import check_groups
from .features import features_for, norm, strategy_warnings
from .languages import common_languages, language_name
from .models import Constraints, Options, Peer
from .results import (
    ConstraintIssue,
    ConstraintReport,
    PlacementResult,
    UnplacedPeer,
    join_words,
)
from .run import run
from .scoring import feature_counts, make_group
from .search import EPS


def _next_labels(existing: Collection[str], count: int) -> list[str]:
    width = max(2, len(str(len(existing) + count)))
    out: list[str] = []
    k = 0
    taken = set(existing)
    while len(out) < count:
        k += 1
        label = f"G{k:0{width}d}"
        if label not in taken:
            out.append(label)
            taken.add(label)
    return out


def _groups(count: int, total: int, verb: str = "") -> str:
    """ "2 of 10 groups are", "1 of 10 groups is", "All 3 groups are" (or with `verb`)."""
    if not verb:
        verb = "is" if count == 1 else "are"
    if count == total and total > 1:
        return f"All {total} groups {verb}"
    return f"{count} of {total} groups {verb}" if total != 1 else f"The only group {verb}"


def place_late_joiners(
    existing_groups: Mapping[str, Sequence[Peer]],
    new_peers: Sequence[Peer],
    options: Options | None = None,
    *,
    closed_groups: Collection[str] = (),
) -> PlacementResult:
    """Add late joiners to existing groups without moving anyone already placed.

    Every member of ``existing_groups`` (label -> members, for example the locked and
    published members) stays where they are. ``closed_groups`` are labels that take nobody
    new. A late joiner goes to the group where they share the most (under the strategy) among
    the groups with room that break no constraint; the most constrained late joiners are
    placed first. A new group is opened only for late joiners that no group can take, and only
    when there are enough of them for the minimum size; the others are reported as unplaced,
    with the reasons.
    """
    options = options or Options()
    cons = options.constraints
    lo, hi = options.size_bounds
    labels = list(existing_groups)
    old_peers = [p for label in labels for p in existing_groups[label]]
    old_ids = {p.id for p in old_peers}
    issues: list[ConstraintIssue] = []
    fresh: list[Peer] = []
    for peer in new_peers:
        if peer.id in old_ids:
            issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="assignment",
                    code="already_placed",
                    params={"name": peer.display_name},
                    message=f"{peer.display_name} is already in a group and was not moved.",
                    peers=(peer.id,),
                )
            )
        elif peer.id not in {p.id for p in fresh}:
            fresh.append(peer)
    everyone = old_peers + fresh
    index = {p.id: i for i, p in enumerate(everyone)}
    fs = features_for(everyone, options)
    n_old = len(old_peers)
    group_of: dict[int, int] = {}
    members: list[list[int]] = []
    for g, label in enumerate(labels):
        members.append([index[p.id] for p in existing_groups[label]])
        for p in members[-1]:
            group_of[p] = g
    closed = {labels.index(c) for c in closed_groups if c in labels}
    counts = [feature_counts(fs, m) for m in members]
    org_key = [norm(p.organisation) if cons.one_per_organisation else "" for p in everyone]
    cty_key = [norm(p.country) if cons.max_per_country is not None else "" for p in everyone]
    apart: dict[int, set[int]] = {}
    for group_ids in cons.keep_apart:
        known = [index[i] for i in group_ids if i in index]
        for a in known:
            for b in known:
                if a != b:
                    apart.setdefault(a, set()).add(b)
    # Units of late joiners (keep-together), and required groups.
    parent = {i: i for i in range(n_old, len(everyone))}

    def find(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    required: dict[int, int] = {}
    for group_ids in cons.keep_together:
        known = [index[i] for i in group_ids if i in index]
        new_ones = [p for p in known if p >= n_old]
        old_groups = {group_of[p] for p in known if p < n_old}
        for p in new_ones[1:]:
            ra, rb = find(new_ones[0]), find(p)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        if new_ones and len(old_groups) == 1:
            required[find(new_ones[0])] = next(iter(old_groups))
    for pid, label in cons.locked.items():
        if pid in index and index[pid] >= n_old and label in labels:
            required[find(index[pid])] = labels.index(label)
    units: dict[int, list[int]] = {}
    for p in range(n_old, len(everyone)):
        units.setdefault(find(p), []).append(p)
    required = {find(k): v for k, v in required.items()}

    def blockers(unit: list[int], g: int) -> list[tuple[str, str, str]]:
        """Why group g cannot take the unit, as (kind, key, sentence); empty when it can."""
        label = labels[g]
        if g in closed:
            return [("closed", "", f"Group {label} is closed to newcomers.")]
        if len(members[g]) + len(unit) > hi:
            return [("full", "", f"Group {label} is full (maximum size {hi}).")]
        out: list[tuple[str, str, str]] = []
        for p in unit:
            for q in members[g]:
                if org_key[p] and org_key[p] == org_key[q]:
                    org = everyone[q].organisation_label
                    out.append(
                        ("organisation", org, f"Group {label} already has a peer from {org}.")
                    )
                if q in apart.get(p, ()):
                    out.append(
                        (
                            "keep_apart",
                            "",
                            f"{everyone[p].display_name} must be kept apart from "
                            f"{everyone[q].display_name}, who is in group {label}.",
                        )
                    )
            if cty_key[p] and cons.max_per_country is not None:
                same = sum(1 for q in members[g] + unit if cty_key[q] == cty_key[p])
                if same > cons.max_per_country:
                    country = everyone[p].country.strip()
                    out.append(
                        (
                            "country",
                            country,
                            f"Group {label} already has {cons.max_per_country} peers from "
                            f"{country}.",
                        )
                    )
        if cons.common_language:
            group = [everyone[q] for q in members[g]]
            joining = [everyone[p] for p in unit]
            common, best, _outsiders = common_languages(group + joining, cons.language_exempt)
            if best and not common:
                theirs, _b, _o = common_languages(group, cons.language_exempt)
                spoken = join_words(
                    language_name(v) for p in joining for v in p.languages if p.languages
                )
                out.append(
                    (
                        "language",
                        "",
                        f"Group {label} works in "
                        f"{join_words(language_name(v) for v in theirs) or 'no shared language'}"
                        f", and {join_words(p.display_name for p in joining)} "
                        f"{'works' if len(joining) == 1 else 'work'} in {spoken or 'none'}.",
                    )
                )
        return list(dict.fromkeys(out))

    def value(unit: list[int], g: int) -> tuple[int, float, int, int]:
        gain = 0.0
        cnt = counts[g]
        shares = True
        for p in unit:
            own = sum(fs.weight[f] * cnt.get(f, 0) for f in fs.peer_features[p])
            gain += own
            shares = shares and own > EPS
        return (int(shares), gain, -len(members[g]), -g)

    roots = list(units)
    feasible_count = {
        r: sum(1 for g in range(len(labels)) if not blockers(units[r], g)) for r in roots
    }
    roots.sort(key=lambda r: (feasible_count[r], r))
    placements: dict[str, str] = {}
    waiting: list[int] = []
    for r in roots:
        unit = units[r]
        targets = [required[r]] if r in required else list(range(len(labels)))
        ok = [g for g in targets if not blockers(unit, g)]
        if not ok:
            waiting.append(r)
            continue
        g = max(ok, key=lambda g: value(unit, g))
        for p in unit:
            members[g].append(p)
            group_of[p] = g
            for f in fs.peer_features[p]:
                counts[g][f] = counts[g].get(f, 0) + 1
            placements[everyone[p].id] = labels[g]

    # New groups for the late joiners no group can take.
    new_labels: list[str] = []
    new_members: list[list[int]] = []
    waiting_peers = [p for r in waiting if r not in required for p in units[r]]
    min_new = 2 if options.pairs else lo
    if len(waiting_peers) >= min_new:
        n_groups = max(1, len(waiting_peers) // min_new)
        capacity = n_groups * (3 if options.pairs else hi)
        if options.pairs:
            n_groups = len(waiting_peers) // 2
            capacity = len(waiting_peers)
        chosen = [everyone[p] for p in waiting_peers[:capacity]]
        chosen_ids = {p.id for p in chosen}
        sub_options = replace(
            options,
            group_count=None if options.pairs else n_groups,
            constraints=Constraints(
                one_per_organisation=cons.one_per_organisation,
                max_per_country=cons.max_per_country,
                keep_together=tuple(
                    tuple(i for i in s if i in chosen_ids) for s in cons.keep_together
                ),
                keep_apart=tuple(tuple(i for i in s if i in chosen_ids) for s in cons.keep_apart),
                common_language=cons.common_language,
                language_exempt=tuple(i for i in cons.language_exempt if i in chosen_ids),
            ),
        )
        sub = run(chosen, sub_options)
        new_labels = _next_labels(labels, len(sub.groups))
        for label, group in zip(new_labels, sub.groups, strict=True):
            new_members.append([index[i] for i in group.members])
            for pid in group.members:
                placements[pid] = label
        issues.extend(i for i in sub.report.issues if i.kind != "note")

    unplaced: list[UnplacedPeer] = []
    for r in waiting:
        unit = units[r]
        if all(everyone[p].id in placements for p in unit):
            continue
        reasons: list[str] = []
        if r in required:
            reasons.extend(text for _kind, _key, text in blockers(unit, required[r]))
        else:
            tally: dict[tuple[str, str], int] = {}
            for g in range(len(labels)):
                for kind, key, text in blockers(unit, g):
                    if kind == "keep_apart":
                        reasons.append(text)
                    else:
                        tally[(kind, key)] = tally.get((kind, key), 0) + 1
            if not labels:
                reasons.append("There are no groups yet.")
            total = len(labels)
            for (kind, key), count in tally.items():
                if kind == "full":
                    reasons.append(f"{_groups(count, total)} full (maximum size {hi}).")
                elif kind == "closed":
                    reasons.append(f"{_groups(count, total)} closed to newcomers.")
                elif kind == "organisation":
                    has = "has" if count == 1 else "have"
                    reasons.append(f"{_groups(count, total, verb=has)} a peer from {key}.")
                elif kind == "country":
                    has = "has" if count == 1 else "have"
                    limit = cons.max_per_country
                    reasons.append(f"{_groups(count, total, verb=has)} {limit} peers from {key}.")
                elif kind == "language":
                    share = "shares" if count == 1 else "share"
                    reasons.append(
                        f"{_groups(count, total, verb=share)} no working language with "
                        f"{join_words(everyone[p].display_name for p in unit)}."
                    )
            if len(waiting_peers) < min_new:
                joiners = "late joiner" if len(waiting_peers) == 1 else "late joiners"
                reasons.append(
                    f"Only {len(waiting_peers)} {joiners} could not join a group. "
                    f"A new group needs at least {min_new}."
                )
            else:
                reasons.append("The new groups were already full.")
        for p in unit:
            unplaced.append(UnplacedPeer(peer_id=everyone[p].id, reasons=tuple(reasons)))

    all_labels = labels + new_labels
    all_members = members + new_members
    groups = tuple(
        make_group(label, m, everyone, fs, options, cons.locked)
        for label, m in zip(all_labels, all_members, strict=True)
    )
    placed_ids = {pid for g in groups for pid in g.members}
    violations = check_groups(
        [p for p in everyone if p.id in placed_ids],
        {g.label: g.members for g in groups},
        options,
        check_sizes=False,
    )
    for group in groups:
        if len(group.members) > hi and group.label in new_labels:
            violations.append(
                ConstraintIssue(
                    kind="violation",
                    constraint="size",
                    message=f"Group {group.label} has {group.size} peers. The maximum is {hi}.",
                    peers=group.members,
                    groups=(group.label,),
                    unavoidable=False,
                )
            )
    # Breaches among existing members are not the placement's doing: report them as notes.
    new_ids = {p.id for p in fresh}
    report_issues = list(issues)
    for v in violations:
        if set(v.peers) & new_ids:
            report_issues.append(v)
        else:
            report_issues.append(
                replace(v, kind="note", message=v.message + " This was already so before.")
            )
    return PlacementResult(
        placements=placements,
        groups=groups,
        new_groups=tuple(new_labels),
        unplaced=tuple(unplaced),
        report=ConstraintReport(issues=tuple(report_issues)),
        warnings=strategy_warnings(options),
    )
