"""Forms of the discussions: a thread, a reply, a move, the email choice and the search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import POST_MAX_LENGTH, EmailChoice

MARKDOWN_HELP = _(
    "Light formatting: **bold**, *italic*, lists, > quotes and links. Mention someone with "
    "@ and their name."
)


def _attachment_field(products: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Attach a document of the knowledge library"),
        required=False,
        choices=[("", _("No attachment")), *[(str(p.pk), p.title) for p in products]],
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )

    def __init__(self, *args: Any, products: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.products = {str(p.pk): p for p in products}
        if self.products:
            self.fields["attachment"] = _attachment_field(products)

    def attachment(self) -> Any:
        return self.products.get(self.cleaned_data.get("attachment") or "")


class ThreadForm(ReplyForm):
    space = forms.ChoiceField(label=_("Where"))
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["space", "title", "body", "attachment"]

    def __init__(self, *args: Any, spaces: Any, products: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, products=products, **kwargs)
        field = self.fields["space"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.key, f"{s.get_space_display()}: {s.label}") for s in spaces]
        self.fields["body"].label = _("Message")
        self.order_fields(self.field_order)


class MoveForm(forms.Form):
    space = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args: Any, spaces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["space"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.key, f"{s.get_space_display()}: {s.label}") for s in spaces]


class EmailChoiceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("Email me about new messages"),
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the discussions"), required=False, max_length=200)
