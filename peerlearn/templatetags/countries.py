"""``{{ code|country_name }}`` and ``{{ codes|language_names }}``: names in the page's language."""

from django import template

from peerlearn.countries import country_name as name_of
from peerlearn.countries import language_names as names_of

register = template.Library()


@register.filter
def country_name(code: str | None) -> str:
    return name_of(code)


@register.filter
def language_names(codes: str | None) -> str:
    """``"en, fr"`` → ``"English, French"`` (``"Anglais, Français"`` on a French page)."""
    return names_of(codes or "")
