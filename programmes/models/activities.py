"""Activities (one-off or in a series) and their attendance, the contacts peers log, and each
person's calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerlearn.bounds import plausible_date

from ..conversation_tools import Tool
from .foundations import WorkingGroup
from .programme import Cohort, Membership, Organisation, Programme


class ActivitySeries(models.Model):
    """Recurring activities created together (a daily ten-day event, a monthly meeting)."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="activity_series"
    )
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    occurrences = models.PositiveSmallIntegerField(_("number of occurrences"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(occurrences__gte=1) & Q(occurrences__lte=60),
                name="activity_series_occurrences_range",
            )
        ]
        verbose_name = _("activity series")
        verbose_name_plural = _("activity series")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()}, {self.occurrences}"


class Activity(models.Model):
    """A meeting, training session, site visit, joint activity or assessment."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary meeting")
        SMALL_GROUP = "small_group", _("Small-group meeting")
        TRAINING = "training", _("Training session")
        SITE_VISIT = "site_visit", _("Site visit")
        JOINT = "joint", _("Joint activity")
        EXPERT_ASSESSMENT = "expert_assessment", _("Expert assessment")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="activities")
    cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=_("Leave empty for the whole programme."),
    )
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    conversation_tool = models.CharField(
        _("guided conversation"), max_length=20, choices=Tool.choices, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), validators=[plausible_date])
    ends_at = models.DateTimeField(_("ends at"), validators=[plausible_date])
    location = models.CharField(_("place or link"), max_length=300, blank=True)
    reciprocal = models.BooleanField(
        _("reciprocal visit"),
        default=False,
        help_text=_("Site visits: the visitors host a return visit."),
    )
    host_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_activities",
        verbose_name=_("host organisation"),
    )
    visiting_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="visits", verbose_name=_("visiting organisations")
    )
    series = models.ForeignKey(
        ActivitySeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(reciprocal=False) | Q(kind="site_visit"),
                name="activity_reciprocal_only_site_visit",
            ),
        ]
        indexes = [models.Index(fields=("programme", "starts_at"))]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse(
            "programmes:activity_detail", kwargs={"pk": self.programme_id, "activity": self.pk}
        )


class Attendance(models.Model):
    """Whether a peer attended an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("activity", "membership")
        constraints = [
            models.UniqueConstraint(
                fields=("activity", "membership"), name="attendance_unique_person"
            )
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.membership.user} @ {self.activity}"

    @property
    def programme(self) -> Programme:
        return self.activity.programme


class Contact(models.Model):
    """A contact between two peers, logged by one of them and confirmed by the other."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        CALL = "call", _("Phone call")
        ONLINE = "online", _("Online meeting or chat")
        EMAIL = "email", _("Email")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="contacts")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts_logged"
    )
    with_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contacts_received",
        verbose_name=_("with whom"),
    )
    occurred_on = models.DateField(_("date"), validators=[plausible_date])
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices)
    topic = models.TextField(_("about what"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-occurred_on", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=~Q(logged_by=models.F("with_user")), name="contact_two_people"
            )
        ]
        indexes = [
            models.Index(fields=("programme", "occurred_on")),
            # The last contact between two people (groups, pairs) without reading the programme's.
            models.Index(
                fields=("logged_by", "with_user", "occurred_on"), name="contact_between_idx"
            ),
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.logged_by} ↔ {self.with_user} ({self.occurred_on})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class CalendarFeed(models.Model):
    """A person's secret calendar address (iCal), fetched by calendar apps without a session."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar of {self.user}"
