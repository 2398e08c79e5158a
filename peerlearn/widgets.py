"""Date and time inputs: the browser shows them in the person's locale, so their value is always
written in the ISO form HTML asks for (``2026-11-25``), never in the page's date format.

And the form renderer of the site (``FORM_RENDERER``): Django's, except that a select is written
in Python, not through a template included once per option, so a list of a thousand groups
costs a few milliseconds instead of a few hundred."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def _attrs(attrs: Mapping[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html`` writes them: ``True`` alone, ``False`` left out."""
    return "".join(
        format_html(" {}", name) if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: Mapping[str, Any]) -> SafeString:
    """The markup of ``select.html`` for the context of a select widget."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    str(option["value"]),
                    mark_safe(_attrs(option["attrs"])),  # noqa: S308 (escaped above)
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped)


class FormRenderer(DjangoTemplates):
    """Django's form renderer, with selects of standard options written by :func:`render_select`."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            widget = context["widget"]
            standard = all(
                option["template_name"] == OPTION_TEMPLATE
                for _name, options, _index in widget["optgroups"]
                for option in options
            )
            if standard:
                return render_select(widget)
        return super().render(template_name, context, request)
