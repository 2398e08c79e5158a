"""Country and language names in the language of the page, from the ISO codes the data keeps
(pycountry's ISO 3166-1 and ISO 639-3 catalogues), and the code for a country named in any
language of the interface ("Sénégal", "Сенегал", "السنغال", "Senegal" → ``SN``)."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.conf import settings
from django.utils.translation import get_language

from .text import folded

# Kosovo has a user-assigned code (XK) that ISO 3166-1 does not list.
KOSOVO = {"XK": {"en": "Kosovo", "fr": "Kosovo", "ru": "Косово", "es": "Kosovo", "ar": "كوسوفو"}}
# Usual names that ISO 3166-1's catalogues do not give (they keep the formal name).
USUAL_NAMES = {
    "RU": ("Russia", "Russie", "Россия", "Rusia", "روسيا"),
    "US": ("USA", "США", "EE. UU.", "EEUU"),
    "GB": ("UK", "Великобритания"),
    "MD": ("Молдова",),
    "KG": ("Кыргызстан",),
    "PS": ("Palestine", "Palestina", "Палестина", "فلسطين"),
    "CD": ("DR Congo", "RDC", "Congo (RDC)", "ДР Конго"),
}


@lru_cache(maxsize=64)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _active() -> str:
    return (get_language() or settings.LANGUAGE_CODE).replace("-", "_")


def country_name(code: str | None, language: str | None = None) -> str:
    """The country's usual name (``"Georgia"``, ``"Géorgie"``) in ``language`` (the active one
    by default), for an ISO 3166-1 alpha-2 code; the code itself when it names no country."""
    if not code:
        return ""
    code = code.strip().upper()
    language = (language or _active()).replace("-", "_")
    if code in KOSOVO:
        names = KOSOVO[code]
        return names.get(language.split("_")[0], names["en"])
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _catalogue("iso3166-1", language).gettext(name)


def language_name(code: str | None, language: str | None = None) -> str:
    """A language's name in ``language`` (the active one by default) for an ISO 639 code
    (``"fr"`` → ``"French"``, ``"français"``, ``"французский"``); the code when it names none."""
    if not code:
        return ""
    text = code.strip().lower()
    found = pycountry.languages.get(alpha_2=text) if len(text) == 2 else None
    if found is None and len(text) == 3:
        found = pycountry.languages.get(alpha_3=text)
    if found is None:
        return code.strip()
    name = _catalogue("iso639-3", (language or _active()).replace("-", "_")).gettext(found.name)
    return name[:1].upper() + name[1:] if (language or _active()).startswith("en") else name


def language_names(codes: str, language: str | None = None) -> str:
    """``"en, fr"`` → ``"English, French"`` in the page's language."""
    parts = [part for part in codes.replace(";", ",").split(",") if part.strip()]
    return ", ".join(language_name(part, language) for part in parts)


def _key(text: str) -> str:
    """A name as compared: case, accents, hyphens, apostrophes and spacing left out."""
    return folded(text)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every name of every country in every language of the interface → its alpha-2 code."""
    names: dict[str, str] = {}
    languages = [code for code, _name in settings.LANGUAGES]
    for country in pycountry.countries:
        english = [
            getattr(country, attribute, None)
            for attribute in ("name", "official_name", "common_name")
        ]
        for name in filter(None, english):
            names.setdefault(_key(name), country.alpha_2)
            for language in languages:
                names.setdefault(
                    _key(_catalogue("iso3166-1", language).gettext(name)), country.alpha_2
                )
    for code, translated in KOSOVO.items():
        for name in translated.values():
            names[_key(name)] = code
    for code, usual in USUAL_NAMES.items():
        for name in usual:
            names.setdefault(_key(name), code)
    return names


def country_code(text: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code for an alpha-2 or alpha-3 code, or for the country's name in
    any language of the interface; ``None`` when the text names no country."""
    if not text or not text.strip():
        return None
    value = " ".join(text.split())
    upper = value.upper()
    if upper in KOSOVO or upper == "XKX":
        return "XK"
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper):
        return upper
    if len(upper) == 3 and (country := pycountry.countries.get(alpha_3=upper)):
        return str(country.alpha_2)
    return _names().get(_key(value))
