"""Why a group's members are together, in words a peer reads, in the page's language.

The engine (standard-library Python) writes each reason as a stable ``code``, an English
``template`` and its ``params``; here the template is looked up in the catalogue and filled with
organisations and countries named as people know them (the engine knows them by id and code),
languages named in the page's language and lists joined with the language's "and". The
strategy warnings the engine gives are translated the same way, by their English text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peerlearn.countries import country_name, language_name
from programmes.selectors import all_organisations

from .engine import CONTEXT_WARNING, ROLE_NOTE, TASK_WARNING

# Every template the engine writes (matching/engine/explain.py and replacement.py), by its
# English text: the catalogue translates the sentence as a whole.
TEMPLATES: dict[str, Promise] = {
    "All members have the same role: {value}.": _("All members have the same role: {value}."),
    "{count} members have the same role ({value}): {members}.": _(
        "{count} members have the same role ({value}): {members}."
    ),
    "All members have the same task area: {value}.": _(
        "All members have the same task area: {value}."
    ),
    "{count} members have the same task area ({value}): {members}.": _(
        "{count} members have the same task area ({value}): {members}."
    ),
    "The group mixes {count} seniority levels: {levels}.": _(
        "The group mixes {count} seniority levels: {levels}."
    ),
    "All members have the same seniority: {level}.": _(
        "All members have the same seniority: {level}."
    ),
    '{count} members share the context "{context}": {members}.': _(
        '{count} members share the context "{context}": {members}.'
    ),
    "{count} members come from {country}: {members}.": _(
        "{count} members come from {country}: {members}."
    ),
    'All {count} members share the theme "{theme}".': _(
        'All {count} members share the theme "{theme}".'
    ),
    '{count} members share the theme "{theme}": {members}.': _(
        '{count} members share the theme "{theme}": {members}.'
    ),
    "The members have no problem theme in common.": _(
        "The members have no problem theme in common."
    ),
    "{member} shares no theme with the other members.": _(
        "{member} shares no theme with the other members."
    ),
    "The facilitator locked {members} in this group.": _(
        "The facilitator locked {members} in this group."
    ),
    'All {count} members share the goal "{goal}".': _(
        'All {count} members share the goal "{goal}".'
    ),
    '{count} members share the goal "{goal}": {members}.': _(
        '{count} members share the goal "{goal}": {members}.'
    ),
    "The members are at {count} career levels: {values}.": _(
        "The members are at {count} career levels: {values}."
    ),
    "The group mixes {count} stages of the implementation pathway: {values}.": _(
        "The group mixes {count} stages of the implementation pathway: {values}."
    ),
    "The group mixes {count} stages of the implementation pathway: {values}. Those further "
    "along can help those starting.": _(
        "The group mixes {count} stages of the implementation pathway: {values}. Those further "
        "along can help those starting."
    ),
    "The group mixes {count} degrees of influence over the reform: {values}.": _(
        "The group mixes {count} degrees of influence over the reform: {values}."
    ),
    "The group mixes {count} degrees of influence over the reform: {values}. Those who lead "
    "can show how to move decisions; the others bring practice.": _(
        "The group mixes {count} degrees of influence over the reform: {values}. Those who lead "
        "can show how to move decisions; the others bring practice."
    ),
    "The group mixes {count} career levels: {values}.": _(
        "The group mixes {count} career levels: {values}."
    ),
    "The group mixes {count} education levels: {values}.": _(
        "The group mixes {count} education levels: {values}."
    ),
    "All members who gave it have the same stage of the implementation pathway: {value}.": _(
        "All members who gave it have the same stage of the implementation pathway: {value}."
    ),
    "All members who gave it have the same degree of influence over the reform: {value}.": _(
        "All members who gave it have the same degree of influence over the reform: {value}."
    ),
    "All members who gave it have the same career level: {value}.": _(
        "All members who gave it have the same career level: {value}."
    ),
    "All members who gave it have the same education level: {value}.": _(
        "All members who gave it have the same education level: {value}."
    ),
    "The members come from {count} countries: {countries}.": _(
        "The members come from {count} countries: {countries}."
    ),
    "All members come from {country}.": _("All members come from {country}."),
    "{count} members belong to {affiliation}: {members}.": _(
        "{count} members belong to {affiliation}: {members}."
    ),
    "All members work for {organisation}.": _("All members work for {organisation}."),
    "Each member comes from a different organisation.": _(
        "Each member comes from a different organisation."
    ),
    "{members} work for the same organisation: {organisation}.": _(
        "{members} work for the same organisation: {organisation}."
    ),
    "All members work in {language_names}.": _("All members work in {language_names}."),
    "{members} work in {language_names}.": _("{members} work in {language_names}."),
    "The members have no working language in common: {spoken}.": _(
        "The members have no working language in common: {spoken}."
    ),
    "The common-language rule was relaxed for {members}.": _(
        "The common-language rule was relaxed for {members}."
    ),
    'Shares the theme "{theme}" with {members}.': _('Shares the theme "{theme}" with {members}.'),
    "Shares no theme with the group.": _("Shares no theme with the group."),
    "Has {count} of the themes of {leaving}: {themes}.": _(
        "Has {count} of the themes of {leaving}: {themes}."
    ),
    "Has the same role as {members}.": _("Has the same role as {members}."),
    "Has the same task area as {members}.": _("Has the same task area as {members}."),
    "Works in {language_names}, like the group.": _("Works in {language_names}, like the group."),
}

WARNINGS: dict[str, Promise] = {
    TASK_WARNING: _(
        "Matching by task or policy area was the least effective strategy when it was tried "
        "with 55 peers from over 30 countries in ten groups. "
        "Peers in task groups got stuck on their own experiences. "
        "They found little common ground and their discussions were often divisive. "
        "Matching by shared problem worked best."
    ),
    CONTEXT_WARNING: _(
        "Matching by country or region context is an untested hypothesis: "
        "it has not been tried with groups of peers yet. "
        "Peers from similar contexts may face similar problems. "
        "Groups may still need common problems to learn well."
    ),
    ROLE_NOTE: _(
        "Groups matched by formal role have learned well through vertical mentoring. "
        "They learned best when members also shared problems. "
        "Consider a hybrid with the problem strategy."
    ),
}


def warning_text(text: str) -> str:
    """A strategy warning of the engine in the page's language."""
    translated = WARNINGS.get(text)
    return str(translated) if translated is not None else text


def join_words(items: Iterable[Any]) -> str:
    """ "A, B and C" in the page's language."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return gettext("%(items)s and %(last)s") % {
        "items": gettext(", ").join(words[:-1]),
        "last": words[-1],
    }


def _organisation_names(reasons: Iterable[dict[str, Any]]) -> dict[str, str]:
    ids = {
        str(reason.get("params", {}).get("organisation", ""))
        for reason in reasons
        if reason.get("params", {}).get("organisation")
    }
    numeric = [int(value) for value in ids if value.isdigit()]
    if not numeric:
        return {}
    return {
        str(pk): name
        for pk, name in all_organisations().filter(pk__in=numeric).values_list("pk", "name")
    }


def _named(params: dict[str, Any], organisations: dict[str, str]) -> dict[str, Any]:
    """The params with names people know, in the page's language."""
    if "organisation" in params:
        params["organisation"] = organisations.get(
            str(params["organisation"]), params["organisation"]
        )
    if "country" in params:
        params["country"] = country_name(str(params["country"]))
    if "countries" in params:
        params["countries"] = [country_name(str(code)) for code in params["countries"]]
    if "languages" in params and "language_names" in params:
        params["language_names"] = [language_name(str(code)) for code in params["languages"]]
    if "member_languages" in params and "spoken" in params:
        params["spoken"] = [
            f"{name} ({', '.join(language_name(str(code)) for code in codes)})"
            for name, codes in params["member_languages"].items()
        ]
    return {
        key: join_words(value) if isinstance(value, (list, tuple)) else value
        for key, value in params.items()
    }


def reason_text(reason: dict[str, Any], organisations: dict[str, str] | None = None) -> str:
    """One reason of the engine as a sentence in the page's language."""
    params = _named(dict(reason.get("params") or {}), organisations or {})
    template = str(reason.get("template", ""))
    translated = TEMPLATES.get(template)
    try:
        return (str(translated) if translated is not None else template).format(**params)
    except (KeyError, IndexError, ValueError):
        return str(reason.get("text", ""))


def _reasons(explanation: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((explanation or {}).get("reasons") or [])


def readable(
    explanation: dict[str, Any] | None, organisations: dict[str, str] | None = None
) -> str:
    """The explanation's sentences, with organisation names instead of their ids and country
    and language names (in the active language) instead of ISO codes. ``organisations`` are
    the names already read (see :func:`readable_many`); else they are read here."""
    reasons = _reasons(explanation)
    if not reasons:
        return str((explanation or {}).get("text", ""))
    if organisations is None:
        organisations = _organisation_names(reasons)
    sentences = [reason_text(reason, organisations) for reason in reasons]
    return " ".join(sentence for sentence in sentences if sentence)


def readable_many(explanations: Iterable[dict[str, Any] | None]) -> list[str]:
    """:func:`readable` of each explanation, the organisations of all of them read in one
    query (a page of groups costs the same whatever the number of groups)."""
    given = list(explanations)
    organisations = _organisation_names(
        reason for explanation in given for reason in _reasons(explanation)
    )
    return [readable(explanation, organisations) for explanation in given]
