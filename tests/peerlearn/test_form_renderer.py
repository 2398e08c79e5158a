"""Selects are written in Python by the site's form renderer: the same markup as Django's
templates, without a template include per option."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from peerlearn.widgets import FormRenderer

CHOICES = [
    ("", "Any"),
    ("a&b", 'Tom & "Jerry" <script>'),
    ("Groups", [("g-1", "G01 · Arrears"), ("g-2", mark_safe("<em>G02</em>"))]),
    (3, "Three"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flagged = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"disabled": True, "data-x": '"quoted"', "hidden": False}),
    )
    either = forms.NullBooleanField()
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("data", [{}, {"one": "a&b", "many": ["g-2", "3"], "flagged": "3"}])
@pytest.mark.parametrize("name", ["one", "many", "flagged", "either", "radio"])
def test_selects_are_written_as_djangos_templates_write_them(
    data: dict[str, object], name: str
) -> None:
    ours = Sample(data or None, renderer=FormRenderer())[name].as_widget()
    django = Sample(data or None, renderer=DjangoTemplates())[name].as_widget()
    assert squeeze(ours) == squeeze(django)


def test_labels_and_values_are_escaped() -> None:
    html = Sample(renderer=FormRenderer())["one"].as_widget()
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert 'value="a&amp;b"' in html
    assert "<em>G02</em>" in html  # a label marked safe stays markup


def test_the_site_renders_forms_with_it() -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
