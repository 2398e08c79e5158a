"""``{{ code|country_name }}`` and ``{{ codes|language_names }}``: names in the page's language."""

from typing import Any

from django import template

from peerlearn.countries import country_name as name_of
from peerlearn.working_languages import language_labels

register = template.Library()


@register.filter
def country_name(code: str | None) -> str:
    return name_of(code)


@register.filter
def language_names(codes: Any) -> str:
    """ISO 639-1 codes (a list, or text separated by commas) as names in the page's language."""
    if isinstance(codes, str):
        codes = [c for c in codes.replace(";", ",").split(",") if c.strip()]
    return ", ".join(language_labels(str(code).strip() for code in codes or []))
