"""Working languages: ISO 639-1 codes, their English names, and how peers' values are read.

A peer's language may be given as an ISO 639-1 code ("fr", "FR", "fr-CA", "pt_BR": the part
before "-" or "_") or as the English name of the language ("French"; a few other common names
such as "Farsi" or "Kyrgyz" too). Both are read as the code. Any other value is kept as written
and compared as text (case and spaces ignored), so two peers who both wrote "BCS" share it.

The codes and names come from ``data/languages.csv`` (all 184 ISO 639-1 codes).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol, TypeVar


class Speaker(Protocol):
    """What the language rule reads of a peer (``models.Peer`` is one)."""

    @property
    def id(self) -> str: ...

    @property
    def languages(self) -> tuple[str, ...]: ...


SpeakerT = TypeVar("SpeakerT", bound=Speaker)

DATA = Path(__file__).with_name("data") / "languages.csv"

# Other English names in common use.
OTHER_NAMES: dict[str, str] = {
    "bangla": "bn",
    "farsi": "fa",
    "kyrgyz": "ky",
    "pashto": "ps",
    "punjabi": "pa",
    "flemish": "nl",
    "moldovan": "ro",
    "castilian": "es",
    "uyghur": "ug",
    "nyanja": "ny",
    "chewa": "ny",
    "haitian creole": "ht",
    "gaelic": "gd",
    "sinhalese": "si",
    "dhivehi": "dv",
    "maldivian": "dv",
}


@cache
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> English name, lower-case name -> code)."""
    names: dict[str, str] = {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows)
        for code, name in rows:
            names[code] = name
    by_name = {name.casefold(): code for code, name in names.items()}
    by_name.update(OTHER_NAMES)
    return names, by_name


def language_names() -> dict[str, str]:
    """Every ISO 639-1 code and its English name."""
    return dict(_table()[0])


def language_code(value: str) -> str | None:
    """The ISO 639-1 code of a code, a code with a region ("pt-BR") or an English name;
    None when the value is not recognised."""
    names, by_name = _table()
    text = " ".join(str(value).split()).casefold()
    if not text:
        return None
    base = text.replace("_", "-").split("-", 1)[0]
    if len(base) == 2 and base in names:
        return base
    return by_name.get(text)


def normalise_language(value: str) -> str:
    """The code when recognised, otherwise the value as written (spaces collapsed)."""
    return language_code(value) or " ".join(str(value).split())


def language_key(value: str) -> str:
    """Comparison key: the code when recognised, otherwise the case-folded text."""
    return language_code(value) or " ".join(str(value).split()).casefold()


def language_name(value: str) -> str:
    """English name of a code (or of a recognised name); other values as written."""
    code = language_code(value)
    if code is None:
        return " ".join(str(value).split())
    return _table()[0][code]


def common_languages(
    members: Sequence[SpeakerT], exempt: Sequence[str] = ()
) -> tuple[list[str], list[str], list[SpeakerT]]:
    """(common, best, outsiders) for the members bound by the common-language rule (those who
    gave a language and are not exempt): the languages all of them work in; the language(s)
    most of them work in; and those who do not work in the first best language. With fewer
    than two bound members, every list is empty except ``common`` (their languages)."""
    skip = set(exempt)
    bound = [p for p in members if p.languages and p.id not in skip]
    shown: dict[str, str] = {}
    count: dict[str, int] = {}
    for peer in bound:
        for value in peer.languages:
            key = language_key(value)
            shown.setdefault(key, value)
            count[key] = count.get(key, 0) + 1
    if len(bound) < 2:
        return [shown[k] for k in count], [], []
    common = [shown[k] for k, c in count.items() if c == len(bound)]
    top = max(count.values())
    best = [shown[k] for k, c in count.items() if c == top]
    key = language_key(best[0])
    outsiders = [p for p in bound if key not in {language_key(v) for v in p.languages}]
    return common, best, outsiders
