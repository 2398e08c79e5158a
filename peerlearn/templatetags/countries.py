"""``{{ code|country_name }}``: a country's name in the page's language."""

from django import template

from peerlearn.countries import country_name as name_of

register = template.Library()


@register.filter
def country_name(code: str | None) -> str:
    return name_of(code)
