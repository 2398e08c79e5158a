"""The common-language rule: which peers it constrains, and what cannot be met, with choices.

A peer is constrained when the rule is on, the peer gave at least one language and is not in
``Constraints.language_exempt``. Peers who gave no language are not constrained: they are
placed as if they could work in any language, and a note names them. Peers locked to a closed
group are left out of the analysis (their group is fixed).

Before the search, these necessary conditions are checked (``capacity(l)`` is the number of
constrained peers who work in language l plus the unconstrained peers, who can join any group):

1. Too few speakers: a peer none of whose languages has a capacity of at least the minimum
   group size (a lone speaker is the extreme case) cannot be in a group that shares a language.
2. Cannot fill: the peers who work only in language l need ``ceil(m_l / max)`` groups, which
   need ``ceil(m_l / max) * min`` peers who work in l.
3. Community size: peers connected through shared languages form a community; a group's
   constrained members all come from one community, so a community of s peers needs
   ``ceil(s / max)`` groups of at least ``min`` (unconstrained peers may fill the gap).

Each failure is an "infeasible" issue naming the peers and the language, with the choices a
run page can offer (their own smaller or larger group, pairs, relaxing the rule for them,
turning it off). The fewest groups the communities need is passed on to the group count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..choices import exempt_language, size_choices, turn_off_language
from ..features import norm
from ..languages import language_key, language_name
from ..results import Choice, ConstraintIssue, join_words
from .problem import Context


@dataclass
class LanguagePlan:
    lang: list[tuple[int, ...]]  # per peer: language ids when constrained, () otherwise
    codes: list[str]  # language id -> code (or the text as written)
    use: bool  # at least two constrained peers
    min_groups: int = 0  # fewest groups the language communities need
    stuck: set[int] = field(default_factory=set)  # peers reported as unplaceable


def _names(ctx: Context, ps: list[int]) -> str:
    return join_words(ctx.peers[p].display_name for p in ps)


def _lang_words(codes: list[str]) -> str:
    return join_words(language_name(c) for c in codes)


def turn_off_choice() -> Choice:
    return turn_off_language()


def exempt_choice(ctx: Context, ps: list[int]) -> Choice:
    return exempt_language(ctx.ids(ps), [ctx.name(p) for p in ps])


def own_group_choices(
    ctx: Context, ps: list[int], label: str, who: str, params: dict[str, object]
) -> list[Choice]:
    """One group of ``ps`` (a smaller or larger group), and, when the peers are more than a
    group can hold, the fewest groups of at most the maximum size. ``who`` describes them."""
    _lo, hi = ctx.options.size_bounds
    out = [
        Choice(
            kind="own_group",
            code="language_own_group",
            message=f"Put {who} in a group of their own: {_names(ctx, ps)}.",
            peers=ctx.ids(ps),
            params={**params, "size": len(ps)},
            changes={"locked": dict.fromkeys(ctx.ids(ps), label), "closed": [label]},
        )
    ]
    if len(ps) > hi and not ctx.options.pairs:
        k = math.ceil(len(ps) / hi)
        labels = [f"{label} {i + 1}" for i in range(k)]
        locked = {ctx.peers[p].id: labels[i % k] for i, p in enumerate(ps)}
        out.append(
            Choice(
                kind="own_group",
                code="language_own_groups",
                message=f"Put {who} in {k} groups of their own.",
                peers=ctx.ids(ps),
                params={**params, "size": len(ps), "groups": k},
                changes={"locked": locked, "closed": labels},
            )
        )
    return out


def pairs_choice(ctx: Context, stuck: list[int], partners: list[int], code: str) -> Choice | None:
    """Pair each stuck peer with another speaker of ``code`` (stuck peers first, then the
    others); an odd one out joins the last pair."""
    pool = [p for p in stuck] + [p for p in partners if p not in stuck]
    if len(pool) < 2:
        return None
    chosen = pool[: max(2, len(stuck) + len(stuck) % 2)]
    if len(chosen) % 2 and len(chosen) < len(pool):
        chosen = pool[: len(chosen) + 1]
    name = language_name(code)
    locked: dict[str, str] = {}
    labels: list[str] = []
    for k in range(len(chosen) // 2):
        labels.append(f"{name} pair {k + 1}")
        for p in chosen[2 * k : 2 * k + 2]:
            locked[ctx.peers[p].id] = labels[-1]
    if len(chosen) % 2:
        locked[ctx.peers[chosen[-1]].id] = labels[-1]
    return Choice(
        kind="pairs",
        code="language_pairs",
        message=f"Pair {_names(ctx, stuck)} with other peers who work in {name}.",
        peers=ctx.ids(chosen),
        params={"language": code, "language_name": name, "pairs": len(labels)},
        changes={"locked": locked, "closed": labels},
    )


def constrained_languages(ctx: Context, closed_peers: set[int]) -> LanguagePlan:
    """Language ids of the constrained peers, and notes naming the peers left out."""
    cons = ctx.options.constraints
    n = ctx.n
    if not cons.common_language or not any(p.languages for p in ctx.peers):
        return LanguagePlan(lang=[()] * n, codes=[], use=False)
    exempt = set(cons.language_exempt)
    ids: dict[str, int] = {}
    codes: list[str] = []
    lang: list[tuple[int, ...]] = []
    missing: list[int] = []
    excused: list[int] = []
    for p, peer in enumerate(ctx.peers):
        if peer.id in exempt:
            excused.append(p)
            lang.append(())
            continue
        if not peer.languages:
            missing.append(p)
            lang.append(())
            continue
        mine: list[int] = []
        for value in peer.languages:
            key = language_key(value)
            if key not in ids:
                ids[key] = len(codes)
                codes.append(value)
            if ids[key] not in mine:
                mine.append(ids[key])
        lang.append(tuple(mine))
    # A language no other constrained peer works in cannot be shared: it is dropped, unless
    # it is all the peer has (a lone speaker, reported by ``analyse``).
    speakers = [0] * len(codes)
    for mine_ in lang:
        for x in mine_:
            speakers[x] += 1
    lang = [
        tuple(x for x in mine_ if speakers[x] > 1) or mine_ if mine_ else mine_ for mine_ in lang
    ]
    for pid in cons.language_exempt:
        if pid not in ctx.index:
            ctx.note_unknown(pid, "common-language exemptions")
    if missing:
        ctx.issues.append(
            ConstraintIssue(
                kind="note",
                constraint="language",
                code="language_missing",
                message=f"{_names(ctx, missing)} gave no working language. They were placed "
                "as if they could work in any language.",
                peers=ctx.ids(missing),
                params={"names": [ctx.name(p) for p in missing]},
            )
        )
    if excused:
        ctx.issues.append(
            ConstraintIssue(
                kind="note",
                constraint="language",
                code="language_exempted",
                message=f"The common-language rule was relaxed for {_names(ctx, excused)}.",
                peers=ctx.ids(excused),
                params={"names": [ctx.name(p) for p in excused]},
            )
        )
    use = sum(1 for p in range(n) if lang[p] and p not in closed_peers) > 1
    return LanguagePlan(lang=lang, codes=codes, use=use)


def units_without_language(
    ctx: Context, plan: LanguagePlan, units: list[tuple[int, ...]], unit_lock: list[int]
) -> None:
    """Keep-together sets and locked groups whose constrained members share no language."""
    if not plan.use:
        return
    for u, unit in enumerate(units):
        spoken = [set(plan.lang[p]) for p in unit if plan.lang[p]]
        if len(spoken) < 2 or set.intersection(*spoken):
            continue
        ps = [p for p in unit if plan.lang[p]]
        why = "locked to the same group" if unit_lock[u] >= 0 else "kept together"
        ctx.issues.append(
            ConstraintIssue(
                kind="infeasible",
                constraint="language",
                code="language_in_unit",
                message=f"{_names(ctx, ps)} are {why} but share no working language. They were "
                "kept together.",
                peers=ctx.ids(ps),
                params={
                    "names": [ctx.name(p) for p in ps],
                    "languages": {ctx.name(p): [plan.codes[x] for x in plan.lang[p]] for p in ps},
                },
                choices=(exempt_choice(ctx, ps), turn_off_choice()),
            )
        )


def _communities(plan: LanguagePlan, peers: list[int]) -> list[list[int]]:
    """Peers connected through shared languages (union-find over languages)."""
    parent = list(range(len(plan.codes)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for p in peers:
        first = plan.lang[p][0]
        for other in plan.lang[p][1:]:
            ra, rb = find(first), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for p in peers:
        groups.setdefault(find(plan.lang[p][0]), []).append(p)
    return list(groups.values())


def analyse(ctx: Context, plan: LanguagePlan, closed_peers: set[int]) -> None:
    """Report what the common-language rule cannot meet, and set ``plan.min_groups``."""
    if not plan.use:
        return
    options = ctx.options
    lo, hi = (2, 3) if options.pairs else options.size_bounds
    free = [p for p in range(ctx.n) if p not in closed_peers]
    constrained = [p for p in free if plan.lang[p]]
    fillers = len(free) - len(constrained)
    speakers: dict[int, list[int]] = {}
    for p in constrained:
        for x in plan.lang[p]:
            speakers.setdefault(x, []).append(p)

    # 1. Too few speakers.
    stuck_by_lang: dict[int, list[int]] = {}
    for p in constrained:
        best = max(plan.lang[p], key=lambda x: (len(speakers[x]), -x))
        if len(speakers[best]) + fillers < lo:
            stuck_by_lang.setdefault(best, []).append(p)
    for x, stuck in stuck_by_lang.items():
        code = plan.codes[x]
        name = language_name(code)
        others = [q for q in speakers[x] if q not in stuck]
        if len(speakers[x]) == 1:
            p = stuck[0]
            own = [language_name(plan.codes[y]) for y in plan.lang[p]]
            message = (
                f"{ctx.name(p)} is the only peer who works in {join_words(own)}. No group can "
                "share a working language with them."
            )
            issue_code = "language_alone"
        else:
            message = (
                f"Only {len(speakers[x])} peers work in {name} ({_names(ctx, speakers[x])}), "
                f"fewer than the minimum group size of {lo}, and {_names(ctx, stuck)} "
                "share no other language with enough peers."
            )
            issue_code = "language_too_few"
        choices: list[Choice] = []
        if len(speakers[x]) >= 2:
            choices.extend(
                own_group_choices(
                    ctx,
                    speakers[x],
                    f"{name} group",
                    f"the {len(speakers[x])} peers who work in {name}",
                    {"language": code, "language_name": name},
                )
            )
            pair = pairs_choice(ctx, stuck, others, code)
            if pair is not None:
                choices.append(pair)
        choices += [exempt_choice(ctx, stuck), turn_off_choice()]
        ctx.issues.append(
            ConstraintIssue(
                kind="infeasible",
                constraint="language",
                code=issue_code,
                message=message,
                peers=ctx.ids(stuck),
                params={
                    "names": [ctx.name(p) for p in stuck],
                    "language": code,
                    "language_name": name,
                    "speakers": len(speakers[x]),
                    "min_size": lo,
                },
                choices=tuple(choices),
            )
        )
        plan.stuck.update(stuck)

    # 2. Peers who work in one language only, too many to fill their groups.
    placeable = [p for p in constrained if p not in plan.stuck]
    only: dict[int, list[int]] = {}
    for p in placeable:
        if len(plan.lang[p]) == 1:
            only.setdefault(plan.lang[p][0], []).append(p)
    mono_groups = 0
    for x, mono in only.items():
        need = math.ceil(len(mono) / hi)
        mono_groups += need
        capacity = sum(1 for q in speakers[x] if q not in plan.stuck) + fillers
        if need * lo <= capacity:
            continue
        code = plan.codes[x]
        name = language_name(code)
        all_speakers = [q for q in speakers[x] if q not in plan.stuck]
        ctx.issues.append(
            ConstraintIssue(
                kind="infeasible",
                constraint="language",
                code="language_cannot_fill",
                message=(
                    f"{len(mono)} peers work only in {name}, so they need {need} groups, and "
                    f"{need} groups of at least {lo} need {need * lo} peers who work in "
                    f"{name}; only {len(all_speakers)} do: {_names(ctx, all_speakers)}."
                ),
                peers=ctx.ids(mono),
                params={
                    "names": [ctx.name(p) for p in mono],
                    "language": code,
                    "language_name": name,
                    "only": len(mono),
                    "groups": need,
                    "speakers": len(all_speakers),
                    "min_size": lo,
                },
                choices=(
                    *own_group_choices(
                        ctx,
                        all_speakers,
                        f"{name} group",
                        f"the {len(all_speakers)} peers who work in {name}",
                        {"language": code, "language_name": name},
                    ),
                    exempt_choice(ctx, mono),
                    turn_off_choice(),
                    *size_choices(options),
                ),
            )
        )
        plan.stuck.update(mono)

    # 3. Language communities that cannot be split into groups.
    communities = _communities(plan, placeable)
    community_groups = 0
    deficits: list[tuple[list[int], int]] = []
    for members in communities:
        need = math.ceil(len(members) / hi)
        community_groups += need
        deficit = need * lo - len(members)
        if deficit > 0 and len(communities) > 1:
            deficits.append((members, deficit))
    if sum(d for _m, d in deficits) > fillers:
        for members, _deficit in deficits:
            left = [p for p in members if p not in plan.stuck]
            if not left:
                continue
            codes = sorted({plan.codes[x] for p in members for x in plan.lang[p]})
            ctx.issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="language",
                    code="language_community_size",
                    message=(
                        f"The {len(members)} peers who work in {_lang_words(codes)} share no "
                        f"working language with the other peers, and {len(members)} peers "
                        f"cannot be split into groups of {lo} to {hi}: {_names(ctx, members)}."
                    ),
                    peers=ctx.ids(left),
                    params={
                        "names": [ctx.name(p) for p in members],
                        "languages": codes,
                        "language_names": [language_name(c) for c in codes],
                        "count": len(members),
                        "min_size": lo,
                        "max_size": hi,
                    },
                    choices=(
                        *own_group_choices(
                            ctx,
                            members,
                            f"{language_name(codes[0])} group",
                            f"the {len(members)} peers who work in {_lang_words(codes)}",
                            {"languages": codes},
                        ),
                        exempt_choice(ctx, left),
                        turn_off_choice(),
                        *size_choices(options),
                    ),
                )
            )
            plan.stuck.update(left)
    plan.min_groups = max(mono_groups, community_groups)
    _organisations_in_one_language(ctx, plan, only, speakers, fillers, lo)


def _organisations_in_one_language(
    ctx: Context,
    plan: LanguagePlan,
    only: dict[int, list[int]],
    speakers: dict[int, list[int]],
    fillers: int,
    lo: int,
) -> None:
    """4. Peers of one organisation who work only in language l need as many groups working
    in l as there are of them (one per organisation), but the peers who work in l can form
    at most ``(speakers + unconstrained) // min`` groups."""
    if not ctx.options.constraints.one_per_organisation:
        return
    for x, mono in only.items():
        left = [p for p in mono if p not in plan.stuck]
        most = (sum(1 for q in speakers[x] if q not in plan.stuck) + fillers) // lo
        by_org: dict[str, list[int]] = {}
        for p in left:
            key = norm(ctx.peers[p].organisation)
            if key:
                by_org.setdefault(key, []).append(p)
        for same in by_org.values():
            if len(same) <= most:
                continue
            code = plan.codes[x]
            name = language_name(code)
            organisation = ctx.peers[same[0]].organisation_label
            extra = same[most:]
            ctx.issues.append(
                ConstraintIssue(
                    kind="infeasible",
                    constraint="language",
                    code="language_organisation",
                    message=(
                        f"{_names(ctx, same)} work only in {name} and all work for "
                        f"{organisation}, but the peers who work in {name} can form at most "
                        f"{most} {'group' if most == 1 else 'groups'}: either two of them share "
                        "a group or one joins a group in another language."
                    ),
                    peers=ctx.ids(same),
                    params={
                        "names": [ctx.name(p) for p in same],
                        "organisation": organisation,
                        "language": code,
                        "language_name": name,
                        "groups": most,
                        "constraints": ["language", "organisation"],
                    },
                    choices=(
                        exempt_choice(ctx, extra),
                        Choice(
                            kind="turn_off",
                            code="organisation_turn_off",
                            message="Allow two peers of one organisation in a group.",
                            changes={"one_per_organisation": False},
                        ),
                        turn_off_choice(),
                    ),
                )
            )
            plan.stuck.update(extra)
