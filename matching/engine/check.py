"""Check a grouping against the hard constraints, from the definitions (no search state).

* ``check_groups`` lists every broken constraint of a grouping; it makes the report of every
  run and is the tests' and the benchmark's independent check.
* ``check_grouping`` is the check before publishing: the same violations (sizes, organisation,
  country, common language, keep-together, keep-apart, locks, peers in no group) and notes
  (members who share no theme with their group).
* ``check_move`` checks one proposed move and names only what the move itself would break.
* ``check_options`` finds, before any run, what the options cannot meet (a keep-together set
  larger than a group, peers both kept together and apart, locks that conflict, languages
  too few peers share, unknown ids), with the same issues a run would report.
* ``common_languages`` is the language rule for one group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .choices import exempt_language, size_choices, turn_off_language
from .explain import theme_isolated
from .features import norm
from .languages import common_languages, language_name
from .models import Options, Peer
from .prepare import prepare
from .results import ConstraintIssue, ConstraintReport, GroupingCheck, join_words


def _peers(count: int) -> str:
    return "1 peer" if count == 1 else f"{count} peers"


def _language_issue(label: str, present: Sequence[Peer], options: Options) -> ConstraintIssue:
    exempt = options.constraints.language_exempt
    _common, best, outsiders = common_languages(present, exempt)
    bound = [p for p in present if p.languages and p.id not in exempt]
    spoken = [
        f"{p.display_name} ({join_words(language_name(v) for v in p.languages)})" for p in bound
    ]
    best_names = join_words(language_name(v) for v in best)
    return ConstraintIssue(
        kind="violation",
        constraint="language",
        code="language_none",
        message=(
            f"Group {label} shares no working language: {'; '.join(spoken)}. The most shared "
            f"is {best_names}; {join_words(p.display_name for p in outsiders)} "
            f"{'does' if len(outsiders) == 1 else 'do'} not work in it."
        ),
        peers=tuple(p.id for p in outsiders),
        groups=(label,),
        unavoidable=False,
        params={
            "group": label,
            "members": {p.display_name: list(p.languages) for p in bound},
            "best": best,
            "best_names": [language_name(v) for v in best],
            "outsiders": [p.display_name for p in outsiders],
        },
        choices=(
            exempt_language([p.id for p in outsiders], [p.display_name for p in outsiders]),
            turn_off_language(),
            *size_choices(options),
        ),
    )


def check_groups(
    peers: Sequence[Peer],
    groups: Mapping[str, Sequence[str]],
    options: Options,
    *,
    check_sizes: bool = True,
    elsewhere: Mapping[str, str] | None = None,
    triples: int | None = None,
) -> list[ConstraintIssue]:
    """Every broken hard constraint in ``groups`` (label -> peer ids) as a "violation".

    A few groups of a grouping can be checked alone: ``elsewhere`` (peer id -> label) places
    peers in the groups that are not given (a keep-together set with a member in ``groups``
    reads where its other members are from there, and a peer placed elsewhere is not "in no
    group"), and ``triples`` says how many groups of three pairs allow among ``groups`` (by
    default one when they hold an odd number of peers). Every other rule is about the members
    of one group, or two of them, and needs nothing outside it."""
    by_id = {p.id: p for p in peers}
    cons = options.constraints
    out: list[ConstraintIssue] = []
    where: dict[str, str] = {}
    outside = dict(elsewhere or {})

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
                        code="two_groups",
                        message=f"{name(pid)} is in two groups: {where[pid]} and {label}.",
                        peers=(pid,),
                        groups=(where[pid], label),
                        unavoidable=False,
                        params={"name": name(pid), "groups": [where[pid], label]},
                    )
                )
            where[pid] = label
    missing = [p.id for p in peers if p.id not in where and p.id not in outside]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        out.append(
            ConstraintIssue(
                kind="violation",
                constraint="assignment",
                code="no_group",
                message=f"{join_words(name(p) for p in missing)} {verb} in no group.",
                peers=tuple(missing),
                unavoidable=False,
                params={"names": [name(p) for p in missing]},
            )
        )

    if check_sizes:
        out.extend(_size_issues(groups, options, triples))

    for label, members in groups.items():
        present = [by_id[p] for p in members if p in by_id]
        if cons.one_per_organisation:
            by_org: dict[str, list[Peer]] = {}
            for peer in present:
                if norm(peer.organisation):
                    by_org.setdefault(norm(peer.organisation), []).append(peer)
            for same in by_org.values():
                if len(same) > 1:
                    organisation = same[0].organisation_label
                    out.append(
                        ConstraintIssue(
                            kind="violation",
                            constraint="organisation",
                            code="organisation_twice",
                            message=(
                                f"Group {label} has {len(same)} peers from the organisation "
                                f"{organisation}: {join_words(p.display_name for p in same)}."
                            ),
                            peers=tuple(p.id for p in same),
                            groups=(label,),
                            unavoidable=False,
                            params={
                                "group": label,
                                "organisation": organisation,
                                "names": [p.display_name for p in same],
                            },
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
                            code="country_over",
                            message=(
                                f"Group {label} has {len(same)} peers from "
                                f"{same[0].country.strip()}. The limit is "
                                f"{cons.max_per_country}."
                            ),
                            peers=tuple(p.id for p in same),
                            groups=(label,),
                            unavoidable=False,
                            params={
                                "group": label,
                                "country": same[0].country.strip(),
                                "count": len(same),
                                "limit": cons.max_per_country,
                                "names": [p.display_name for p in same],
                            },
                        )
                    )
        if cons.common_language:
            common, best, _outsiders = common_languages(present, cons.language_exempt)
            if best and not common:
                out.append(_language_issue(label, present, options))

    placed = {**outside, **where}
    for members in cons.keep_together:
        known = [p for p in members if p in placed]
        if not any(p in where for p in known):
            continue
        labels = list(dict.fromkeys(placed[p] for p in known))
        if len(labels) > 1:
            out.append(
                ConstraintIssue(
                    kind="violation",
                    constraint="keep_together",
                    code="keep_together_split",
                    message=(
                        f"{join_words(name(p) for p in known)} must be kept together, but they "
                        f"are in groups {join_words(labels)}."
                    ),
                    peers=tuple(known),
                    groups=tuple(labels),
                    unavoidable=False,
                    params={"names": [name(p) for p in known], "groups": labels},
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
                            code="keep_apart_shared",
                            message=(
                                f"{name(a)} and {name(b)} must be kept apart, but both are in "
                                f"group {where[a]}."
                            ),
                            peers=(a, b),
                            groups=(where[a],),
                            unavoidable=False,
                            params={"names": [name(a), name(b)], "group": where[a]},
                        )
                    )
    for pid, label in cons.locked.items():
        if pid in where and where[pid] != label:
            out.append(
                ConstraintIssue(
                    kind="violation",
                    constraint="locked",
                    code="locked_elsewhere",
                    message=f"{name(pid)} is locked to group {label} but is in group {where[pid]}.",
                    peers=(pid,),
                    groups=(label, where[pid]),
                    unavoidable=False,
                    params={"name": name(pid), "locked_to": label, "group": where[pid]},
                )
            )
    return out


def _size_issues(
    groups: Mapping[str, Sequence[str]], options: Options, triples: int | None = None
) -> list[ConstraintIssue]:
    lo, hi = options.size_bounds
    closed = set(options.constraints.closed)
    n = sum(len(m) for m in groups.values())
    allowed_triples = (1 if n % 2 == 1 else 0) if triples is None else triples
    if not options.pairs:
        allowed_triples = 0
    out: list[ConstraintIssue] = []
    for label, members in groups.items():
        size = len(members)
        if label in closed:
            continue
        if options.pairs and size == 3 and allowed_triples:
            allowed_triples -= 1
            continue
        if size > hi or size < lo:
            over = size > hi
            out.append(
                ConstraintIssue(
                    kind="violation",
                    constraint="size",
                    code="size_max" if over else "size_min",
                    message=(
                        f"Group {label} has {_peers(size)}. The "
                        f"{'maximum' if over else 'minimum'} is {hi if over else lo}."
                    ),
                    peers=tuple(members),
                    groups=(label,),
                    unavoidable=False,
                    params={"group": label, "size": size, "limit": hi if over else lo},
                )
            )
    return out


def check_grouping(
    peers: Sequence[Peer], groups: Mapping[str, Sequence[str]], options: Options
) -> GroupingCheck:
    """The check before publishing ``groups`` (label -> peer ids): every violation, and a
    note per group naming the members who share no theme with the others."""
    by_id = {p.id: p for p in peers}
    issues = check_groups(peers, groups, options)
    for label, members in groups.items():
        present = [by_id[p] for p in members if p in by_id]
        lonely = theme_isolated(present) if len(present) > 1 else ()
        if lonely:
            names = [by_id[p].display_name for p in lonely]
            verb = "shares" if len(names) == 1 else "share"
            issues.append(
                ConstraintIssue(
                    kind="note",
                    constraint="isolation",
                    code="no_shared_theme",
                    message=f"In group {label}, {join_words(names)} {verb} no theme with the "
                    "others.",
                    peers=tuple(lonely),
                    groups=(label,),
                    params={"group": label, "names": names},
                )
            )
    placed = {pid for members in groups.values() for pid in members}
    unplaced = tuple(p.id for p in peers if p.id not in placed)
    return GroupingCheck(issues=tuple(issues), unplaced=unplaced)


def _signature(issue: ConstraintIssue) -> tuple[str, tuple[str, ...], frozenset[str]]:
    return (issue.code, issue.groups, frozenset(issue.peers))


def check_move(
    peers: Sequence[Peer],
    groups: Mapping[str, Sequence[str]],
    peer_id: str,
    to_group: str,
    options: Options,
    *,
    elsewhere: Mapping[str, str] | None = None,
    triples: int | None = None,
) -> GroupingCheck:
    """What moving ``peer_id`` into ``to_group`` (an existing label or a new one) would break,
    named with people, organisations and languages; only breaches the move creates are listed
    (a breach that was already there is not repeated). ``ok`` is False when the move breaks a
    constraint, so that the page asks for an explicit confirmation.

    ``groups`` need only hold the peer's group and ``to_group``, with ``elsewhere`` and
    ``triples`` as in :func:`check_groups` (where the peer's keep-together partners are, and
    whether pairs still allow a group of three here): the check then reads nothing else."""
    by_id = {p.id: p for p in peers}
    if peer_id not in by_id:
        raise ValueError(f"Peer id {peer_id!r} is not in the list of peers.")
    peer = by_id[peer_id]
    source = next((label for label, m in groups.items() if peer_id in m), "")
    after: dict[str, list[str]] = {label: list(m) for label, m in groups.items()}
    if source:
        after[source] = [p for p in after[source] if p != peer_id]
    after.setdefault(to_group, [])
    if peer_id not in after[to_group]:
        after[to_group].append(peer_id)
    touched = {source, to_group} - {""}
    before_issues = {
        _signature(i): i
        for i in check_groups(peers, groups, options, elsewhere=elsewhere, triples=triples)
        if not i.groups or set(i.groups) & touched
    }
    issues: list[ConstraintIssue] = []
    for issue in check_groups(peers, after, options, elsewhere=elsewhere, triples=triples):
        if issue.constraint == "assignment" or not set(issue.groups) & touched:
            continue
        if _signature(issue) in before_issues:
            continue
        issues.append(_move_issue(issue, peer, source, to_group, after, by_id, options))
    target = [by_id[p] for p in after[to_group] if p in by_id and p != peer_id]
    if target and peer.themes and peer_id in theme_isolated([*target, peer]):
        issues.append(
            ConstraintIssue(
                kind="note",
                constraint="isolation",
                code="move_no_shared_theme",
                message=f"{peer.display_name} would share no theme with group {to_group}.",
                peers=(peer_id,),
                groups=(to_group,),
                params={"name": peer.display_name, "group": to_group},
            )
        )
    return GroupingCheck(issues=tuple(issues), peer=peer_id, from_group=source, to_group=to_group)


def _move_issue(
    issue: ConstraintIssue,
    peer: Peer,
    source: str,
    target: str,
    after: Mapping[str, Sequence[str]],
    by_id: Mapping[str, Peer],
    options: Options,
) -> ConstraintIssue:
    """The issue re-worded as the consequence of moving ``peer``."""
    who = peer.display_name
    others = [by_id[p].display_name for p in issue.peers if p != peer.id and p in by_id]
    params = {**issue.params, "name": who, "from_group": source, "to_group": target}
    code = issue.code
    if code == "organisation_twice":
        message = (
            f"{who} would join {join_words(others)} from the same organisation, "
            f"{issue.params['organisation']}, in group {target}."
        )
    elif code == "language_none":
        group = [by_id[p] for p in after[target] if p in by_id and p != peer.id]
        common, _best, _out = common_languages(group, options.constraints.language_exempt)
        mine = join_words(language_name(v) for v in peer.languages)
        theirs = join_words(language_name(v) for v in common) or "no language all share"
        message = (
            f"{who} ({mine}) would share no working language with group {target} "
            f"(its members work in {theirs})."
        )
        params["group_languages"] = list(common)
        params["languages"] = list(peer.languages)
    elif code in ("size_max", "size_min"):
        label = issue.params["group"]
        message = (
            f"Group {label} would have {_peers(int(issue.params['size']))}. The "
            f"{'maximum' if code == 'size_max' else 'minimum'} is {issue.params['limit']}."
        )
    elif code == "country_over":
        message = (
            f"Group {target} would have {issue.params['count']} peers from "
            f"{issue.params['country']}. The limit is {issue.params['limit']}."
        )
    elif code == "keep_apart_shared":
        message = f"{who} must be kept apart from {join_words(others)}, who is in group {target}."
    elif code == "keep_together_split":
        message = f"{who} must be kept together with {join_words(others)}."
    elif code == "locked_elsewhere":
        message = f"{who} is locked to group {issue.params['locked_to']}."
    else:
        message = "After the move: " + issue.message
    return ConstraintIssue(
        kind=issue.kind,
        constraint=issue.constraint,
        code="move_" + code,
        message=message,
        peers=issue.peers,
        groups=issue.groups,
        unavoidable=False,
        params=params,
    )


def check_options(peers: Sequence[Peer], options: Options) -> ConstraintReport:
    """What the options cannot meet for these peers, found before any search (the
    "infeasible" entries and notes a run would report). Raises ValueError for duplicate or
    missing peer ids."""
    return ConstraintReport(issues=tuple(prepare(peers, options).issues))
