"""The person's own account settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .models import User


def language_choices() -> list[tuple[str, str]]:
    """Each language of the interface in its own name, with the name in the page's language."""
    choices = []
    for code, name in settings.LANGUAGES:
        local = get_language_info(code)["name_local"]
        label = local if str(name).lower() == local.lower() else f"{local} ({name})"
        choices.append((code, label))
    return choices


class AccountForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        help_text=_(
            "Pages, emails and PDF documents are written in this language; the first page after "
            "you log in too."
        ),
    )

    class Meta:
        model = User
        fields: tuple[str, ...] = ("full_name", "preferred_language")
        labels = {"full_name": _("Full name")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["preferred_language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = language_choices()
        self.fields["full_name"].required = True
