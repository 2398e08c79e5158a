"""Diffusion: lessons travelling from peers back into their organisations and beyond.

A peer agrees a diffusion plan with their sponsor, holds report-back sessions at home, and the
people reached (recipients) may share onward through a personal link: the diffusion graph.
Peers also launch domestic chapters, run rapid-results pilots and record impact stories.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerlearn.bounds import people_count, plausible_date, single_line

if TYPE_CHECKING:
    from programmes.models import Programme


class Level(models.TextChoices):
    """How far into the organisation a report-back reaches (Table 4 of the report)."""

    TEAM = "team", _("Team")
    UNIT = "unit", _("Unit or department")
    ORGANISATION = "organisation", _("Whole organisation")
    SECTOR = "sector", _("Sector or country")


class DiffusionPlan(models.Model):
    """A peer's plan to bring lessons home, agreed with their organisation's sponsor."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Waiting for the sponsor")
        CONFIRMED = "confirmed", _("Confirmed by the sponsor")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="diffusion_plans"
    )
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diffusion_plans"
    )
    organisation = models.ForeignKey(
        "programmes.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    goal = models.TextField(_("what you want to bring home"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    time_and_means = models.TextField(
        _("time and means committed"),
        blank=True,
        help_text=_("What the organisation commits: staff time, rooms, budget."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    sponsor_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("programme", "peer__email")
        constraints = [
            models.UniqueConstraint(fields=("programme", "peer"), name="diffusion_plan_per_peer"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="diffusion_plan_confirmed_has_date",
            ),
        ]
        verbose_name = _("diffusion plan")
        verbose_name_plural = _("diffusion plans")

    def __str__(self) -> str:
        return f"{self.peer} — {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("diffusion:plan_detail", kwargs={"plan_pk": self.pk})


class PlanNotice(models.Model):
    """One sponsor asked by email to confirm one proposal of a plan. The row is made with the
    proposal; the email is sent once (``sent_at``), and a sweep hands it to the broker again
    while it waits (``dispatched_at``: when it was last handed over)."""

    plan = models.ForeignKey(DiffusionPlan, on_delete=models.CASCADE, related_name="notices")
    sponsor = models.ForeignKey("programmes.Membership", on_delete=models.CASCADE, related_name="+")
    proposed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("plan", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("plan", "sponsor", "proposed_at"), name="plan_notice_once_per_proposal"
            )
        ]
        verbose_name = _("plan notice")
        verbose_name_plural = _("plan notices")

    def __str__(self) -> str:
        return f"{self.plan} → {self.sponsor_id}"


class PlannedActivity(models.Model):
    """One line of a diffusion plan: which audience, when, in which format."""

    class Format(models.TextChoices):
        BRIEFING = "briefing", _("Briefing or presentation")
        WORKSHOP = "workshop", _("Workshop")
        NOTE = "note", _("Written note or memo")
        COACHING = "coaching", _("Coaching or job shadowing")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(DiffusionPlan, on_delete=models.CASCADE, related_name="activities")
    audience = models.CharField(_("audience"), max_length=200)
    planned_on = models.DateField(_("planned date"), validators=[plausible_date])
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.TEAM)

    class Meta:
        ordering = ("plan", "planned_on", "pk")
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")

    def __str__(self) -> str:
        return f"{self.audience} ({self.planned_on})"

    @property
    def programme(self) -> Programme:
        return self.plan.programme


class ReportBack(models.Model):
    """A session where a peer shares what they learned with people at home."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="report_backs"
    )
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_backs"
    )
    organisation = models.ForeignKey(
        "programmes.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    held_on = models.DateField(_("date held"), validators=[plausible_date])
    audience = models.CharField(
        _("audience"), max_length=200, help_text=_("For example: the treasury's cash team.")
    )
    audience_size = models.PositiveIntegerField(
        _("number of people present"), validators=people_count(1)
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    lessons = models.TextField(_("what you shared"), blank=True)
    lessons_visible_to_sponsor = models.BooleanField(
        _("my sponsor may read what I shared"), default=False
    )
    materials = models.FileField(
        _("materials"), upload_to="diffusion/materials/%Y/%m/", blank=True, max_length=300
    )
    # The key of the form (or API request) that logged it: the same submission sent twice
    # (a double click, a retried request) logs one report-back and sends one set of emails.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-held_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience_size__gte=1), name="report_back_has_audience"
            ),
            models.UniqueConstraint(
                fields=("peer", "submission_key"), name="report_back_once_per_submission"
            ),
        ]
        indexes = [models.Index(fields=("programme", "peer"))]
        verbose_name = _("report-back session")
        verbose_name_plural = _("report-back sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"

    def get_absolute_url(self) -> str:
        return reverse("diffusion:report_back_detail", kwargs={"report_back_pk": self.pk})


class Recipient(models.Model):
    """A person a lesson was shared with: an attendee of a report-back, or someone an attendee
    (or another recipient) named as sharing onward. ``depth`` counts steps from the peer.

    The feedback link is a random token; only its SHA-256 hash is stored.
    """

    report_back = models.ForeignKey(ReportBack, on_delete=models.CASCADE, related_name="recipients")
    shared_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="shared_with"
    )
    email = models.EmailField(_("email address"))
    depth = models.PositiveSmallIntegerField(default=1)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    # When the email of the link was last handed to the broker (the sweep hands it over again
    # while it waits).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    email_withheld = models.BooleanField(
        default=False,
        help_text="Named onward beyond the sending limits: recorded in the graph, never emailed.",
    )
    will_use = models.TextField(_("what will you use from it?"), blank=True)
    share_with = models.TextField(_("whom will you share it with?"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("report_back", "depth", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("report_back", "email"), name="recipient_once_per_report_back"
            ),
            models.CheckConstraint(condition=Q(depth__gte=1), name="recipient_depth_positive"),
            models.CheckConstraint(
                condition=Q(shared_by__isnull=True, depth=1)
                | Q(shared_by__isnull=False, depth__gte=2),
                name="recipient_depth_matches_sharer",
            ),
        ]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return f"{self.email} (depth {self.depth})"

    @property
    def programme(self) -> Programme:
        return self.report_back.programme


class Chapter(models.Model):
    """A national community of practice launched by a peer, linked to the programme."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="chapters"
    )
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    founded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chapters_founded"
    )
    organisation = models.ForeignKey(
        "programmes.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    launched_on = models.DateField(_("launched on"), validators=[plausible_date])
    purpose = models.TextField(_("purpose"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("programme", "country", "name")
        constraints = [
            models.UniqueConstraint(fields=("programme", "name"), name="chapter_unique_name")
        ]
        verbose_name = _("domestic chapter")
        verbose_name_plural = _("domestic chapters")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("diffusion:chapter_detail", kwargs={"chapter_pk": self.pk})


class ChapterMember(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"), validators=[plausible_date])

    class Meta:
        ordering = ("chapter", "full_name")
        constraints = [
            models.UniqueConstraint(
                fields=("chapter", "email"),
                condition=~Q(email=""),
                name="chapter_member_unique_email",
            )
        ]
        verbose_name = _("chapter member")
        verbose_name_plural = _("chapter members")

    def __str__(self) -> str:
        return self.full_name

    @property
    def programme(self) -> Programme:
        return self.chapter.programme


class ChapterMeeting(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date held"), validators=[plausible_date])
    topic = models.CharField(_("topic"), max_length=200)
    attendance = models.PositiveIntegerField(_("people present"), validators=people_count(1))

    class Meta:
        ordering = ("chapter", "-held_on")
        constraints = [
            models.CheckConstraint(condition=Q(attendance__gte=1), name="chapter_meeting_attended")
        ]
        verbose_name = _("chapter meeting")
        verbose_name_plural = _("chapter meetings")

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on})"

    @property
    def programme(self) -> Programme:
        return self.chapter.programme


PILOT_DAYS = 100


class Pilot(models.Model):
    """A rapid-results pilot: a small change of about 100 days along a results chain."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pilots"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pilots_led"
    )
    organisation = models.ForeignKey(
        "programmes.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("result aimed for in about 100 days"))
    starts_on = models.DateField(_("starts on"), validators=[plausible_date])
    ends_on = models.DateField(_("ends on"), validators=[plausible_date])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("programme", "-starts_on", "title")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pilot_ends_after_start"
            )
        ]
        verbose_name = _("rapid-results pilot")
        verbose_name_plural = _("rapid-results pilots")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("diffusion:pilot_detail", kwargs={"pilot_pk": self.pk})

    @staticmethod
    def default_end(starts_on: date) -> date:
        return starts_on + timedelta(days=PILOT_DAYS)


class PilotStep(models.Model):
    """A link of the pilot's results chain: inputs → activities → outputs → outcomes."""

    class Kind(models.TextChoices):
        INPUT = "input", _("Input")
        ACTIVITY = "activity", _("Activity")
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Impact")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("link in the chain"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("pilot", "position", "pk")
        verbose_name = _("results-chain step")
        verbose_name_plural = _("results-chain steps")

    def __str__(self) -> str:
        return self.description

    @property
    def programme(self) -> Programme:
        return self.pilot.programme


class PilotMilestone(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"), validators=[plausible_date])
    reached_on = models.DateField(
        _("reached on"), null=True, blank=True, validators=[plausible_date]
    )

    class Meta:
        ordering = ("pilot", "due_on", "pk")
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def programme(self) -> Programme:
        return self.pilot.programme


class PilotUpdate(models.Model):
    """A comment on a pilot; when ``status`` is set it is also a status update."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))
    status = models.CharField(
        _("new status"), max_length=20, choices=Pilot.Status.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pilot", "created_at", "pk")
        verbose_name = _("pilot update")
        verbose_name_plural = _("pilot updates")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def programme(self) -> Programme:
        return self.pilot.programme


class ImpactStory(models.Model):
    """A change in an organisation, a policy or a law that followed from the peers' work."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Change in an organisation")
        POLICY = "policy", _("Change in a policy")
        LAW = "law", _("Change in a law or regulation")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="impact_stories"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of change"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what changed"))
    happened_on = models.DateField(_("when it changed"), validators=[plausible_date])
    organisation = models.ForeignKey(
        "programmes.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    peers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="impact_stories"
    )
    pilots = models.ManyToManyField(Pilot, blank=True, related_name="impact_stories")
    evidence = models.TextField(
        _("evidence"), help_text=_("Where it can be checked: a gazette, a decree, a report.")
    )
    evidence_url = models.URLField(_("link to the evidence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("programme", "-happened_on")
        verbose_name = _("impact story")
        verbose_name_plural = _("impact stories")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("diffusion:story_detail", kwargs={"story_pk": self.pk})


class SponsorReportDelivery(models.Model):
    """The monthly progress report sent to a sponsor: one row per sponsor role and month."""

    membership = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="sponsor_report_deliveries"
    )
    month = models.DateField(help_text="The first day of the month reported on.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-month",)
        constraints = [
            models.UniqueConstraint(
                fields=("membership", "month"), name="sponsor_report_once_a_month"
            )
        ]
        verbose_name = _("sponsor report delivery")
        verbose_name_plural = _("sponsor report deliveries")

    def __str__(self) -> str:
        return f"{self.membership} — {self.month:%Y-%m}"


class SponsorReportOptOut(models.Model):
    """A sponsor who asked not to receive the monthly email for this programme."""

    membership = models.OneToOneField(
        "programmes.Membership", on_delete=models.CASCADE, related_name="sponsor_report_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sponsor report opt-out")
        verbose_name_plural = _("sponsor report opt-outs")

    def __str__(self) -> str:
        return str(self.membership)
