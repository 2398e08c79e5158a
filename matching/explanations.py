"""Why a group's members are together, in words a peer reads: the engine's reasons with the
organisations and countries it knows by id and code named as people know them."""

from __future__ import annotations

from typing import Any

from peerlearn.countries import country_name
from peerlearn.languages import language_labels
from programmes.selectors import all_organisations

from .engine import Reason


def _organisation_names(reasons: list[dict[str, Any]]) -> dict[str, str]:
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


def readable(explanation: dict[str, Any] | None) -> str:
    """The explanation's sentences, with organisation names instead of their ids and country
    names (in the active language) instead of ISO codes."""
    reasons = list((explanation or {}).get("reasons") or [])
    if not reasons:
        return str((explanation or {}).get("text", ""))
    organisations = _organisation_names(reasons)
    sentences = []
    for reason in reasons:
        params = dict(reason.get("params") or {})
        if "organisation" in params:
            params["organisation"] = organisations.get(
                str(params["organisation"]), params["organisation"]
            )
        if "country" in params:
            params["country"] = country_name(str(params["country"]))
        if "languages" in params and "language_names" in params:
            params["language_names"] = language_labels(params["languages"])
        if "countries" in params:
            params["countries"] = [country_name(str(code)) for code in params["countries"]]
        try:
            sentences.append(
                Reason(code=reason["code"], template=reason["template"], params=params).text
            )
        except (KeyError, IndexError, ValueError):
            sentences.append(str(reason.get("text", "")))
    return " ".join(sentence for sentence in sentences if sentence)
