"""Forms of shared assessments: a tool, a criterion with its levels, a self-assessment and a
review (one field per criterion)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AssessmentTool, Criterion


class ToolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("What it assesses"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a report card on budget transparency."),
    )


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Criterion"), max_length=300)
    guidance = forms.CharField(
        label=_("Guidance for assessors"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    levels = forms.CharField(
        label=_("Levels"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line: score | level | what it looks like. For example: "
            "1 | Not in place | No budget is published."
        ),
    )


def _level_choices(criterion: Criterion) -> list[tuple[str, str]]:
    return [
        (
            str(level.score),
            f"{level.score} · {level.label}"
            + (f" — {level.description}" if level.description else ""),
        )
        for level in criterion.levels.all()
    ]


class SelfAssessmentForm(forms.Form):
    round = forms.IntegerField(label=_("Round"), min_value=1, max_value=99, initial=1)

    def __init__(self, *args: Any, tool: AssessmentTool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(tool.criteria.all())
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                choices=_level_choices(criterion),
                coerce=int,
                widget=forms.RadioSelect,
                help_text=criterion.guidance,
            )
            self.fields[f"evidence_{criterion.pk}"] = forms.CharField(
                label=_("Evidence for “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["named_consent"] = forms.BooleanField(
            label=_("Show our organisation's name in the benchmark"),
            required=False,
            help_text=_("Otherwise others see your position under a letter only."),
        )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}

    def evidence(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"evidence_{c.pk}", "") for c in self.criteria}


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Overall comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, tool: AssessmentTool, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "review-%s")
        super().__init__(*args, **kwargs)
        self.criteria = list(tool.criteria.all())
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("Score you would give on “%(criterion)s”") % {"criterion": criterion.title},
                choices=[("", "—"), *_level_choices(criterion)],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}

    def suggested(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}
