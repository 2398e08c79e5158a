"""Explanations in words: why the members of a group are together.

Every reason is a ``Reason(code, template, params)``; its ``text`` is one short English
sentence, so that templates can be translated later from the code. Params carry people's
display names, organisation names (``Peer.organisation_label``, never a key), theme and goal
names, and languages as ISO 639-1 codes (``languages``) with their English names beside them
(``language_names``) for the English text.

Reason codes: strategy factors (``same_role``, ``same_role_all``, ``seniority_mix``,
``seniority_same``, ``same_task``, ``same_task_all``, ``shared_context``, ``same_country``,
``shared_affiliation``), themes (``theme_shared_by_all``, ``shared_theme``,
``no_shared_theme``, ``isolated_member``), goals (``goal_shared_by_all``, ``shared_goal``),
balancing (``stage_mix``, ``stage_same``, ``influence_mix``, ``influence_same``,
``career_mix``, ``career_level_same``, ``education_mix``, ``education_same``), diversity
(``countries``, ``one_country``, ``different_organisations``, ``same_organisation``,
``same_organisation_all``), languages (``common_language``, ``common_language_partial``,
``no_common_language``, ``language_exempt_member``) and ``locked``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .features import context_keys, goal_keys, norm, theme_keys
from .languages import common_languages, language_name
from .models import Options, Peer
from .results import Explanation, Reason


def shared_themes(members: Sequence[Peer]) -> dict[str, tuple[str, ...]]:
    """Theme (as first spelled in the group) -> ids of the members who have it, for every
    theme held by two or more members; most shared first, then alphabetical."""
    holders: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for peer in members:
        for theme in peer.themes:
            key = norm(theme)
            if not key:
                continue
            shown.setdefault(key, theme)
            holders.setdefault(key, []).append(peer.id)
    keys = [k for k, ids in holders.items() if len(ids) > 1]
    keys.sort(key=lambda k: (-len(holders[k]), shown[k].casefold()))
    return {shown[k]: tuple(holders[k]) for k in keys}


def theme_isolated(members: Sequence[Peer]) -> tuple[str, ...]:
    """Ids of the members who share no theme with any other member."""
    counts: dict[str, int] = {}
    for peer in members:
        for key in theme_keys(peer):
            counts[key] = counts.get(key, 0) + 1
    return tuple(p.id for p in members if not any(counts[k] > 1 for k in theme_keys(p)))


def _groups_of(members: Sequence[Peer], value: str) -> dict[str, list[Peer]]:
    """Display value -> the members who have it (for "organisation", grouped by the key and
    shown by the organisation's name)."""
    out: dict[str, list[Peer]] = {}
    shown: dict[str, str] = {}
    for peer in members:
        if value == "organisation":
            key = norm(peer.organisation)
            if key:
                shown.setdefault(key, peer.organisation_label)
                out.setdefault(shown[key], []).append(peer)
            continue
        raw = str(getattr(peer, value))
        key = norm(raw)
        if key:
            shown.setdefault(key, raw.strip())
            out.setdefault(shown[key], []).append(peer)
    return out


def _names(peers: Sequence[Peer]) -> list[str]:
    return [p.display_name for p in peers]


def _shared_value_reasons(
    members: Sequence[Peer], field_name: str, code: str, what: str
) -> list[Reason]:
    """Reasons for a single-valued factor: all share it, or who shares which value."""
    by_value = _groups_of(members, field_name)
    out: list[Reason] = []
    for value, peers in sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold())):
        if len(peers) == len(members) and len(members) > 1:
            out.append(
                Reason(
                    code=f"{code}_all",
                    template="All members have the same " + what + ": {value}.",
                    params={"value": value},
                )
            )
        elif len(peers) > 1:
            out.append(
                Reason(
                    code=code,
                    template="{count} members have the same " + what + " ({value}): {members}.",
                    params={"count": len(peers), "value": value, "members": _names(peers)},
                )
            )
    return out


def explain_group(
    members: Sequence[Peer], options: Options, locked: Sequence[str] = ()
) -> Explanation:
    weights = options.component_weights()
    reasons: list[Reason] = []
    size = len(members)
    by_id = {p.id: p for p in members}

    # Strategy-specific factors first.
    if weights.get("role", 0.0) > 0:
        reasons.extend(_shared_value_reasons(members, "role", "same_role", "role"))
        levels = list(_groups_of(members, "seniority"))
        if len(levels) > 1:
            reasons.append(
                Reason(
                    code="seniority_mix",
                    template="The group mixes {count} seniority levels: {levels}.",
                    params={"count": len(levels), "levels": levels},
                )
            )
        elif len(levels) == 1 and size > 1:
            reasons.append(
                Reason(
                    code="seniority_same",
                    template="All members have the same seniority: {level}.",
                    params={"level": levels[0]},
                )
            )
    if weights.get("task", 0.0) > 0:
        reasons.extend(_shared_value_reasons(members, "task_area", "same_task", "task area"))
    if weights.get("context", 0.0) > 0:
        holders: dict[str, list[Peer]] = {}
        shown: dict[str, str] = {}
        for peer in members:
            for key in context_keys(peer):
                if key.startswith(("country:", "affiliation:")):
                    continue
                tag = next(t for t in peer.context if norm(t) == key)
                shown.setdefault(key, tag)
                holders.setdefault(key, []).append(peer)
        for key in sorted(holders, key=lambda k: (-len(holders[k]), shown[k].casefold())):
            if len(holders[key]) > 1:
                reasons.append(
                    Reason(
                        code="shared_context",
                        template='{count} members share the context "{context}": {members}.',
                        params={
                            "count": len(holders[key]),
                            "context": shown[key],
                            "members": _names(holders[key]),
                        },
                    )
                )
        for country, peers in _groups_of(members, "country").items():
            if len(peers) > 1:
                reasons.append(
                    Reason(
                        code="same_country",
                        template="{count} members come from {country}: {members}.",
                        params={"count": len(peers), "country": country, "members": _names(peers)},
                    )
                )

    # Problem themes: always shown, they are what makes groups learn.
    themes = shared_themes(members)
    for theme, ids in themes.items():
        if len(ids) == size:
            reasons.append(
                Reason(
                    code="theme_shared_by_all",
                    template='All {count} members share the theme "{theme}".',
                    params={"count": len(ids), "theme": theme},
                )
            )
        else:
            reasons.append(
                Reason(
                    code="shared_theme",
                    template='{count} members share the theme "{theme}": {members}.',
                    params={
                        "count": len(ids),
                        "theme": theme,
                        "members": [by_id[i].display_name for i in ids],
                    },
                )
            )
    if size > 1 and not themes:
        reasons.append(
            Reason(
                code="no_shared_theme",
                template="The members have no problem theme in common.",
            )
        )
    elif size > 1:
        for pid in theme_isolated(members):
            reasons.append(
                Reason(
                    code="isolated_member",
                    template="{member} shares no theme with the other members.",
                    params={"member": by_id[pid].display_name},
                )
            )

    reasons.extend(_goal_reasons(members))
    reasons.extend(_balance_reasons(members, options))
    reasons.extend(_diversity_reasons(members, options))
    reasons.extend(_language_reasons(members, options))
    if locked:
        reasons.append(
            Reason(
                code="locked",
                template="The facilitator locked {members} in this group.",
                params={"members": [by_id[i].display_name for i in locked if i in by_id]},
            )
        )
    return Explanation(reasons=tuple(reasons))


def _goal_reasons(members: Sequence[Peer]) -> list[Reason]:
    holders: dict[str, list[Peer]] = {}
    shown: dict[str, str] = {}
    for peer in members:
        for key in goal_keys(peer):
            shown.setdefault(key, next(g for g in peer.goals if norm(g) == key))
            holders.setdefault(key, []).append(peer)
    out = []
    for key in sorted(holders, key=lambda k: (-len(holders[k]), shown[k].casefold())):
        peers = holders[key]
        if len(peers) < 2:
            continue
        if len(peers) == len(members):
            out.append(
                Reason(
                    code="goal_shared_by_all",
                    template='All {count} members share the goal "{goal}".',
                    params={"count": len(peers), "goal": shown[key]},
                )
            )
        else:
            out.append(
                Reason(
                    code="shared_goal",
                    template='{count} members share the goal "{goal}": {members}.',
                    params={"count": len(peers), "goal": shown[key], "members": _names(peers)},
                )
            )
    return out


# Balancing factors: (plural words, singular words, sentence added when the group mixes).
FACTOR_WORDS: dict[str, tuple[str, str, str]] = {
    "stage": (
        "stages of the implementation pathway",
        "stage of the implementation pathway",
        " Those further along can help those starting.",
    ),
    "influence": (
        "degrees of influence over the reform",
        "degree of influence over the reform",
        " Those who lead can show how to move decisions; the others bring practice.",
    ),
    "career_level": ("career levels", "career level", ""),
    "education": ("education levels", "education level", ""),
}


def _balance_reasons(members: Sequence[Peer], options: Options) -> list[Reason]:
    """Stage and influence whenever members gave them; career level and education as
    before (career levels when mixed) and whenever a rule is on for them."""
    rules = options.balance_rules()
    out: list[Reason] = []
    for factor, (plural, singular, why) in FACTOR_WORDS.items():
        by_value = _groups_of(members, factor)
        given = sum(len(v) for v in by_value.values())
        if given < 2:
            continue
        rule = rules.get(factor, "")
        shown = factor in ("stage", "influence") or bool(rule) or factor == "career_level"
        if not shown:
            continue
        values = list(by_value)
        params = {
            "count": len(values),
            "values": values,
            "members": {v: _names(p) for v, p in by_value.items()},
        }
        if len(values) > 1:
            code = "career_mix" if factor == "career_level" else f"{factor}_mix"
            if factor == "career_level":
                template = "The members are at {count} career levels: {values}."
            else:
                template = "The group mixes {count} " + plural + ": {values}."
                if rule == "mix":
                    template += why
            out.append(Reason(code=code, template=template, params=params))
        elif factor != "career_level" or rule:
            out.append(
                Reason(
                    code=f"{factor}_same",
                    template="All members who gave it have the same " + singular + ": {value}.",
                    params={"value": values[0], "members": _names(by_value[values[0]])},
                )
            )
    return out


def _diversity_reasons(members: Sequence[Peer], options: Options) -> list[Reason]:
    weights = options.component_weights()
    size = len(members)
    out: list[Reason] = []
    countries = list(_groups_of(members, "country"))
    if len(countries) > 1:
        out.append(
            Reason(
                code="countries",
                template="The members come from {count} countries: {countries}.",
                params={"count": len(countries), "countries": countries},
            )
        )
    elif len(countries) == 1 and size > 1 and weights.get("context", 0.0) == 0:
        out.append(
            Reason(
                code="one_country",
                template="All members come from {country}.",
                params={"country": countries[0]},
            )
        )
    affiliations = _groups_of(members, "affiliation")
    for affiliation, peers in affiliations.items():
        if len(peers) > 1:
            out.append(
                Reason(
                    code="shared_affiliation",
                    template="{count} members belong to {affiliation}: {members}.",
                    params={
                        "count": len(peers),
                        "affiliation": affiliation,
                        "members": _names(peers),
                    },
                )
            )
    orgs = _groups_of(members, "organisation")
    if size > 1 and orgs:
        if len(orgs) == 1 and len(next(iter(orgs.values()))) == size:
            out.append(
                Reason(
                    code="same_organisation_all",
                    template="All members work for {organisation}.",
                    params={"organisation": next(iter(orgs))},
                )
            )
        elif all(len(v) == 1 for v in orgs.values()) and len(orgs) == size:
            out.append(
                Reason(
                    code="different_organisations",
                    template="Each member comes from a different organisation.",
                )
            )
        else:
            for org, peers in orgs.items():
                if len(peers) > 1:
                    out.append(
                        Reason(
                            code="same_organisation",
                            template="{members} work for the same organisation: {organisation}.",
                            params={"members": _names(peers), "organisation": org},
                        )
                    )
    if weights.get("role", 0.0) == 0:
        levels = list(_groups_of(members, "seniority"))
        if len(levels) > 1:
            out.append(
                Reason(
                    code="seniority_mix",
                    template="The group mixes {count} seniority levels: {levels}.",
                    params={"count": len(levels), "levels": levels},
                )
            )
    return out


def _language_reasons(members: Sequence[Peer], options: Options) -> list[Reason]:
    exempt = options.constraints.language_exempt if options.constraints.common_language else ()
    bound = [p for p in members if p.languages and p.id not in exempt]
    if len(bound) < 2:
        return []
    common, _best, _outsiders = common_languages(members, exempt)
    out: list[Reason] = []
    missing = [p for p in members if not p.languages]
    excused = [p for p in members if p.languages and p.id in exempt]
    params = {"languages": common, "language_names": [language_name(c) for c in common]}
    if common and not missing and not excused:
        out.append(
            Reason(
                code="common_language",
                template="All members work in {language_names}.",
                params=params,
            )
        )
    elif common:
        out.append(
            Reason(
                code="common_language_partial",
                template="{members} work in {language_names}.",
                params={**params, "members": _names(bound)},
            )
        )
    else:
        spoken = [
            f"{p.display_name} ({', '.join(language_name(v) for v in p.languages)})" for p in bound
        ]
        out.append(
            Reason(
                code="no_common_language",
                template="The members have no working language in common: {spoken}.",
                params={
                    "spoken": spoken,
                    "member_languages": {p.display_name: list(p.languages) for p in bound},
                },
            )
        )
    if excused:
        out.append(
            Reason(
                code="language_exempt_member",
                template="The common-language rule was relaxed for {members}.",
                params={"members": _names(excused)},
            )
        )
    return out
