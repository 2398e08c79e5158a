"""Forms of evaluation pages. Survey answers are read from the request by services, not here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from peerlearn import bounds
from peerlearn.listing import ListFilters
from peerlearn.widgets import DateInput
from programmes.selectors import all_cohorts

from .models import (
    MAX_REMINDER_GAP_DAYS,
    MAX_REMINDERS,
    ExportJob,
    Instrument,
    Item,
    Story,
    Visibility,
    Wave,
)

if TYPE_CHECKING:
    from programmes.models import Programme


def _other_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES if code != "en"]


class InstrumentForm(forms.Form):
    name = forms.CharField(label=_("Name (English)"), max_length=200)
    description = forms.CharField(
        label=_("Description, including its source"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, language in _other_languages():
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": language},
                max_length=200,
                required=False,
            )

    def translations(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code, _l in _other_languages()}


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Item.Kind.choices)
    text = forms.CharField(label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(label=_("Guidance (optional)"), required=False)
    choices = forms.CharField(
        label=_("Options, one per line (single and multiple choice)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who may read free-text answers besides the person answering"),
        choices=Visibility.choices,
        initial=Visibility.FACILITATORS,
    )
    min_value = forms.FloatField(
        label=_("Smallest number allowed"),
        required=False,
        min_value=-bounds.MAX_NUMBER,
        max_value=bounds.MAX_NUMBER,
    )
    max_value = forms.FloatField(
        label=_("Largest number allowed"),
        required=False,
        min_value=-bounds.MAX_NUMBER,
        max_value=bounds.MAX_NUMBER,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, language in _other_languages():
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question in %(language)s") % {"language": language},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in Item.CHOICE_KINDS:
            lines = [line for line in (data.get("choices") or "").splitlines() if line.strip()]
            if len(lines) < 2:
                self.add_error("choices", _("Give at least two options, one per line."))
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The largest number is smaller than the smallest."))
        return data

    def translations(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code, _l in _other_languages()}


class WaveForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none())
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=all_cohorts().none(),
        required=False,
        empty_label=_("The whole programme"),
    )
    kind = forms.ChoiceField(label=_("Moment"), choices=Wave.Kind.choices)
    title = bounds.LineField(label=_("Title (optional)"), max_length=200, required=False)
    anchor = bounds.DateField(
        label=_("The event ended on"),
        help_text=_("Dates below are counted from this day when left empty."),
        required=False,
        widget=DateInput(),
    )
    opens_on = bounds.DateField(label=_("Opens on"), required=False, widget=DateInput())
    due_on = bounds.DateField(label=_("Due on"), required=False, widget=DateInput())
    closes_on = bounds.DateField(label=_("Closes on"), required=False, widget=DateInput())
    max_reminders = forms.IntegerField(
        label=_("Reminders at most"), min_value=0, max_value=MAX_REMINDERS, initial=3
    )
    reminder_gap_days = forms.IntegerField(
        label=_("Days between reminders, at least"),
        min_value=1,
        max_value=MAX_REMINDER_GAP_DAYS,
        initial=7,
    )

    def __init__(self, *args: Any, programme: Programme, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]
        self.fields["instrument"].label_from_instance = lambda i: i.title  # type: ignore[attr-defined]
        self.fields["cohort"].queryset = programme.cohorts.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        from .services import wave_dates

        data = super().clean() or {}
        anchor: date | None = data.get("anchor")
        if anchor is None:
            cohort = data.get("cohort")
            anchor = (cohort.ends_on if cohort else None) or self.programme.starts_on
        if anchor is not None and data.get("kind"):
            opens, due, closes = wave_dates(data["kind"], anchor)
            data["opens_on"] = data.get("opens_on") or opens
            data["due_on"] = data.get("due_on") or due
            data["closes_on"] = data.get("closes_on") or closes
        for name in ("opens_on", "due_on", "closes_on"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Give this date, or the day the event ended to count from."))
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            self.add_error("due_on", _("The due date is before the opening date."))
        if data.get("due_on") and data.get("closes_on") and data["closes_on"] < data["due_on"]:
            self.add_error("closes_on", _("The closing date is before the due date."))
        return data


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = (
            "title",
            "event",
            "immediate_value",
            "potential_value",
            "aspirational_ending",
            "visibility",
        )
        widgets = {
            "immediate_value": forms.Textarea(attrs={"rows": 4}),
            "potential_value": forms.Textarea(attrs={"rows": 4}),
            "aspirational_ending": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "immediate_value": _("What happened, and what was your experience of it?"),
            "potential_value": _(
                "What has it produced for you: new skills, relationships, resources, ideas?"
            ),
            "aspirational_ending": _("How do you hope this story ends, back at work?"),
        }


class FollowUpForm(forms.Form):
    applied_value = forms.CharField(
        label=_("Applied value"),
        help_text=_("What difference has it made to your practice? Where did you use it?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    realised_value = forms.CharField(
        label=_("Realised value"),
        help_text=_("What difference has it made to what matters to you or your organisation?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not (data.get("applied_value") or "").strip()
            and not (data.get("realised_value") or "").strip()
        ):
            raise forms.ValidationError(_("Tell how you applied it, or what it changed, or both."))
        return data


class ImpactIndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit or scale"), max_length=60, required=False)


class ObservationForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    country = forms.CharField(label=_("Country (two-letter code)"), max_length=2, min_length=2)
    observed_on = bounds.DateField(label=_("Observed on"), widget=DateInput())
    value = forms.CharField(label=_("Value"), max_length=60)

    def __init__(self, *args: Any, indicators: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(str(pk), name) for pk, name in indicators]  # type: ignore[attr-defined]

    def clean_country(self) -> str:
        country = str(self.cleaned_data["country"]).strip().upper()
        if not country.isalpha():
            raise forms.ValidationError(_("Give the country as a two-letter code, for example GH."))
        return country


class ExportJobForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to export"),
        choices=ExportJob.Kind.choices,
        error_messages={"invalid_choice": _("Choose responses or indicators.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportJob.Format.choices,
        error_messages={"invalid_choice": _("Choose CSV or XLSX.")},
    )


class ResponseFilters(ListFilters):
    """The submitted responses of a wave: by the respondent's name or email."""

    q = forms.CharField(label=_("Name or email"), max_length=100, widget=forms.SearchInput)
