"""Forms of the learning agenda, polls and the network's governance."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn.fields import PersonField

from .conversation_tools import Tool
from .models import Activity, Resource


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("What we would learn"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TopicCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScheduleTopicForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=Activity.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=15, max_value=60 * 24, initial=90)
    location = forms.CharField(label=_("Place or link"), max_length=300, required=False)

    def ends_at(self) -> datetime:
        starts: datetime = self.cleaned_data["starts_at"]
        return starts + timedelta(minutes=self.cleaned_data["minutes"])


class PollForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    options = forms.CharField(
        label=_("Options, one a line"), widget=forms.Textarea(attrs={"rows": 4})
    )
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def option_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]


class PollAnswerForm(forms.Form):
    option = forms.IntegerField(widget=forms.HiddenInput)


class SteeringMemberForm(forms.Form):
    user = PersonField(label=_("Person"))
    position = forms.CharField(label=_("Position"), max_length=100, required=False)

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        """``people`` are the programme's people (users): a list when they are few, an email
        address to type when they are many."""
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, PersonField)
        field.choose_from(people)


class SteeringMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    meeting = forms.ChoiceField(label=_("At the meeting of"), required=False)

    def __init__(self, *args: Any, meetings: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("No meeting (decided in writing)")),
            *[(str(m.pk), m.held_on.isoformat()) for m in meetings],
        ]
        self.fields["decided_on"].initial = timezone.localdate()


class ResourceForm(forms.Form):
    funder_name = forms.CharField(label=_("Partner"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label=_("Cash or in kind"), choices=Resource.Kind.choices)
    purpose = forms.ChoiceField(label=_("For"), choices=Resource.Purpose.choices)
    amount = forms.DecimalField(
        label=_("Amount or value"), min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    description = forms.CharField(label=_("What"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ConversationToolForm(forms.Form):
    tool = forms.ChoiceField(
        label=_("Guided conversation"),
        required=False,
        choices=[("", _("None")), *Tool.choices],
    )
