"""Matching: intake surveys and answers, challenges and problem themes, matching runs, groups,
move requests and the audit trail of every move."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from programmes.models import Programme


MIN_CHALLENGES = 3
CHALLENGE_MAX_LENGTH = 300


class Factor(models.TextChoices):
    """Matching factors a facilitator may ask in the intake survey (challenges are always asked)."""

    GOALS = "goals", _("Goals")
    TASK_AREA = "task_area", _("Task or policy area")
    ROLE = "role", _("Formal role")
    SENIORITY = "seniority", _("Seniority")
    CAREER_LEVEL = "career_level", _("Career level")
    EDUCATION = "education", _("Education")
    AFFILIATION = "affiliation", _("Professional affiliation")
    CONTEXT = "context", _("Country or region context")
    INFLUENCE = "influence", _("Degree of influence over reform")
    STAGE = "stage", _("Stage on the implementation pathway")
    LANGUAGES = "languages", _("Languages spoken")


def default_factors() -> list[str]:
    return [str(value) for value in Factor.values]


class IntakeSurvey(models.Model):
    """The intake survey of one cohort, and the problem themes distilled from its answers."""

    cohort = models.OneToOneField(
        "programmes.Cohort", on_delete=models.CASCADE, related_name="intake_survey"
    )
    factors = models.JSONField(_("factors asked"), default=default_factors)
    introduction = models.TextField(_("introduction"), blank=True)
    themes_accepted_at = models.DateTimeField(_("themes accepted at"), null=True, blank=True)
    # Every change to the themes (names or statements) counts one revision. ``current_set`` is
    # the version the themes were last replaced by; while ``themes_revision`` still equals
    # ``current_set_revision`` the themes are exactly that version, otherwise they were edited.
    themes_revision = models.PositiveIntegerField(default=0)
    themes_edited_at = models.DateTimeField(null=True, blank=True)
    themes_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_set = models.ForeignKey(
        "ThemeSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_set_revision = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intake survey")
        verbose_name_plural = _("intake surveys")

    def __str__(self) -> str:
        return str(_("Intake of %(cohort)s") % {"cohort": self.cohort})

    @property
    def programme(self) -> Programme:
        return self.cohort.programme

    def asks(self, factor: str) -> bool:
        return factor in (self.factors or [])

    @property
    def themes_edited(self) -> bool:
        """The themes were changed by hand since they were last replaced by a version."""
        return self.current_set_id is not None and self.themes_revision != self.current_set_revision


class IntakeResponse(models.Model):
    """One peer's intake answers: ``answers`` as last submitted, ``draft`` as being typed."""

    survey = models.ForeignKey(IntakeSurvey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_responses"
    )
    answers = models.JSONField(default=dict, blank=True)
    draft = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("survey", "user__email")
        constraints = [
            models.UniqueConstraint(fields=("survey", "user"), name="intake_response_unique")
        ]
        verbose_name = _("intake response")
        verbose_name_plural = _("intake responses")

    def __str__(self) -> str:
        return f"{self.user} — {self.survey}"

    @property
    def programme(self) -> Programme:
        return self.survey.cohort.programme

    @property
    def is_complete(self) -> bool:
        return self.submitted_at is not None


class Theme(models.Model):
    """A problem theme of a cohort: a named cluster of similar challenge statements."""

    survey = models.ForeignKey(IntakeSurvey, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=("survey", "name"), name="theme_unique_name")]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def programme(self) -> Programme:
        return self.survey.cohort.programme


class Challenge(models.Model):
    """A self-nominated challenge statement of a peer, and the theme it was distilled into."""

    response = models.ForeignKey(
        IntakeResponse, on_delete=models.CASCADE, related_name="challenges"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("challenge"), max_length=CHALLENGE_MAX_LENGTH)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="challenges"
    )
    # ISO 639-1 code found by the theme pipeline ("und" when it cannot tell); empty until the
    # statement's vector is computed.
    language = models.CharField(_("language"), max_length=12, blank=True)

    class Meta:
        ordering = ("response", "position")
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self) -> str:
        return self.text

    @property
    def programme(self) -> Programme:
        return self.response.survey.cohort.programme


class ChallengeVector(models.Model):
    """The theme pipeline's vector of one statement (its language, sentence embedding and
    concepts): computed once, when the statement is submitted, and reused by every proposal and
    assignment. ``version`` names the encoder and lexicon; a vector of another version is
    computed again."""

    challenge = models.OneToOneField(
        Challenge, primary_key=True, on_delete=models.CASCADE, related_name="vector"
    )
    version = models.CharField(max_length=100)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("statement vector")
        verbose_name_plural = _("statement vectors")

    def __str__(self) -> str:
        return f"{self.challenge_id} ({self.version})"


class ThemeSet(models.Model):
    """A version of a cohort's problem themes: a proposal of the theme pipeline (queued,
    running, then ready to compare with the themes in use), or themes the cohort had, kept
    when they were replaced so that they can be compared and brought back.

    ``themes`` is ``[{"name", "challenges": [ids], "concepts": [...], "seed": index or null}]``.
    """

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CURATED = "curated", _("Curated")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        READY = "ready", _("Ready to compare")
        SAVED = "saved", _("Saved")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("Failed")

    survey = models.ForeignKey(IntakeSurvey, on_delete=models.CASCADE, related_name="theme_sets")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    parameters = models.JSONField(default=dict, blank=True)
    themes = models.JSONField(default=list, blank=True)
    theme_count = models.PositiveIntegerField(default=0)
    statement_count = models.PositiveIntegerField(default=0)
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the proposal's job was last handed to the broker (a sweep hands it over again while
    # it waits).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("survey", "-number")
        constraints = [
            models.UniqueConstraint(fields=("survey", "number"), name="theme_set_unique_number"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1),
                name="theme_set_progress_range",
            ),
        ]
        verbose_name = _("theme version")
        verbose_name_plural = _("theme versions")

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})

    @property
    def programme(self) -> Programme:
        return self.survey.cohort.programme

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int:
        return round(self.progress * 100)


class ThemeModelState(models.Model):
    """The fitted theme model of a cohort's themes in use, with which late statements are
    assigned: fitted from the stored statement vectors, dropped whenever statements change
    theme (and fitted again when the next late statement arrives)."""

    survey = models.OneToOneField(
        IntakeSurvey, primary_key=True, on_delete=models.CASCADE, related_name="theme_model"
    )
    version = models.CharField(max_length=100)
    theme_ids = models.JSONField(default=list)
    data = models.JSONField()
    fitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("theme model")
        verbose_name_plural = _("theme models")

    def __str__(self) -> str:
        return f"{self.survey_id} ({self.version})"


class MatchingRun(models.Model):
    """One run of the grouping engine on a cohort: its parameters, progress, score and report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(
        "programmes.Cohort", on_delete=models.CASCADE, related_name="matching_runs"
    )
    number = models.PositiveIntegerField(_("number in the cohort"), default=0)
    strategy = models.CharField(_("strategy"), max_length=20)
    options = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    score = models.FloatField(_("score"), null=True, blank=True)
    total = models.FloatField(null=True, blank=True)
    report = models.JSONField(_("constraint report"), default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    peer_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # When the run was handed to the task broker (empty: waiting for the broker to answer), and
    # the last sign of life of the worker running it.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_placement_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("cohort",),
                condition=Q(published_at__isnull=False),
                name="matching_one_published_run_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1),
                name="matching_run_progress_range",
            ),
        ]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """ "Run 2 of cohort A": runs are counted per cohort."""
        return str(
            _("Run %(number)s of %(cohort)s")
            % {"number": self.number or self.pk, "cohort": self.cohort.name}
        )

    @property
    def programme(self) -> Programme:
        return self.cohort.programme

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_waiting(self) -> bool:
        """Queued, but not yet handed to a worker: the task broker could not be reached."""
        return self.status == self.Status.QUEUED and self.dispatched_at is None

    @property
    def status_label(self) -> str:
        if self.is_waiting:
            return str(_("Waiting to start"))
        return str(self.get_status_display())

    @property
    def progress_percent(self) -> int:
        return round(self.progress * 100)

    @property
    def report_issues(self) -> list[dict[str, Any]]:
        return list((self.report or {}).get("issues", []))


class Group(models.Model):
    """A group proposed by a matching run (and, once the run is published, a working group)."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="groups")
    label = models.CharField(_("label"), max_length=40)
    score = models.FloatField(default=0.0)
    normalised_score = models.FloatField(default=0.0)
    explanation = models.JSONField(default=dict, blank=True)
    shared_themes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("run", "label")
        constraints = [models.UniqueConstraint(fields=("run", "label"), name="group_unique_label")]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return str(_("Group %(label)s") % {"label": self.label})

    @property
    def programme(self) -> Programme:
        return self.run.cohort.programme

    @property
    def explanation_text(self) -> str:
        """Why the members are together, with organisations and countries named."""
        from .explanations import readable

        return readable(self.explanation)


class GroupMember(models.Model):
    """A peer's place in a group of a run. A peer is in at most one group per run."""

    class Source(models.TextChoices):
        MATCHED = "matched", _("Matched")
        MOVED = "moved", _("Moved")
        LATE_JOINER = "late", _("Late joiner")
        REPLACEMENT = "replacement", _("Replacement")

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="members")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_places"
    )
    locked = models.BooleanField(_("locked"), default=False)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MATCHED)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("group", "user__full_name", "user__email")
        constraints = [
            models.UniqueConstraint(fields=("run", "user"), name="group_member_one_per_run")
        ]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return f"{self.user} — {self.group}"

    @property
    def programme(self) -> Programme:
        return self.run.cohort.programme


class GroupMove(models.Model):
    """The audit trail: every change of a peer's group, by whom, when, from, to and why."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("Moved during review")
        REQUEST = "request", _("Moved on the peer's request")
        LATE_JOINER = "late", _("Late joiner placed")
        LEFT = "left", _("Left the group")
        REPLACEMENT = "replacement", _("Replacement")

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="moves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_label = models.CharField(max_length=40, blank=True)
    to_label = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    after_publication = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("group move")
        verbose_name_plural = _("group moves")

    def __str__(self) -> str:
        return f"{self.user}: {self.from_label or '—'} → {self.to_label or '—'}"

    @property
    def programme(self) -> Programme:
        return self.run.cohort.programme


class MoveRequest(models.Model):
    """A peer's request to move out of their published group, with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the facilitator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="move_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="move_requests"
    )
    from_group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    wanted_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("run", "user"),
                condition=Q(status="pending"),
                name="move_request_one_pending",
            )
        ]
        verbose_name = _("move request")
        verbose_name_plural = _("move requests")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"

    @property
    def programme(self) -> Programme:
        return self.run.cohort.programme


class PublicationNotice(models.Model):
    """What a peer is told when their group is published (in the app and by email), and when
    they opened it."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="notices")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_notices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    class Meta:
        ordering = ("run", "user__full_name", "user__email")
        constraints = [
            models.UniqueConstraint(fields=("run", "user"), name="publication_notice_once")
        ]
        verbose_name = _("publication notice")
        verbose_name_plural = _("publication notices")

    def __str__(self) -> str:
        return f"{self.user} — {self.group}"

    @property
    def programme(self) -> Programme:
        return self.run.cohort.programme


class Seniority(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    MID = "mid", _("Mid-level")
    SENIOR = "senior", _("Senior")
    EXECUTIVE = "executive", _("Executive")


class CareerLevel(models.TextChoices):
    EARLY = "early", _("Early career")
    MID = "mid", _("Mid career")
    LATE = "late", _("Late career")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")
    OTHER = "other", _("Other")


class Influence(models.TextChoices):
    LOW = "low", _("I can suggest changes")
    SOME = "some", _("I shape decisions in my unit")
    HIGH = "high", _("I decide on or lead the reform")


class Stage(models.TextChoices):
    EXPLORING = "exploring", _("Exploring the problem")
    DESIGNING = "designing", _("Designing a solution")
    PILOTING = "piloting", _("Piloting")
    SCALING = "scaling", _("Scaling up")
    SUSTAINING = "sustaining", _("Sustaining the change")
