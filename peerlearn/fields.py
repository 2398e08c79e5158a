"""Form fields the apps share."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# Up to this many people, a person is chosen from a list; above it, by email address.
PEOPLE_IN_A_LIST = 150
EMAILS = re.compile(r"[\s,;]+")


def _offer(
    field: forms.ModelChoiceField[Any], queryset: QuerySet[Any], typed: forms.Widget, help: Any
) -> bool:
    """Offer ``queryset`` in ``field``; when it holds more people than a list can show, the
    field asks for email addresses in the ``typed`` widget instead. Says which it is."""
    field.queryset = queryset
    if queryset.count() <= PEOPLE_IN_A_LIST:
        return False
    field.widget = typed
    field.widget.is_required = field.required
    field.help_text = help
    return True


class _ChoosesPeople:
    """What both people fields do when made: no queryset until :meth:`choose_from` sets it,
    ``email`` the lookup of the address in the queryset's model, and a list to start with."""

    email: str
    by_email: bool

    def __init__(self, *args: Any, email: str = "email", **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)
        self.email = email
        self.by_email = False


class PersonField(_ChoosesPeople, forms.ModelChoiceField):
    """One person of ``queryset``: chosen from a list when there are few, typed as an email
    address when there are many (a list of thousands of names is neither usable nor light).

    ``email`` is the lookup of the email address in the queryset's model (``"email"`` for users,
    ``"user__email"`` for memberships). Anything outside the queryset is refused either way.
    """

    def choose_from(self, queryset: QuerySet[Any]) -> None:
        """Set the people to choose from (one query to count them)."""
        self.by_email = _offer(
            self,
            queryset,
            forms.EmailInput(attrs={"autocomplete": "off"}),
            _("Type their email address."),
        )

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


class PeopleField(_ChoosesPeople, forms.ModelMultipleChoiceField):
    """Several people of ``queryset``: ticked in a list when there are few, typed as email
    addresses (one per line, or separated by commas) when there are many. Anything outside the
    queryset is refused either way, naming the addresses that were not found."""

    widget = forms.CheckboxSelectMultiple

    def choose_from(self, queryset: QuerySet[Any]) -> None:
        """Set the people to choose from (one query to count them)."""
        self.by_email = _offer(
            self,
            queryset,
            forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
            _("Type their email addresses, one per line or separated by commas."),
        )

    def prepare_value(self, value: Any) -> Any:
        if not self.by_email:
            return super().prepare_value(value)
        if isinstance(value, str):
            return value
        return "\n".join(
            getattr(item, self.email.split("__")[-1], "") if isinstance(item, Model) else str(item)
            for item in value or []
        )

    def clean(self, value: Any) -> Any:
        if not self.by_email:
            return super().clean(value)
        assert self.queryset is not None
        text = value if isinstance(value, str) else "\n".join(value or [])
        addresses = list(dict.fromkeys(part.strip().lower() for part in EMAILS.split(text)))
        addresses = [address for address in addresses if address]
        if not addresses:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        found = self.queryset.annotate(address_lower=Lower(self.email)).filter(
            address_lower__in=addresses
        )
        known = set(found.values_list("address_lower", flat=True))
        missing = [address for address in addresses if address not in known]
        if missing:
            raise forms.ValidationError(
                _("Nobody you can choose here has these email addresses: %(addresses)s."),
                code="invalid_choice",
                params={"addresses": ", ".join(missing)},
            )
        return self.queryset.filter(pk__in=found.values("pk"))
