"""Forms of diffusion. Every error is a plain sentence; nothing is saved unless all is valid."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn import bounds
from peerlearn.fields import PeopleField
from peerlearn.widgets import DateInput
from programmes.selectors import all_organisations

from . import selectors
from .models import (
    ChapterMeeting,
    ChapterMember,
    ImpactStory,
    Level,
    Pilot,
    PilotMilestone,
    PilotStep,
    PlannedActivity,
)

if TYPE_CHECKING:
    from programmes.models import Programme


MAX_MATERIALS_BYTES = 10 * 1024 * 1024
# extension -> the bytes such a file starts with (None: plain text, checked as UTF-8)
MATERIAL_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF",),
    ".pptx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": None,
    ".md": None,
}


def parse_emails(text: str) -> list[str]:
    """Email addresses separated by commas, semicolons, spaces or new lines; a bad one is named."""
    emails: list[str] = []
    bad: list[str] = []
    for part in re.split(r"[\s,;]+", text or ""):
        part = part.strip().strip("<>").lower()
        if not part:
            continue
        try:
            validate_email(part)
        except ValidationError:
            bad.append(part)
            continue
        if part not in emails:
            emails.append(part)
    if bad:
        raise ValidationError(
            _("These are not email addresses: %(bad)s"), params={"bad": ", ".join(bad)}
        )
    return emails


def not_in_future(value: Any) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."))


def validate_materials(upload: UploadedFile | None) -> None:
    if not upload:
        return
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in MATERIAL_TYPES:
        raise ValidationError(
            _("This type of file is not accepted. Use one of: %(types)s."),
            params={"types": ", ".join(sorted(t.lstrip(".") for t in MATERIAL_TYPES))},
        )
    if (upload.size or 0) > MAX_MATERIALS_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = MATERIAL_TYPES[suffix]
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # a multi-byte character cut at the end of the sample is fine
            if error.start < len(head) - 3:
                raise ValidationError(_("This file is not plain text.")) from error
    elif not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("The file's content does not match its name (%(suffix)s)."),
            params={"suffix": suffix},
        )


class EmailListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        return parse_emails(text)


class PlanForm(forms.Form):
    goal = forms.CharField(
        label=_("What you want to bring home"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("The lessons and practices you intend to share, and why they matter."),
    )
    propose = forms.BooleanField(
        label=_("Send the plan to my sponsor for confirmation"), required=False
    )


class PlannedActivityForm(forms.ModelForm):
    class Meta:
        model = PlannedActivity
        fields = ("audience", "planned_on", "format", "level")
        widgets = {"planned_on": DateInput()}


class ConfirmPlanForm(forms.Form):
    time_and_means = forms.CharField(
        label=_("Time and means your organisation commits"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("For example: two hours a month of the team's time and a meeting room."),
    )


class ReportBackForm(forms.Form):
    # A new key each time the empty form is shown: sending the same form twice logs it once.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    title = bounds.LineField(label=_("Title"), max_length=200)
    held_on = bounds.DateField(label=_("Date held"), widget=DateInput(), validators=[not_in_future])
    audience = forms.CharField(
        label=_("Audience"),
        max_length=200,
        help_text=_("Who was there, for example: the treasury's cash management team."),
    )
    audience_size = forms.IntegerField(
        label=_("Number of people present"), min_value=1, max_value=bounds.MAX_PEOPLE
    )
    level = forms.ChoiceField(label=_("Level reached"), choices=Level.choices)
    lessons = forms.CharField(
        label=_("What you shared"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    lessons_visible_to_sponsor = forms.BooleanField(
        label=_("My sponsor may read what I shared"), required=False
    )
    materials = forms.FileField(
        label=_("Materials (optional)"),
        required=False,
        validators=[validate_materials],
        help_text=_("PDF, slides, documents, images or text; up to 10 MB."),
    )
    attendee_emails = EmailListField(
        label=_("Attendees' email addresses (optional)"),
        required=False,
        help_text=_(
            "Each receives a link to two short questions; their answers extend the diffusion "
            "graph. Separate addresses with commas or new lines."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        emails = data.get("attendee_emails") or []
        size = data.get("audience_size")
        if size and len(emails) > size:
            self.add_error(
                "attendee_emails",
                _("You named more attendees than the number of people present."),
            )
        return data


class AttendeesForm(forms.Form):
    emails = EmailListField(label=_("Attendees' email addresses"))


class FeedbackForm(forms.Form):
    will_use = forms.CharField(
        label=_("What will you use from this session?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    share_with = EmailListField(
        label=_("Whom will you share it with?"),
        required=False,
        help_text=_(
            "Their email addresses, separated by commas or new lines. Each will get these two "
            "questions too."
        ),
    )


class ChapterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.CharField(
        label=_("Country"),
        min_length=2,
        max_length=2,
        help_text=_("Two-letter ISO code, for example GH."),
    )
    launched_on = bounds.DateField(label=_("Launched on"), widget=DateInput())
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_country(self) -> str:
        country = str(self.cleaned_data["country"]).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise ValidationError(_("Use the two-letter country code, for example GH."))
        return country


class ChapterMemberForm(forms.ModelForm):
    class Meta:
        model = ChapterMember
        fields = ("full_name", "email", "organisation", "joined_on")
        widgets = {"joined_on": DateInput()}


class ChapterMeetingForm(forms.ModelForm):
    class Meta:
        model = ChapterMeeting
        fields = ("held_on", "topic", "attendance")
        widgets = {"held_on": DateInput()}

    def clean_attendance(self) -> int:
        attendance = int(self.cleaned_data["attendance"])
        if attendance < 1:
            raise ValidationError(_("At least one person must have been there."))
        return attendance


class PilotForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(
        label=_("Result aimed for in about 100 days"), widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = bounds.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = bounds.DateField(
        label=_("Ends on"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for 100 days after the start."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class PilotStepForm(forms.ModelForm):
    class Meta:
        model = PilotStep
        fields = ("kind", "description")


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = PilotMilestone
        fields = ("title", "due_on")
        widgets = {"due_on": DateInput()}


class PilotUpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[("", _("No change")), *Pilot.Status.choices],
        required=False,
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What the pilot achieved, when it ends."),
    )

    def __init__(self, *args: Any, can_change: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_change:
            del self.fields["status"]
            del self.fields["outcome"]


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of change"), choices=ImpactStory.Kind.choices)
    description = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 4}))
    happened_on = bounds.DateField(
        label=_("When it changed"), widget=DateInput(), validators=[not_in_future]
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=all_organisations().none(), required=False
    )
    peers = PeopleField(label=_("Peers involved"), required=False)
    pilots = forms.ModelMultipleChoiceField(
        label=_("Pilots it came from"),
        queryset=Pilot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where it can be checked: a gazette, a decree, a report."),
    )
    evidence_url = forms.URLField(
        label=_("Link to the evidence"), required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, programme: Programme, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = all_organisations().filter(memberships__programme=programme).distinct()
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        # a peer is offered only the peers and pilots they may see (their own cohort's)
        peers = self.fields["peers"]
        assert isinstance(peers, PeopleField)
        peers.choose_from(selectors.story_peers_for(user, programme))
        self.fields["pilots"].queryset = selectors.pilots_for(user, programme)  # type: ignore[attr-defined]
