"""Programmes, their cohorts, the organisations taking part, and who holds which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn.bounds import plausible_date, single_line
from peerlearn.countries import country_name
from peerlearn.languages import supported
from peerlearn.roles import Role


class Organisation(models.Model):
    """A public body (ministry, agency, court of audit...) that nominates peers."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or department")
        AGENCY = "agency", _("Agency")
        SUBNATIONAL = "subnational", _("Subnational government")
        AUDIT = "audit", _("Audit institution")
        LEGISLATURE = "legislature", _("Legislature")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            # One organisation per name and country, whatever the case of its letters.
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="organisation_unique_name_ci",
                violation_error_message=_("This organisation exists already in this country."),
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({country_name(self.country)})"


class Programme(models.Model):
    """A peer learning programme: the unit that roles and permissions are granted on."""

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    domain = models.CharField(
        _("domain"), max_length=200, blank=True, help_text=_("The shared field of practice.")
    )
    description = models.TextField(_("description"), blank=True)
    working_languages = models.CharField(
        _("working languages"), max_length=200, blank=True, help_text=_("For example: en, fr")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True, validators=[plausible_date])
    ends_on = models.DateField(_("ends on"), null=True, blank=True, validators=[plausible_date])
    # Organisations the facilitators added to the programme (before anyone of them is invited);
    # the programme's organisations are these and those of its people, nominations and
    # invitations (programmes.selectors.organisations_of).
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="programmes", verbose_name=_("organisations")
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months after the end)"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to keep it. Facilitators are told a month before the peers' and "
            "sponsors' personal data is anonymised."
        ),
    )
    retention_notice_sent_at = models.DateTimeField(null=True, blank=True)
    # The facilitators told so far (user ids): a notice interrupted by the mail server is sent
    # later to the others only.
    retention_notice_told = models.JSONField(default=list, db_default=[], blank=True)
    personal_data_anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            )
        ]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"pk": self.pk})

    @property
    def language(self) -> str:
        """The first working language the interface speaks (``""`` when none): the language
        of emails to people who have no account yet."""
        for code in self.working_languages.replace(";", ",").split(","):
            language = supported(code)
            if language:
                return language
        return ""

    @property
    def programme_id(self) -> int | None:
        """A programme belongs to itself (see :func:`peerlearn.roles.programme_id_of`)."""
        return self.pk


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ("programme", "name")
        constraints = [
            # One cohort per name in a programme, whatever the case of its letters.
            models.UniqueConstraint(
                Lower("name"),
                "programme",
                name="cohort_unique_name_ci",
                violation_error_message=_("There is already a cohort with this name."),
            )
        ]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a programme. A person may hold several roles in one programme."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    charter_acknowledged_at = models.DateTimeField(
        _("trust charter acknowledged at"), null=True, blank=True
    )

    class Meta:
        ordering = ("programme", "role", "user__email")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "programme", "role"), name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.SPONSOR) | Q(organisation__isnull=False),
                name="sponsor_has_organisation",
            ),
        ]
        indexes = [models.Index(fields=("programme", "role"))]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.programme}"
