"""Forms of peer adviser placements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"


class PlacementForm(forms.Form):
    peer = forms.TypedChoiceField(label=_("Peer adviser"), coerce=int)
    host_organisation = forms.TypedChoiceField(label=_("Host organisation"), coerce=int)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    goals = forms.CharField(
        label=_("Goals of the placement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the adviser and the host organisation want to achieve together."),
    )

    def __init__(
        self,
        *args: Any,
        peers: list[tuple[int, str]],
        organisations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "placement-%s")
        super().__init__(*args, **kwargs)
        self.fields["peer"].choices = [("", "—"), *peers]  # type: ignore[attr-defined]
        self.fields["host_organisation"].choices = [("", "—"), *organisations]  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    progress = forms.CharField(
        label=_("Progress on the goals"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "checkin-%s")
        super().__init__(*args, **kwargs)


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("What you learned and what the host organisation changed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reflection-%s")
        super().__init__(*args, **kwargs)
