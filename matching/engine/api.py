"""Entry points: ``run``, ``place_late_joiners`` and ``propose_replacement``."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

from .check import check_groups
from .explain import explain_group, shared_themes, theme_isolated
from .features import FeatureSpace, build_features, norm, strategy_warnings, theme_keys
from .models import (
    ConstraintIssue,
    ConstraintReport,
    Constraints,
    Group,
    MatchingResult,
    Options,
    Peer,
    PlacementResult,
    Reason,
    ReplacementCandidate,
    UnplacedPeer,
    join_words,
)
from .prepare import Problem, prepare, quoted
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


# ---------------------------------------------------------------------- scoring


def _counts(fs: FeatureSpace, members: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for p in members:
        for f in fs.peer_features[p]:
            counts[f] = counts.get(f, 0) + 1
    return counts


def group_score(fs: FeatureSpace, members: Sequence[int]) -> tuple[float, float, list[int]]:
    """(score, normalised score, isolated members) of one group of peer indices."""
    counts = _counts(fs, members)
    score = 0.0
    ideal = 0.0
    size = len(members)
    for f, c in counts.items():
        w = fs.weight[f]
        score += w * c * (c - 1) / 2
        if w > 0:
            ideal += w * c * (size - 1) / 2
    isolated = [
        p
        for p in members
        if sum(fs.weight[f] * (counts[f] - 1) for f in fs.peer_features[p]) <= EPS
    ]
    normalised = score / ideal if ideal > EPS else 0.0
    return score, max(0.0, min(1.0, normalised)), isolated


def upper_bound(fs: FeatureSpace, n: int, max_group_size: int) -> float:
    """Sum over features f with weight > 0 of weight_f * N_f * min(S - 1, N_f - 1) / 2."""
    counts = [0] * fs.size
    for feats in fs.peer_features:
        for f in feats:
            counts[f] += 1
    bound = 0.0
    for f, c in enumerate(counts):
        w = fs.weight[f]
        if w > 0 and c > 1:
            bound += w * c * min(max_group_size - 1, c - 1) / 2
    return bound


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
                    message=f"In group {group.label}, {names} {verb} nothing with the others "
                    "under this strategy.",
                    peers=group.isolated,
                    groups=(group.label,),
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
            i.constraint == v.constraint and set(i.peers) & set(v.peers) for i in infeasible
        )
        marked.append(replace(v, unavoidable=unavoidable))
    return ConstraintReport(issues=tuple(prepared) + tuple(marked) + tuple(notes))


def _make_group(
    label: str,
    members: Sequence[int],
    peers: Sequence[Peer],
    fs: FeatureSpace,
    options: Options,
    locked: Mapping[str, str],
) -> Group:
    score, normalised, isolated = group_score(fs, members)
    member_peers = [peers[p] for p in members]
    locked_here = tuple(peers[p].id for p in members if locked.get(peers[p].id) == label)
    return Group(
        label=label,
        members=tuple(p.id for p in member_peers),
        score=round(score, 9),
        normalised_score=round(normalised, 6),
        isolated=tuple(peers[p].id for p in isolated),
        shared_themes=shared_themes(member_peers),
        explanation=explain_group(member_peers, options, locked_here),
        locked=locked_here,
    )


def _theme_coverage(member_lists: Sequence[Sequence[Peer]]) -> float:
    """Fraction of (peer, theme) pairs whose theme another member of the group also has."""
    held = shared = 0
    for members in member_lists:
        counts: dict[str, int] = {}
        for peer in members:
            for key in theme_keys(peer):
                counts[key] = counts.get(key, 0) + 1
        for peer in members:
            for key in theme_keys(peer):
                held += 1
                shared += counts[key] > 1
    return shared / held if held else 0.0


# ---------------------------------------------------------------------- run


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
        search.construct()
        share = (budget - used) // (restarts - k)
        search.improve(share, stagnation // restarts + 1)
        used += search.evals
        if best is None or search.key() < best.key():
            best = search
        if search.stopped and deadline is not None and time.monotonic() > deadline:
            break
    assert best is not None
    search = best
    search.stats["restarts"] = restarts
    groups_idx = search.assignment()
    labels = _label_groups(pb, groups_idx)
    order = sorted(range(len(groups_idx)), key=lambda g: (g >= len(pb.locked_labels), labels[g]))
    built = [
        _make_group(labels[g], groups_idx[g], pb.peers, pb.fs, options, options.constraints.locked)
        for g in order
        if groups_idx[g]
    ]
    total = sum(g.score for g in built)
    bound = upper_bound(pb.fs, pb.n, max(pb.hi, default=1))
    by_id = {p.id: p for p in pb.peers}
    violations = check_groups(pb.peers, {g.label: g.members for g in built}, options)
    isolated = tuple(pid for g in built for pid in g.isolated)
    theme_iso = tuple(pid for g in built for pid in theme_isolated([by_id[m] for m in g.members]))
    stats: dict[str, int | float | str] = dict(search.stats)
    stats.update(
        {
            "peers": pb.n,
            "groups": len(built),
            "seed": options.seed,
            "budget": budget,
            "evaluations": used,
            "elapsed_seconds": round(time.monotonic() - started, 4),
            "theme_coverage": round(
                _theme_coverage([[by_id[m] for m in g.members] for g in built]), 6
            ),
        }
    )
    if progress is not None:
        progress(1.0)
    return MatchingResult(
        groups=tuple(built),
        score=round(total / bound, 6) if bound > EPS else 0.0,
        total=round(total, 9),
        upper_bound=round(bound, 9),
        isolated=isolated,
        theme_isolated=theme_iso,
        report=_report(pb.issues, violations, _isolation_notes(built, by_id)),
        warnings=strategy_warnings(options),
        options=options,
        stats=stats,
    )


# ---------------------------------------------------------------------- late joiners


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
                    message=f"{peer.display_name} is already in a group and was not moved.",
                    peers=(peer.id,),
                )
            )
        elif peer.id not in {p.id for p in fresh}:
            fresh.append(peer)
    everyone = old_peers + fresh
    index = {p.id: i for i, p in enumerate(everyone)}
    fs = build_features(everyone, options.component_weights())
    n_old = len(old_peers)
    group_of: dict[int, int] = {}
    members: list[list[int]] = []
    for g, label in enumerate(labels):
        members.append([index[p.id] for p in existing_groups[label]])
        for p in members[-1]:
            group_of[p] = g
    closed = {labels.index(c) for c in closed_groups if c in labels}
    counts = [_counts(fs, m) for m in members]
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
                    org = everyone[q].organisation.strip()
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
        _make_group(label, m, everyone, fs, options, cons.locked)
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


# ---------------------------------------------------------------------- replacement


def propose_replacement(
    group: Sequence[Peer],
    leaving_peer_id: str,
    candidates: Sequence[Peer],
    options: Options | None = None,
    *,
    group_label: str | None = None,
) -> list[ReplacementCandidate]:
    """Rank candidates to take the place of ``leaving_peer_id`` in ``group``.

    Order: candidates that break no hard constraint first; then those who would not be
    isolated; then the largest gain (affinity to the remaining members under the strategy);
    then the most themes in common with the leaving peer; then input order.
    """
    options = options or Options()
    cons = options.constraints
    remaining = [p for p in group if p.id != leaving_peer_id]
    leaving = next((p for p in group if p.id == leaving_peer_id), None)
    in_group = {p.id for p in group}
    pool = [c for c in dict((c.id, c) for c in candidates).values() if c.id not in in_group]
    everyone = remaining + pool
    fs = build_features(everyone, options.component_weights())
    counts = _counts(fs, list(range(len(remaining))))
    leaving_themes = set(theme_keys(leaving)) if leaving else set()
    apart: dict[str, set[str]] = {}
    for ids in cons.keep_apart:
        for a in ids:
            apart.setdefault(a, set()).update(b for b in ids if b != a)
    scored: list[tuple[tuple[int, int, float, int, int], ReplacementCandidate]] = []
    for k, cand in enumerate(pool):
        idx = len(remaining) + k
        gain = sum(fs.weight[f] * counts.get(f, 0) for f in fs.peer_features[idx])
        isolated = gain <= EPS
        reasons: list[Reason] = []
        shared: list[str] = []
        for theme in cand.themes:
            with_whom = [p.display_name for p in remaining if norm(theme) in theme_keys(p)]
            if with_whom:
                shared.append(theme)
                reasons.append(
                    Reason(
                        code="shares_theme",
                        template='Shares the theme "{theme}" with {members}.',
                        params={"theme": theme, "members": with_whom},
                    )
                )
        if not shared:
            reasons.append(
                Reason(code="no_shared_theme", template="Shares no theme with the group.")
            )
        overlap = [t for t in cand.themes if norm(t) in leaving_themes]
        if leaving is not None and overlap:
            reasons.append(
                Reason(
                    code="like_leaving_peer",
                    template="Has {count} of the themes of {leaving}: {themes}.",
                    params={
                        "count": len(overlap),
                        "leaving": leaving.display_name,
                        "themes": [f'"{t}"' for t in overlap],
                    },
                )
            )
        weights = options.component_weights()
        for field_name, code, what in (
            ("role", "same_role", "role"),
            ("task_area", "same_task", "task area"),
        ):
            component = "role" if field_name == "role" else "task"
            value = norm(getattr(cand, field_name))
            if weights.get(component, 0.0) > 0 and value:
                same = [p.display_name for p in remaining if norm(getattr(p, field_name)) == value]
                if same:
                    reasons.append(
                        Reason(
                            code=code,
                            template="Has the same " + what + " as {members}.",
                            params={"members": same},
                        )
                    )
        problems: list[str] = []
        if cons.one_per_organisation and norm(cand.organisation):
            for p in remaining:
                if norm(p.organisation) == norm(cand.organisation):
                    problems.append(
                        f"Same organisation as {p.display_name} ({cand.organisation.strip()})."
                    )
        if cons.max_per_country is not None and norm(cand.country):
            same_country = sum(1 for p in remaining if norm(p.country) == norm(cand.country))
            if same_country + 1 > cons.max_per_country:
                problems.append(
                    f"The group already has {same_country} peers from {cand.country.strip()}. "
                    f"The limit is {cons.max_per_country}."
                )
        for p in remaining:
            if p.id in apart.get(cand.id, set()):
                problems.append(f"Must be kept apart from {p.display_name}.")
        lock = cons.locked.get(cand.id)
        if lock is not None and lock != group_label:
            problems.append(f"Is locked to group {quoted(lock)}.")
        candidate = ReplacementCandidate(
            peer_id=cand.id,
            rank=0,
            gain=round(gain, 9),
            feasible=not problems,
            isolated=isolated,
            shared_themes=tuple(shared),
            reasons=tuple(reasons),
            problems=tuple(problems),
        )
        key = (int(bool(problems)), int(isolated), -gain, -len(overlap), k)
        scored.append((key, candidate))
    scored.sort(key=lambda item: item[0])
    return [replace(c, rank=i + 1) for i, (_key, c) in enumerate(scored)]
