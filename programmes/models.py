"""Foundational engagement: programmes, cohorts, organisations, roles and invitations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("name", "country"), name="organisation_unique_name")
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class Programme(models.Model):
    """A peer learning programme: the unit that roles and permissions are granted on."""

    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(
        _("domain"), max_length=200, blank=True, help_text=_("The shared field of practice.")
    )
    description = models.TextField(_("description"), blank=True)
    working_languages = models.CharField(
        _("working languages"), max_length=200, blank=True, help_text=_("For example: en, fr")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
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
            models.UniqueConstraint(fields=("programme", "name"), name="cohort_unique_name")
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


class Invitation(models.Model):
    """An invitation by email to take a role in a programme; accepted through a signed link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Invited")
        ACCEPTED = "accepted", _("Joined")
        EXPIRED = "expired", _("Expired")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PEER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    send_requested_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("programme", "email", "role"), name="invitation_unique_per_role"
            )
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.programme} ({self.get_role_display()})"

    @property
    def needs_sending(self) -> bool:
        return self.status == self.Status.PENDING and (
            self.sent_at is None or self.sent_at < self.send_requested_at
        )


def _upload_path(instance: Any, folder: str, filename: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    return f"programmes/{instance.programme_id}/{folder}/{stamp}-{filename}"


def mandate_upload_to(instance: Any, filename: str) -> str:
    return _upload_path(instance, "mandates", filename)


def knowledge_upload_to(instance: Any, filename: str) -> str:
    return _upload_path(instance, "knowledge", filename)


class TheoryOfChange(models.Model):
    """The programme's theory of change: focal point, influential variables, assumptions."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="theory_of_change"
    )
    focal_point = models.TextField(
        _("focal point"), help_text=_("The change the programme is about.")
    )
    influential_variables = models.TextField(
        _("influential variables"),
        blank=True,
        help_text=_("What shapes whether the change happens."),
    )
    assumptions = models.TextField(
        _("assumptions"), blank=True, help_text=_("What must hold for peer learning to work here.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("theory of change")
        verbose_name_plural = _("theories of change")

    def __str__(self) -> str:
        return f"{self.programme}: {self.focal_point[:60]}"


class GoalType(models.TextChoices):
    FORMAL_KNOWLEDGE = "formal_knowledge", _("Formal knowledge")
    EXPERIENTIAL_KNOWLEDGE = "experiential_knowledge", _("Experiential knowledge")
    PEER_SUPPORT = "peer_support", _("Peer support")
    COLLABORATION = "collaboration", _("Collaboration")
    TRAINING = "training", _("Training")
    GROUP_IDENTITY = "group_identity", _("Group identity")
    PEER_PRESSURE = "peer_pressure", _("Peer pressure")


class LearningObjective(models.Model):
    """One of the programme's learning objectives, tagged with its goal type."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="learning_objectives"
    )
    text = models.CharField(_("objective"), max_length=500)
    goal_type = models.CharField(_("goal type"), max_length=30, choices=GoalType.choices)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("programme", "position", "pk")
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")

    def __str__(self) -> str:
        return self.text


class PeerObjective(models.Model):
    """A peer's own learning objective: the learner is a learning agent, not a target."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="own_objectives"
    )
    text = models.CharField(_("what I want to learn"), max_length=500)
    goal_type = models.CharField(
        _("goal type"), max_length=30, choices=GoalType.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("membership", "created_at", "pk")
        verbose_name = _("peer's learning objective")
        verbose_name_plural = _("peers' learning objectives")

    def __str__(self) -> str:
        return self.text

    @property
    def programme(self) -> Programme:
        return self.membership.programme


class ChecklistAnswer(models.Model):
    """The programme's answer to one question of the community-of-practice checklist (Annex 5).

    The questions themselves are data in :mod:`programmes.checklist`, keyed by a stable ``key``.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="checklist_answers"
    )
    question_key = models.CharField(max_length=60)
    answer = models.TextField(_("answer"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("programme", "question_key")
        constraints = [
            models.UniqueConstraint(
                fields=("programme", "question_key"), name="checklist_answer_unique"
            )
        ]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")

    def __str__(self) -> str:
        return f"{self.programme}: {self.question_key}"


class WorkingGroup(models.Model):
    """A technical working group inside a cohort, around one component of a shared challenge."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("name"), max_length=200)
    component = models.TextField(
        _("component of the challenge"), blank=True, help_text=_("What this group works on.")
    )
    members = models.ManyToManyField(
        Membership, blank=True, related_name="working_groups", verbose_name=_("members")
    )

    class Meta:
        ordering = ("cohort", "name")
        constraints = [
            models.UniqueConstraint(fields=("cohort", "name"), name="working_group_unique_name")
        ]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name

    @property
    def programme(self) -> Programme:
        return self.cohort.programme


class Nomination(models.Model):
    """A person put forward by an organisation for a programme, and their authorisation.

    A sponsor nominates someone (an invitation goes out), or the facilitator lists them by import;
    either way the organisation's sponsor authorises them, by an in-app sign-off or by uploading a
    signed mandate (PDF). Keyed by email, so it holds before and after the person joins.
    """

    class Method(models.TextChoices):
        SIGN_OFF = "sign_off", _("Signed off in the app")
        MANDATE = "mandate", _("Signed mandate uploaded")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="nominations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="nominations"
    )
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("how"), max_length=20, choices=Method.choices, blank=True)
    signed_name = models.CharField(_("signed by (typed name)"), max_length=200, blank=True)
    mandate = models.FileField(_("signed mandate"), upload_to=mandate_upload_to, blank=True)

    class Meta:
        ordering = ("programme", "organisation", "email")
        constraints = [
            models.UniqueConstraint(fields=("programme", "email"), name="nomination_unique_email"),
            models.CheckConstraint(
                condition=Q(authorised_at__isnull=True) | ~Q(method=""),
                name="nomination_authorised_has_method",
            ),
        ]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"

    @property
    def is_authorised(self) -> bool:
        return self.authorised_at is not None


class SponsorCommitment(models.Model):
    """An organisation's answers to the mini-survey and its commitment of time and means."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sponsor_commitments"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sponsor_commitments"
    )
    learning_wants = models.TextField(
        _("What does your organisation want to learn from peers?"), blank=True
    )
    reform_context = models.TextField(
        _("Which reform or problem is this learning for?"), blank=True
    )
    time_committed = models.TextField(
        _("Time committed"),
        blank=True,
        help_text=_("For example: five working days for the event, two hours a month after."),
    )
    means_committed = models.TextField(
        _("Means committed for diffusion"),
        blank=True,
        help_text=_("For example: a report-back meeting with the department, travel costs."),
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_name = models.CharField(_("signed by (typed name)"), max_length=200, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("programme", "organisation")
        constraints = [
            models.UniqueConstraint(
                fields=("programme", "organisation"), name="sponsor_commitment_unique"
            )
        ]
        verbose_name = _("sponsor commitment")
        verbose_name_plural = _("sponsor commitments")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.programme}"


class ContractTemplate(models.Model):
    """The programme's commitment contract: the clauses every peer signs."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="contract_template"
    )
    working_together = models.TextField(_("Working together"))
    attending_meetings = models.TextField(_("Attending peer meetings"))
    communicating = models.TextField(_("Communicating regularly"))
    applying_at_home = models.TextField(_("Applying lessons at home"))
    sharing_forward = models.TextField(_("Sharing forward (optional)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commitment contract")
        verbose_name_plural = _("commitment contracts")

    def __str__(self) -> str:
        return f"{self.programme}: contract"


class ContractSignature(models.Model):
    """A peer's signature of the commitment contract, with the text they signed."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="contract_signature"
    )
    signed_name = models.CharField(_("typed name"), max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    clauses = models.JSONField(default=list, help_text=_("The clauses as they were signed."))
    shares_forward = models.BooleanField(_("I also commit to sharing forward"), default=False)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    countersigned_name = models.CharField(max_length=200, blank=True)
    countersigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-signed_at",)
        verbose_name = _("contract signature")
        verbose_name_plural = _("contract signatures")

    def __str__(self) -> str:
        return f"{self.signed_name} ({self.signed_at:%Y-%m-%d})"

    @property
    def programme(self) -> Programme:
        return self.membership.programme


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
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
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
    occurred_on = models.DateField(_("date"))
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
        indexes = [models.Index(fields=("programme", "occurred_on"))]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.logged_by} ↔ {self.with_user} ({self.occurred_on})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class KnowledgeTag(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="knowledge_tags"
    )
    name = models.CharField(_("tag"), max_length=60)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("programme", "name"), name="knowledge_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name


class KnowledgeProduct(models.Model):
    """A document or link in the programme's library: produced by peers, or from outside."""

    class Origin(models.TextChoices):
        PEER = "peer", _("Produced by peers")
        EXTERNAL = "external", _("External")
        COMMUNITY = "community", _("Community publication")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="knowledge_products"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    file = models.FileField(_("file"), upload_to=knowledge_upload_to, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    tags = models.ManyToManyField(KnowledgeTag, blank=True, related_name="products")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    view_count = models.PositiveIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="knowledge_product_file_or_link"
            )
        ]
        verbose_name = _("knowledge product")
        verbose_name_plural = _("knowledge products")

    def __str__(self) -> str:
        return self.title


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


class PeerImport(models.Model):
    """An uploaded list of peers, held between the preview and the commit."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        COMMITTED = "committed", _("Imported")
        REFUSED = "refused", _("Refused")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="peer_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    create_organisations = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("peer import")
        verbose_name_plural = _("peer imports")

    def __str__(self) -> str:
        return f"{self.filename} → {self.programme}"
