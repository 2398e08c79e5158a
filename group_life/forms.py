"""Forms of group life."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from peerlearn import bounds
from peerlearn.fields import PersonField
from peerlearn.listing import ListFilters
from peerlearn.uploads import validate_knowledge_file
from peerlearn.visibility import Visibility
from peerlearn.widgets import DateInput, DateTimeInput, TimeInput
from programmes.selectors import activities_for, contact_partners

from . import selectors
from .models import (
    JOURNAL_VISIBILITIES,
    RUBRIC_MAX,
    RUBRIC_MIN,
    BlindSideNote,
    MeetingSlot,
    PairRequest,
)
from .overview import MEETS_WITHOUT_CONTRIBUTIONS, NO_CONTACT, PAIR_NO_CONTACT

if TYPE_CHECKING:
    from programmes.models import Programme


class WorkspaceForm(forms.Form):
    """A form of the workspace page, where several forms share one page: each names its
    fields' ids after itself (``draft-text``, ``product-text``) so that no two ids clash."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ProblemDraftForm(WorkspaceForm):
    id_prefix = "draft"
    text = forms.CharField(
        label=_("Problem statement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Every version is kept; mark one as distilled when the group agrees."),
    )


class MeetingSlotForm(WorkspaceForm):
    id_prefix = "slot"
    every = forms.TypedChoiceField(
        label=_("How often"), choices=MeetingSlot.Every.choices, coerce=int
    )
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", "—"), *MeetingSlot.Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=5, max_value=600, initial=60
    )
    starts_on = bounds.DateField(label=_("From"), widget=DateInput())
    location = forms.CharField(label=_("Place or link"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("every") not in (None, MeetingSlot.Every.DAY) and data.get("weekday") is None:
            self.add_error("weekday", _("Choose the day of the week for a weekly meeting."))
        return data


class MeetingForm(WorkspaceForm):
    id_prefix = "meeting"
    held_on = bounds.DateField(label=_("Date of the meeting"), widget=DateInput())
    notes = forms.CharField(
        label=_("What we did"), max_length=4000, required=False, widget=forms.Textarea({"rows": 2})
    )


class EndProductForm(WorkspaceForm):
    id_prefix = "product"
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"), max_length=20000, required=False, widget=forms.Textarea({"rows": 6})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[validate_knowledge_file],
        help_text=_("PDF, Word, Excel, PowerPoint or text, up to 10 MB."),
    )


RUBRIC_CHOICES = [(n, str(n)) for n in range(RUBRIC_MIN, RUBRIC_MAX + 1)]


class RubricForm(WorkspaceForm):
    id_prefix = "rubric"
    new_ideas = forms.TypedChoiceField(
        label=_("New peer-driven ideas"), choices=RUBRIC_CHOICES, coerce=int
    )
    different_experiences = forms.TypedChoiceField(
        label=_("Use of different experiences"), choices=RUBRIC_CHOICES, coerce=int
    )
    peer_interaction = forms.TypedChoiceField(
        label=_("Peer interaction"), choices=RUBRIC_CHOICES, coerce=int
    )
    note = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2})
    )


class NoteForm(forms.Form):
    quadrant = forms.ChoiceField(label=_("Quadrant"), choices=BlindSideNote.Quadrant.choices)
    text = forms.CharField(label=_("Note"), max_length=500)


class PairRequestForm(forms.Form):
    requested_of = PersonField(label=_("Pair with"), email="user__email", to_field_name="user_id")
    purpose = forms.CharField(
        label=_("Why you want to pair"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "For example: to visit their workplace and see how they run commitment control."
        ),
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        requested_of = self.fields["requested_of"]
        assert isinstance(requested_of, PersonField)
        requested_of.choose_from(partners)


class VisitForm(forms.Form):
    starts_at = bounds.DateTimeField(label=_("Visit starts"), widget=DateTimeInput())
    ends_at = bounds.DateTimeField(label=_("Visit ends"), widget=DateTimeInput())
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    reciprocal = forms.BooleanField(label=_("Reciprocal: a return visit follows"), required=False)
    learning_agenda = forms.CharField(
        label=_("Learning agenda"),
        max_length=4000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("What do you want to learn on the visit?"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The visit must end after it starts."))
        return data


class VisitReflectionForm(forms.Form):
    reflection = forms.CharField(
        label=_("Reflection after the visit"), max_length=4000, widget=forms.Textarea({"rows": 4})
    )


class SubGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    problem = forms.CharField(
        label=_("Shared problem"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    groups: Any = forms.ModelMultipleChoiceField(
        label=_("Groups that share it"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups  # type: ignore[attr-defined]

    def clean_groups(self) -> Any:
        groups = self.cleaned_data["groups"]
        if len(groups) < 2:
            raise forms.ValidationError(_("Choose at least two groups that share the problem."))
        return groups


class NoContactWeeksForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Weeks without contact before a flag"), min_value=1, max_value=26
    )


class ReflectionForm(forms.Form):
    learned = forms.CharField(
        label=gettext_lazy("What I learned"), max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    from_whom = forms.CharField(label=gettext_lazy("From whom"), max_length=300, required=False)
    will_act = forms.CharField(
        label=gettext_lazy("How I will act on it"),
        max_length=4000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    activity = forms.TypedChoiceField(
        label=gettext_lazy("Activity"), coerce=int, required=False, empty_value=None
    )
    peer = PersonField(label=gettext_lazy("Peer"), required=False, empty_label="—")
    prompt = forms.TypedChoiceField(
        label=gettext_lazy("Answering the prompt"), coerce=int, required=False, empty_value=None
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may read it"),
        choices=[(str(v), v.label) for v in JOURNAL_VISIBILITIES],
        initial=Visibility.PRIVATE,
    )

    def __init__(self, *args: Any, user: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(a.pk, str(a)) for a in activities_for(user, programme)],
        ]
        peer = self.fields["peer"]
        assert isinstance(peer, PersonField)
        peer.choose_from(contact_partners(user, programme))
        self.fields["prompt"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(p.pk, p.question[:80]) for p in selectors.open_prompts(user, programme)],
        ]


class PromptForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Question for the group"),
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
    )
    due_on = bounds.DateField(label=gettext_lazy("Answer by"), widget=DateInput())


class GroupFilters(ListFilters):
    """The facilitator's list of groups: by label, cohort and risk flag."""

    q = forms.CharField(label=_("Group"), max_length=40, widget=forms.SearchInput)
    flag = forms.ChoiceField(
        label=_("Risk flag"),
        choices=[
            ("", _("Any")),
            (NO_CONTACT, _("No contact for weeks")),
            (MEETS_WITHOUT_CONTRIBUTIONS, _("Meets without contributions")),
        ],
    )


class PairFilters(ListFilters):
    """Pairs: by name and status, and those without contact."""

    q = forms.CharField(label=_("Name"), max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *PairRequest.Status.choices]
    )
    flag = forms.ChoiceField(
        label=_("Risk flag"), choices=[("", _("Any")), (PAIR_NO_CONTACT, _("No contact for weeks"))]
    )


class SessionNoteForm(WorkspaceForm):
    id_prefix = "session"

    activity = forms.ChoiceField(label=_("Guided conversation"))
    text = forms.CharField(
        label=_("Our notes"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, activities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (str(a.pk), f"{a.get_conversation_tool_display()}: {a.title}") for a in activities
        ]
