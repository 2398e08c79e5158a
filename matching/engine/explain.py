"""Explanations in words: why the members of a group are together.

Every reason is a ``Reason(code, template, params)``; its ``text`` is one short English
sentence, so that templates can be translated later from the code.
"""

from __future__ import annotations

from collections.abc import Sequence

from .features import context_keys, norm, theme_keys
from .models import Explanation, Options, Peer, Reason


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
    out: dict[str, list[Peer]] = {}
    shown: dict[str, str] = {}
    for peer in members:
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
                if key.startswith("country:"):
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

    # Diversity.
    countries = list(_groups_of(members, "country"))
    if len(countries) > 1:
        reasons.append(
            Reason(
                code="countries",
                template="The members come from {count} countries: {countries}.",
                params={"count": len(countries), "countries": countries},
            )
        )
    elif len(countries) == 1 and size > 1 and weights.get("context", 0.0) == 0:
        reasons.append(
            Reason(
                code="one_country",
                template="All members come from {country}.",
                params={"country": countries[0]},
            )
        )
    orgs = _groups_of(members, "organisation")
    if size > 1 and orgs:
        if all(len(v) == 1 for v in orgs.values()) and len(orgs) == size:
            reasons.append(
                Reason(
                    code="different_organisations",
                    template="Each member comes from a different organisation.",
                )
            )
        else:
            for org, peers in orgs.items():
                if len(peers) > 1:
                    reasons.append(
                        Reason(
                            code="same_organisation",
                            template="{members} work for the same organisation: {organisation}.",
                            params={"members": _names(peers), "organisation": org},
                        )
                    )
    if weights.get("role", 0.0) == 0:
        levels = list(_groups_of(members, "seniority"))
        if len(levels) > 1:
            reasons.append(
                Reason(
                    code="seniority_mix",
                    template="The group mixes {count} seniority levels: {levels}.",
                    params={"count": len(levels), "levels": levels},
                )
            )
    careers = list(_groups_of(members, "career_level"))
    if len(careers) > 1:
        reasons.append(
            Reason(
                code="career_mix",
                template="The members are at {count} career levels: {levels}.",
                params={"count": len(careers), "levels": careers},
            )
        )
    if size > 1 and all(p.languages for p in members):
        common: list[str] = []
        first = members[0]
        for lang in first.languages:
            if all(any(norm(lang) == norm(x) for x in p.languages) for p in members[1:]):
                common.append(lang)
        if common:
            reasons.append(
                Reason(
                    code="common_language",
                    template="All members speak {languages}.",
                    params={"languages": common},
                )
            )
        else:
            reasons.append(
                Reason(
                    code="no_common_language",
                    template="The members have no language in common.",
                )
            )
    if locked:
        reasons.append(
            Reason(
                code="locked",
                template="The facilitator locked {members} in this group.",
                params={"members": [by_id[i].display_name for i in locked if i in by_id]},
            )
        )
    return Explanation(reasons=tuple(reasons))
