"""Form fields the apps share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

# Up to this many people, a person is chosen from a list; above it, by email address.
PEOPLE_IN_A_LIST = 150


class PersonField(forms.ModelChoiceField):
    """One person of ``queryset``: chosen from a list when there are few, typed as an email
    address when there are many (a list of thousands of names is neither usable nor light).

    ``email`` is the lookup of the email address in the queryset's model (``"email"`` for users,
    ``"user__email"`` for memberships). Anything outside the queryset is refused either way.
    """

    def __init__(self, *args: Any, email: str = "email", **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)
        self.email = email
        self.by_email = False

    def choose_from(self, queryset: QuerySet[Any]) -> None:
        """Set the people to choose from (one query to count them)."""
        self.queryset = queryset
        self.by_email = queryset.count() > PEOPLE_IN_A_LIST
        if self.by_email:
            self.widget = forms.EmailInput(attrs={"autocomplete": "off"})
            self.widget.is_required = self.required
            self.help_text = _("Type their email address.")

    def prepare_value(self, value: Any) -> Any:
        if self.by_email:
            if isinstance(value, Model):
                return getattr(value, "email", "") or str(value)
            return value
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Any:
        if not self.by_email:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        assert self.queryset is not None
        found = self.queryset.filter(**{f"{self.email}__iexact": str(value).strip()}).first()
        if found is None:
            raise forms.ValidationError(
                _("Nobody you can choose here has this email address."), code="invalid_choice"
            )
        return found

    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "user", obj))
