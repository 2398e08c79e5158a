"""``{{ warning|warning_text }}``: a strategy warning of the engine in the page's language."""

from django import template

from matching.explanations import warning_text as translated

register = template.Library()


@register.filter
def warning_text(text: str) -> str:
    return translated(str(text))
