"""The engine's constraint issues and choices in the language of the page.

The engine writes every issue in English from a stable ``code`` and its ``params`` (names of
peers and organisations, ISO 639-1 codes of languages). The codes a facilitator meets while
reviewing and publishing are translated here from those params; any other issue keeps the
engine's English sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.countries import country_name
from peerlearn.working_languages import language_labels


def _names(values: Any) -> str:
    return str(get_text_list([str(v) for v in values or []], _("and")))


def _languages(codes: Any) -> str:
    return _names(language_labels(codes or []))


def _organisation_twice(p: Mapping[str, Any]) -> str:
    return _("Group %(group)s has %(count)s peers from %(organisation)s: %(names)s.") % {
        "group": p["group"],
        "count": len(p["names"]),
        "organisation": p["organisation"],
        "names": _names(p["names"]),
    }


def _move_organisation_twice(p: Mapping[str, Any]) -> str:
    others = [n for n in p["names"] if n != p["name"]]
    return _(
        "%(name)s would join %(others)s from the same organisation, %(organisation)s, in "
        "group %(group)s."
    ) % {
        "name": p["name"],
        "others": _names(others),
        "organisation": p["organisation"],
        "group": p["to_group"],
    }


def _language_none(p: Mapping[str, Any]) -> str:
    spoken = "; ".join(
        f"{name} ({_languages(codes)})" for name, codes in dict(p.get("members") or {}).items()
    )
    return _("Group %(group)s shares no working language: %(spoken)s.") % {
        "group": p["group"],
        "spoken": spoken,
    }


def _move_language_none(p: Mapping[str, Any]) -> str:
    common = p.get("group_languages") or []
    if common:
        return _(
            "%(name)s (%(languages)s) would share no working language with group %(group)s "
            "(its members work in %(common)s)."
        ) % {
            "name": p["name"],
            "languages": _languages(p.get("languages")),
            "group": p["to_group"],
            "common": _languages(common),
        }
    return _("%(name)s (%(languages)s) would share no working language with group %(group)s.") % {
        "name": p["name"],
        "languages": _languages(p.get("languages")),
        "group": p["to_group"],
    }


def _size(p: Mapping[str, Any], *, over: bool, future: bool) -> str:
    size = int(p["size"])
    if future:
        text = ngettext(
            "Group %(group)s would have %(size)s peer.",
            "Group %(group)s would have %(size)s peers.",
            size,
        )
    else:
        text = ngettext(
            "Group %(group)s has %(size)s peer.", "Group %(group)s has %(size)s peers.", size
        )
    limit = (
        _("The largest allowed is %(limit)s.") if over else _("The smallest allowed is %(limit)s.")
    )
    return f"{text % {'group': p['group'], 'size': size}} {limit % {'limit': p['limit']}}"


def _country_over(p: Mapping[str, Any]) -> str:
    return _(
        "Group %(group)s has %(count)s peers from one country (%(names)s); the limit is %(limit)s."
    ) % {
        "group": p["group"],
        "count": p["count"],
        "names": _names(p.get("names")),
        "limit": p["limit"],
    }


def _no_group(p: Mapping[str, Any]) -> str:
    names = list(p.get("names") or [])
    return ngettext("%(names)s is in no group.", "%(names)s are in no group.", len(names)) % {
        "names": _names(names)
    }


def _keep_apart(p: Mapping[str, Any]) -> str:
    return _("%(names)s must be kept apart, but both are in group %(group)s.") % {
        "names": _names(p.get("names")),
        "group": p.get("group", ""),
    }


def _no_shared_theme(p: Mapping[str, Any]) -> str:
    names = list(p.get("names") or [])
    return ngettext(
        "In group %(group)s, %(names)s shares no theme with the others.",
        "In group %(group)s, %(names)s share no theme with the others.",
        len(names),
    ) % {"group": p["group"], "names": _names(names)}


def _move_no_shared_theme(p: Mapping[str, Any]) -> str:
    return _("%(name)s would share no theme with group %(group)s.") % {
        "name": p["name"],
        "group": p["group"],
    }


def _move_country_over(p: Mapping[str, Any]) -> str:
    return _(
        "Group %(group)s would have %(count)s peers from %(country)s (%(names)s); the limit is "
        "%(limit)s."
    ) % {
        "group": p["to_group"],
        "count": p["count"],
        "country": country_name(p["country"]) or p["country"],
        "names": _names(p.get("names")),
        "limit": p["limit"],
    }


def _others(p: Mapping[str, Any]) -> str:
    return _names([n for n in p.get("names") or [] if n != p["name"]])


def _move_keep_apart(p: Mapping[str, Any]) -> str:
    return _("%(name)s must be kept apart from %(others)s, who is in group %(group)s.") % {
        "name": p["name"],
        "others": _others(p),
        "group": p["to_group"],
    }


def _keep_together(p: Mapping[str, Any]) -> str:
    return _("%(names)s must be kept together, but are in groups %(groups)s.") % {
        "names": _names(p.get("names")),
        "groups": _names(p.get("groups")),
    }


def _move_keep_together(p: Mapping[str, Any]) -> str:
    return _("%(name)s must be kept together with %(others)s.") % {
        "name": p["name"],
        "others": _others(p),
    }


def _locked(p: Mapping[str, Any], *, future: bool) -> str:
    if future:
        return _("%(name)s is locked to group %(locked)s.") % {
            "name": p["name"],
            "locked": p["locked_to"],
        }
    return _("%(name)s is locked to group %(locked)s but is in group %(group)s.") % {
        "name": p["name"],
        "locked": p["locked_to"],
        "group": p["group"],
    }


ISSUES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "organisation_twice": _organisation_twice,
    "move_organisation_twice": _move_organisation_twice,
    "language_none": _language_none,
    "move_language_none": _move_language_none,
    "size_min": lambda p: _size(p, over=False, future=False),
    "size_max": lambda p: _size(p, over=True, future=False),
    "move_size_min": lambda p: _size(p, over=False, future=True),
    "move_size_max": lambda p: _size(p, over=True, future=True),
    "country_over": _country_over,
    "no_group": _no_group,
    "keep_apart_shared": _keep_apart,
    "no_shared_theme": _no_shared_theme,
    "move_no_shared_theme": _move_no_shared_theme,
    "move_country_over": _move_country_over,
    "move_keep_apart_shared": _move_keep_apart,
    "keep_together_split": _keep_together,
    "move_keep_together_split": _move_keep_together,
    "locked_elsewhere": lambda p: _locked(p, future=False),
    "move_locked_elsewhere": lambda p: _locked(p, future=True),
}

CHOICES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "language_turn_off": lambda p: _("Turn the common-language rule off for this run."),
    "language_exempt": lambda p: (
        _("Relax the common-language rule for %(names)s only.") % {"names": _names(p.get("names"))}
    ),
    "allow_larger": lambda p: _("Allow groups of up to %(size)s peers.") % {"size": p["max_size"]},
    "allow_smaller": lambda p: _("Allow groups of %(size)s peers.") % {"size": p["min_size"]},
    "language_pairs": lambda p: (
        _("Pair them with other peers who work in %(language)s.")
        % {"language": _languages([p["language"]])}
    ),
}


def readable_issue(issue: Mapping[str, Any]) -> str:
    """An issue of the report (``ConstraintIssue.to_dict()``) in the page's language."""
    render = ISSUES.get(str(issue.get("code", "")))
    if render is not None:
        try:
            return render(dict(issue.get("params") or {}))
        except (KeyError, TypeError, ValueError):
            pass
    return str(issue.get("message", ""))


def readable_choice(choice: Mapping[str, Any]) -> str:
    render = CHOICES.get(str(choice.get("code", "")))
    if render is not None:
        try:
            return render(dict(choice.get("params") or {}))
        except (KeyError, TypeError, ValueError):
            pass
    return str(choice.get("message", ""))
