import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from peerlearn import bounds
from peerlearn.fields import PersonField
from peerlearn.roles import Role
from peerlearn.uploads import validate_knowledge_file, validate_mandate_pdf
from peerlearn.widgets import DateInput, DateTimeInput

from .models import (
    Activity,
    ActivitySeries,
    Cohort,
    Contact,
    ContractTemplate,
    KnowledgeProduct,
    LearningObjective,
    Organisation,
    PeerObjective,
    Programme,
    SponsorCommitment,
    TheoryOfChange,
    WorkingGroup,
)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = bounds.LineField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PEER)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The programme's organisations; add a new one on the organisations page."),
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        from .selectors import organisations_of

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_of(programme)  # type: ignore[attr-defined]
        self.fields["cohort"].queryset = programme.cohorts.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.SPONSOR and not data.get("organisation"):
            self.add_error("organisation", _("A sponsor must belong to an organisation."))
        return data


class AcceptInvitationForm(forms.Form):
    full_name = bounds.LineField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1:
            # Every reason a password is refused, whether or not the two copies match.
            from peerlearn.users.models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        return data


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = (
            "name",
            "domain",
            "description",
            "working_languages",
            "starts_on",
            "ends_on",
            "retention_months",
        )
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        return data


class TheoryOfChangeForm(forms.ModelForm):
    class Meta:
        model = TheoryOfChange
        fields = ("focal_point", "influential_variables", "assumptions")
        widgets = {
            "focal_point": forms.Textarea(attrs={"rows": 3}),
            "influential_variables": forms.Textarea(attrs={"rows": 4}),
            "assumptions": forms.Textarea(attrs={"rows": 4}),
        }


class LearningObjectiveForm(forms.ModelForm):
    class Meta:
        model = LearningObjective
        fields = ("text", "goal_type")


class PeerObjectiveForm(forms.ModelForm):
    class Meta:
        model = PeerObjective
        fields = ("text", "goal_type")


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ("name", "starts_on", "ends_on")
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The cohort cannot end before it starts."))
        return data

    def validate_unique(self) -> None:
        """Uniqueness per programme is checked by the service (the form has no programme)."""


class WorkingGroupForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    component = forms.CharField(
        label=_("Component of the challenge"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    member_emails = forms.CharField(
        label=_("Members' email addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line (or separated by commas): peers of the chosen cohort."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["cohort"].queryset = programme.cohorts.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """Members typed by email address must all be peers of the chosen cohort."""
        data = super().clean() or {}
        emails = {
            email.strip().lower()
            for email in re.split(r"[\s,;]+", data.get("member_emails") or "")
            if email.strip()
        }
        data["member_emails"] = sorted(emails)
        cohort = data.get("cohort")
        if emails and cohort is not None:
            from .selectors import peers_of

            found = set(
                peers_of(self.programme)
                .filter(cohort=cohort, user__email__in=emails)
                .values_list("user__email", flat=True)
            )
            unknown = sorted(emails - {email.lower() for email in found})
            if unknown:
                self.add_error(
                    "member_emails",
                    _("Not peers of this cohort: %(emails)s") % {"emails": ", ".join(unknown)},
                )
        return data


class PeerImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        allow_empty_file=True,
        help_text=_(
            "Columns: email, full_name, organisation, country (ISO code or the country's name "
            "in English, French, Russian, Spanish or Arabic); optional: cohort, position. "
            "At most 2 MB."
        ),
    )
    create_organisations = forms.BooleanField(
        label=_("Create organisations that do not exist yet (with the row's country)"),
        required=False,
    )


_ORGANISATION_FIELDS = forms.fields_for_model(Organisation, fields=("name", "kind"))


class OrganisationForm(forms.Form):
    """A new organisation's name, country and type. Whether the name is known already (in any
    case of its letters) is the service's to say: one known from another programme is added
    to this programme as it is, one already in this programme is refused."""

    name = _ORGANISATION_FIELDS["name"]
    country = forms.CharField(
        label=_("Country"),
        max_length=100,
        help_text=_("An ISO code (GH) or the country's name (Ghana, Sénégal, Сенегал)."),
    )
    kind = _ORGANISATION_FIELDS["kind"]

    def clean_country(self) -> str:
        from .importing import country_code

        code = country_code(self.cleaned_data.get("country", ""))
        if code is None:
            raise forms.ValidationError(
                _(
                    "Unknown country: use an ISO code such as GH or the country's name, such as "
                    "Ghana or Sénégal."
                )
            )
        return code


class NominationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = bounds.LineField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            field.initial = organisations.first()


class AuthorisationForm(forms.Form):
    signed_name = forms.CharField(label=_("Your full name, as a signature"), max_length=200)
    mandate = forms.FileField(
        label=_("Signed mandate (PDF, at most 5 MB), if you have one"),
        required=False,
        validators=[validate_mandate_pdf],
    )


class SponsorCommitmentForm(forms.ModelForm):
    signed_name = forms.CharField(
        label=_("Your full name, to sign the commitment"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to save your answers without signing yet."),
    )

    class Meta:
        model = SponsorCommitment
        fields = ("learning_wants", "reform_context", "time_committed", "means_committed")
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("learning_wants", "reform_context", "time_committed", "means_committed")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("signed_name", "").strip():
            for name in ("time_committed", "means_committed"):
                if not data.get(name, "").strip():
                    self.add_error(name, _("Say what you commit before signing."))
        return data


class ContractTemplateForm(forms.ModelForm):
    class Meta:
        model = ContractTemplate
        fields = (
            "working_together",
            "attending_meetings",
            "communicating",
            "applying_at_home",
            "sharing_forward",
        )
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "working_together",
                "attending_meetings",
                "communicating",
                "applying_at_home",
                "sharing_forward",
            )
        }


class SignContractForm(forms.Form):
    signed_name = forms.CharField(label=_("Type your full name to sign"), max_length=200)
    shares_forward = forms.BooleanField(label=_("I also commit to sharing forward"), required=False)


class CountersignForm(forms.Form):
    signed_name = forms.CharField(label=_("Type your full name to countersign"), max_length=200)


class ActivityForm(forms.ModelForm):
    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=[("", _("Once")), *ActivitySeries.Frequency.choices],
        required=False,
    )
    occurrences = forms.IntegerField(
        label=_("How many times"),
        min_value=1,
        max_value=60,
        initial=1,
        required=False,
        help_text=_("For example 10 for a ten-day event, or 5 for five monthly meetings."),
    )

    class Meta:
        model = Activity
        fields = (
            "kind",
            "title",
            "description",
            "cohort",
            "working_group",
            "starts_at",
            "ends_at",
            "location",
            "host_organisation",
            "visiting_organisations",
            "reciprocal",
        )
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .selectors import organisations_of

        self.fields["cohort"].queryset = programme.cohorts.all()  # type: ignore[attr-defined]
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            cohort__programme=programme
        )
        organisations = organisations_of(programme)
        self.fields["host_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["visiting_organisations"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The activity cannot end before it starts."))
        if data.get("reciprocal") and data.get("kind") != Activity.Kind.SITE_VISIT:
            self.add_error("reciprocal", _("Only a site visit can be reciprocal."))
        if data.get("kind") == Activity.Kind.SITE_VISIT and not data.get("host_organisation"):
            self.add_error("host_organisation", _("A site visit needs a host organisation."))
        group = data.get("working_group")
        if group and data.get("cohort") and group.cohort_id != data["cohort"].pk:
            self.add_error("working_group", _("This working group is in another cohort."))
        if data.get("frequency") and (data.get("occurrences") or 1) < 2:
            self.add_error("occurrences", _("A repeated activity happens at least twice."))
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """The programme is set by the service; the form checks the same rules in clean()."""


class ContactForm(forms.Form):
    with_user = PersonField(label=_("With whom"))
    occurred_on = bounds.DateField(label=_("Date"), widget=DateInput())
    channel = forms.ChoiceField(label=_("How"), choices=Contact.Channel.choices)
    topic = forms.CharField(
        label=_("About what"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_user = self.fields["with_user"]
        assert isinstance(with_user, PersonField)
        with_user.choose_from(partners)

    def clean_occurred_on(self) -> Any:
        from django.utils import timezone

        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of a contact cannot be in the future."))
        return value


class KnowledgeProductForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    origin = forms.ChoiceField(label=_("Origin"), choices=KnowledgeProduct.Origin.choices)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=KnowledgeProduct.Kind.choices,
        initial=KnowledgeProduct.Kind.DOCUMENT,
        required=False,
    )

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or KnowledgeProduct.Kind.DOCUMENT)

    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[validate_knowledge_file],
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, image or text; at most 10 MB."),
    )
    url = forms.URLField(
        label=_("Or a link"), required=False, max_length=500, assume_scheme="https"
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("url") and not self.errors.get("file"):
            self.add_error("url", _("Add a file or a link."))
        return data
