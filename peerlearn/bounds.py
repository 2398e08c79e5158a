"""Bounds on what people type, so that absurd input is refused with a message when it is typed
instead of failing later: a date in the year 9999 overflows as soon as a few weeks are added to
it, a count of a billion people breaks the figures, a line break in a title would end an email
header.

Models put these validators on their fields, so that model forms and the API's serializers
refuse the same values; plain forms use the fields below.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
# People in one room, one meeting, one audience.
MAX_PEOPLE = 100_000
# A number answered in a survey, or a bound set on one.
MAX_NUMBER = 1_000_000_000

_LINE_BREAK = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def plausible_date(value: date | datetime | None) -> None:
    """A date (or a moment) between the years 2000 and 2100."""
    if value is None:
        return
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(earliest)d and %(latest)d."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


def single_line(value: Any) -> None:
    """Text that must stay on one line (a name, a title): it may end up in an email header."""
    if isinstance(value, str) and _LINE_BREAK.search(value):
        raise ValidationError(_("Keep this on one line, without line breaks."), code="line_break")


def people_count(minimum: int = 0) -> list[Any]:
    """Validators of a number of people."""
    return [MinValueValidator(minimum), MaxValueValidator(MAX_PEOPLE)]


class DateField(forms.DateField):
    """A date between the years 2000 and 2100."""

    default_validators = [plausible_date]


class DateTimeField(forms.DateTimeField):
    """A moment between the years 2000 and 2100."""

    default_validators = [plausible_date]


class LineField(forms.CharField):
    """Text on one line."""

    default_validators = [single_line]
