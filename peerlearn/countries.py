"""Country names in the language of the page, from the ISO 3166 codes the data keeps."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language


@lru_cache(maxsize=32)
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str | None) -> str:
    """The country's usual name (``"Georgia"``, ``"Géorgie"``) in the active language, for an
    ISO 3166-1 alpha-2 code; the code itself when it names no country."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.strip().upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    language = (get_language() or "en").replace("-", "_")
    return _catalogue(language).gettext(name)
