"""Working languages as people read them: ISO 639-1 codes named in the language of the page."""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import lru_cache

import pycountry
from django.utils.translation import get_language


@lru_cache(maxsize=32)
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@lru_cache(maxsize=1)
def _english() -> dict[str, str]:
    return {
        str(language.alpha_2): str(language.name)
        for language in pycountry.languages
        if getattr(language, "alpha_2", None)
    }


def is_language_code(code: str) -> bool:
    return code in _english()


def language_label(code: str) -> str:
    """The language's name in the active language (``"fr"`` → ``"French"``, ``"Français"``);
    a value that is not an ISO 639-1 code is shown as written."""
    english = _english().get(str(code).strip().lower())
    if english is None:
        return str(code)
    active = (get_language() or "en").replace("-", "_")
    return _catalogue(active).gettext(english)


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def language_labels(codes: Iterable[str]) -> list[str]:
    return [language_label(code) for code in codes]


def language_choices(first: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Every ISO 639-1 code with its name in the active language, ``first`` (for example the
    programme's working languages) at the top and the others in alphabetical order."""
    names = {code: _capitalised(language_label(code)) for code in _english()}
    top = [code for code in dict.fromkeys(c.strip().lower() for c in first) if code in names]
    rest = sorted((code for code in names if code not in top), key=lambda c: names[c].casefold())
    return [(code, names[code]) for code in [*top, *rest]]


def language_code(value: str) -> str:
    """The ISO 639-1 code of ``value``: a code (``"fr"``, ``"FR"``, ``"fr-CA"``, ``"fra"``) or an
    English name (``"French"``); ``""`` when it names no language with a two-letter code."""
    text = " ".join(str(value).split())
    if not text:
        return ""
    head = text.replace("_", "-").split("-")[0].lower() if len(text) <= 6 else text
    if head in _english():
        return head
    try:
        found = pycountry.languages.lookup(head)
    except LookupError:
        return ""
    return str(getattr(found, "alpha_2", "") or "")
