"""Forms of peer adviser placements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peerlearn.fields import PersonField

if TYPE_CHECKING:
    from programmes.models import Membership


class DateInput(forms.DateInput):
    input_type = "date"


class AdviserField(PersonField):
    """A peer membership, named with its organisation."""

    def label_from_instance(self, obj: Any) -> str:
        organisation = obj.organisation.name if obj.organisation else ""
        return f"{obj.user} · {organisation}"


class PlacementForm(forms.Form):
    peer = AdviserField(
        label=_("Peer adviser"), email="user__email", to_field_name="user_id", empty_label="—"
    )
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
        peers: QuerySet[Membership],
        organisations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        """``peers`` are the peer memberships (with their organisation) one may place: a list
        when they are few, an email address to type when they are many."""
        kwargs.setdefault("auto_id", "placement-%s")
        super().__init__(*args, **kwargs)
        peer = self.fields["peer"]
        assert isinstance(peer, PersonField)
        peer.choose_from(peers)
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
