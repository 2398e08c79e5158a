"""Evaluation: instruments and their items, survey waves, responses, value-creation stories,
indicators and the audit trail of who viewed or exported evaluation data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from peerlearn.bounds import MAX_NUMBER, plausible_date, single_line
from peerlearn.visibility import Visibility

if TYPE_CHECKING:
    from programmes.models import Programme


def in_language(texts: Any, language: str | None = None) -> str:
    """The text of a ``{language: text}`` mapping in ``language`` (default: the active one),
    falling back to the base language (``fr-ca`` → ``fr``) and then to English."""
    if not isinstance(texts, dict):
        return str(texts or "")
    language = (language or translation.get_language() or "en").lower()
    for code in (language, language.split("-")[0], "en"):
        value = texts.get(code)
        if value:
            return str(value)
    return next((str(value) for value in texts.values() if value), "")


# A wave's reminders, and the bounds a question may set on a number answered.
MAX_REMINDERS = 20
MAX_REMINDER_GAP_DAYS = 365
NUMBER_BOUNDS = [MinValueValidator(-MAX_NUMBER), MaxValueValidator(MAX_NUMBER)]


class Cycle(models.TextChoices):
    """Wenger-Trayner value creation cycles (Annex 6)."""

    IMMEDIATE = "immediate", _("Immediate value")
    POTENTIAL = "potential", _("Potential value")
    APPLIED = "applied", _("Applied value")
    REALISED = "realised", _("Realised value")
    REFRAMING = "reframing", _("Reframing value")


class Instrument(models.Model):
    """A questionnaire. Built-in instruments have no programme and are shared by all.

    Instruments are versioned: ``family`` groups the versions, ``version`` counts them, and only
    one version per family is current. Editing an instrument that has answers makes a new version
    (see ``services.editable_version``), so the old answers keep pointing at the items they
    answered.
    """

    class Kind(models.TextChoices):
        VALUE_CREATION = "value_creation", _("Value creation cycles")
        STORY = "story", _("Value-creation story")
        ENGAGEMENT = "engagement", _("Continuing engagement")
        CONTACT = "contact", _("Peer contact")
        RUBRIC = "rubric", _("End-product rubric")
        NETWORK = "network", _("Network indicators")
        CUSTOM = "custom", _("Custom")

    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instruments",
    )
    key = models.SlugField(_("key"), max_length=60)
    family = models.SlugField(_("family"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("kind", "key", "-version")
        constraints = [
            models.UniqueConstraint(fields=("family", "version"), name="instrument_unique_version"),
            models.UniqueConstraint(
                fields=("family",),
                condition=Q(is_current=True),
                name="instrument_one_current_version",
            ),
            models.CheckConstraint(condition=Q(name__has_key="en"), name="instrument_name_en"),
        ]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def title(self) -> str:
        return in_language(self.name)

    @property
    def summary(self) -> str:
        return in_language(self.description)

    @property
    def is_builtin(self) -> bool:
        return self.programme_id is None


class Item(models.Model):
    """One question of an instrument."""

    class Kind(models.TextChoices):
        LIKERT = "likert", _("Agreement scale (1-5)")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        PEERS = "peers", _("Which peers")

    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("guidance"), default=dict, blank=True)
    # [{"value": "weekly", "label": {"en": "Weekly", "fr": "..."}}]; for Likert, the five labels.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    visibility = models.CharField(
        _("who may read the answer"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.FACILITATORS,
        help_text=_("Applies to free-text answers."),
    )
    min_value = models.FloatField(_("minimum"), null=True, blank=True, validators=NUMBER_BOUNDS)
    max_value = models.FloatField(_("maximum"), null=True, blank=True, validators=NUMBER_BOUNDS)
    cycle = models.CharField(_("value cycle"), max_length=20, choices=Cycle.choices, blank=True)
    cycle_part = models.CharField(_("part of the cycle"), max_length=2, blank=True)
    indicator = models.SlugField(_("indicator"), max_length=60, blank=True)

    class Meta:
        ordering = ("instrument", "position", "pk")
        constraints = [
            models.UniqueConstraint(fields=("instrument", "code"), name="item_unique_code"),
            models.CheckConstraint(condition=Q(text__has_key="en"), name="item_text_en"),
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.question

    @property
    def question(self) -> str:
        return in_language(self.text)

    @property
    def guidance(self) -> str:
        return in_language(self.help)

    @property
    def is_free_text(self) -> bool:
        return self.kind in self.TEXT_KINDS

    def options(self) -> list[tuple[str, str]]:
        """``(value, label)`` pairs in the reader's language (Likert: 1-5 with their labels)."""
        if self.kind == self.Kind.LIKERT:
            labels = [in_language(choice.get("label")) for choice in self.choices or []]
            if len(labels) != 5:
                labels = [str(label) for label in DEFAULT_LIKERT]
            return [(str(index + 1), label) for index, label in enumerate(labels)]
        return [(str(c.get("value")), in_language(c.get("label"))) for c in self.choices or []]


DEFAULT_LIKERT = (
    _("Strongly disagree"),
    _("Disagree"),
    _("Neither agree nor disagree"),
    _("Agree"),
    _("Strongly agree"),
)


class Wave(models.Model):
    """An instrument scheduled for a programme's cohort (or its whole programme)."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        END_OF_EVENT = "end_of_event", _("End of event")
        PLUS_3 = "plus_3", _("Three months after")
        PLUS_6 = "plus_6", _("Six months after")
        PLUS_12 = "plus_12", _("Twelve months after")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="waves"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="waves"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="waves")
    kind = models.CharField(_("moment"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    opens_on = models.DateField(_("opens on"), validators=[plausible_date])
    due_on = models.DateField(_("due on"), validators=[plausible_date])
    closes_on = models.DateField(_("closes on"), validators=[plausible_date])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most"), default=3, validators=[MaxValueValidator(MAX_REMINDERS)]
    )
    reminder_gap_days = models.PositiveSmallIntegerField(
        _("days between reminders"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REMINDER_GAP_DAYS)],
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("programme", "opens_on", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="wave_due_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("due_on")), name="wave_closes_after_due"
            ),
            models.CheckConstraint(condition=Q(reminder_gap_days__gte=1), name="wave_gap_1_day"),
        ]
        indexes = [models.Index(fields=("status", "opens_on"))]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")

    def __str__(self) -> str:
        return self.title


class Response(models.Model):
    """One person's answers to one wave. A draft until submitted; one per person per wave."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("wave", "pk")
        constraints = [
            models.UniqueConstraint(fields=("wave", "respondent"), name="response_one_per_wave"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="response_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=("wave", "status"))]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.respondent} — {self.wave}"

    @property
    def programme(self) -> Programme:
        return self.wave.programme


class Answer(models.Model):
    """The answer to one item. ``number`` holds Likert and numbers; ``text`` free text;
    ``choice`` a single choice; ``selected`` multiple choices (or peers' user ids).
    ``visibility`` is copied from the item when answering, so later changes to the item never
    widen who may read it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    number = models.FloatField(null=True, blank=True)
    choice = models.CharField(max_length=60, blank=True)
    text = models.TextField(blank=True)
    selected = models.JSONField(default=list, blank=True)
    visibility = models.CharField(max_length=20, choices=Visibility.choices)

    class Meta:
        ordering = ("response", "item__position")
        constraints = [
            models.UniqueConstraint(fields=("response", "item"), name="answer_one_per_item")
        ]
        indexes = [models.Index(fields=("item", "number"))]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.item.code}: {self.display()}"

    def display(self) -> str:
        labels = (
            dict(self.item.options())
            if self.item.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE)
            else {}
        )
        return answer_display(
            self.item.kind, labels, self.number, self.choice, self.selected, self.text
        )


def answer_display(
    kind: str, labels: dict[str, str], number: Any, choice: str, selected: Any, text: str
) -> str:
    """An answer as text: its number, the labels of the options chosen (``labels`` maps each
    option of the question to its label), the people chosen, or the text written."""
    if kind in (Item.Kind.LIKERT, Item.Kind.NUMBER):
        return "" if number is None else f"{number:g}"
    if kind == Item.Kind.SINGLE:
        return labels.get(choice, choice)
    if kind == Item.Kind.MULTIPLE:
        return ", ".join(labels.get(str(value), str(value)) for value in selected or [])
    if kind == Item.Kind.PEERS:
        return ", ".join(str(value) for value in selected or [])
    return text


class Story(models.Model):
    """A value-creation story: begun at an event, followed up later; read as one arc."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="stories"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="value_stories"
    )
    title = models.CharField(_("title"), max_length=200)
    event = models.CharField(_("event or activity"), max_length=200, blank=True)
    immediate_value = models.TextField(_("immediate value"))
    potential_value = models.TextField(_("potential value"))
    aspirational_ending = models.TextField(_("aspirational ending"))
    applied_value = models.TextField(_("applied value"), blank=True)
    realised_value = models.TextField(_("realised value"), blank=True)
    visibility = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.FACILITATORS,
    )
    follow_up_wave = models.ForeignKey(
        Wave, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    created_at = models.DateTimeField(default=timezone.now)
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "pk")
        verbose_name = _("value-creation story")
        verbose_name_plural = _("value-creation stories")

    def __str__(self) -> str:
        return self.title


class ImpactIndicator(models.Model):
    """A domain indicator tracked per country over time (e.g. a PEFA score); no attribution."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="impact_indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit or scale"), max_length=60, blank=True)

    class Meta:
        ordering = ("programme", "name")
        constraints = [
            models.UniqueConstraint(fields=("programme", "name"), name="impact_indicator_unique")
        ]
        verbose_name = _("impact indicator")
        verbose_name_plural = _("impact indicators")

    def __str__(self) -> str:
        return self.name


class ImpactObservation(models.Model):
    indicator = models.ForeignKey(
        ImpactIndicator, on_delete=models.CASCADE, related_name="observations"
    )
    country = models.CharField(_("country"), max_length=2)
    observed_on = models.DateField(_("observed on"), validators=[plausible_date])
    value = models.CharField(_("value"), max_length=60)

    class Meta:
        ordering = ("indicator", "country", "observed_on")
        constraints = [
            models.UniqueConstraint(
                fields=("indicator", "country", "observed_on"), name="impact_observation_unique"
            )
        ]
        verbose_name = _("impact observation")
        verbose_name_plural = _("impact observations")

    def __str__(self) -> str:
        return f"{self.indicator} {self.country} {self.observed_on}: {self.value}"

    @property
    def programme(self) -> Programme:
        return self.indicator.programme


class IndicatorSnapshot(models.Model):
    """The programme's indicators on one day, stored nightly so trends show."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="indicator_snapshots"
    )
    taken_on = models.DateField(_("taken on"))
    values = models.JSONField(default=dict)

    class Meta:
        ordering = ("programme", "-taken_on")
        constraints = [
            models.UniqueConstraint(fields=("programme", "taken_on"), name="snapshot_one_per_day")
        ]
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")

    def __str__(self) -> str:
        return f"{self.programme_id} {self.taken_on}"


class Reminder(models.Model):
    """An invitation or reminder email sent for a wave: at most one per person per wave per day."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("wave", "user", "sent_on"), name="reminder_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.sent_on}"


class ReminderOptOut(models.Model):
    """A person who asked, through the link in a reminder, for no more survey reminders."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("user", "programme"), name="optout_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.programme_id}"


class AccessRecord(models.Model):
    """Who viewed the dashboard or report, or exported evaluation data, and when."""

    class Action(models.TextChoices):
        DASHBOARD = "dashboard", _("Viewed the dashboard")
        REPORT = "report", _("Viewed the printable report")
        EXPORT = "export", _("Exported data")
        RESPONSE = "response", _("Read a survey response")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at",)
        indexes = [models.Index(fields=("programme", "-at"))]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ComparisonInvitee(models.Model):
    """A non-participant invited by email to answer a wave, as a comparison group (Experiment 4
    compared review participants with colleagues who had not taken part). Answers are kept
    with the invitation, by item code, and shown only in aggregate."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="comparison_invitees")
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the invitation email was last handed to the broker (a sweep hands it over again
    # while it waits).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("wave", "email")
        constraints = [
            models.UniqueConstraint(fields=("wave", "email"), name="comparison_invitee_unique")
        ]
        verbose_name = _("comparison group invitee")
        verbose_name_plural = _("comparison group invitees")

    def __str__(self) -> str:
        return f"{self.email} — {self.wave}"

    @property
    def programme(self) -> Programme:
        return self.wave.programme


class TheoryLink(models.Model):
    """An element of the programme's theory of change (its focal point, one of its influential
    variables or one of its assumptions, each a line of the text) linked to an indicator that
    shows whether it holds: a built-in tier indicator (by code) or an impact indicator."""

    class Element(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Focal point")
        VARIABLE = "variable", _("Influential variable")
        ASSUMPTION = "assumption", _("Assumption")

    class Expected(models.TextChoices):
        UP = "up", _("should rise")
        DOWN = "down", _("should fall")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="theory_links"
    )
    element = models.CharField(_("element"), max_length=20, choices=Element.choices)
    position = models.PositiveSmallIntegerField(default=0)  # the line of the element's text
    element_text = models.CharField(max_length=500)
    indicator_code = models.CharField(_("indicator"), max_length=60, blank=True)
    impact_indicator = models.ForeignKey(
        ImpactIndicator, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    expected = models.CharField(
        _("expected"), max_length=4, choices=Expected.choices, default=Expected.UP
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("programme", "element", "position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator_code="") & Q(impact_indicator__isnull=False))
                | (~Q(indicator_code="") & Q(impact_indicator__isnull=True)),
                name="theory_link_one_indicator",
            )
        ]
        verbose_name = _("theory-of-change indicator")
        verbose_name_plural = _("theory-of-change indicators")

    def __str__(self) -> str:
        return f"{self.element}:{self.position} → {self.indicator_code or self.impact_indicator_id}"


def export_upload_to(instance: ExportJob, filename: str) -> str:
    return f"evaluation/exports/{instance.programme_id}/{filename}"


class ExportJob(models.Model):
    """An export of a programme's responses or indicators written in the background, for the
    person who asked; its file is kept for ``EVALUATION_EXPORT_KEPT_DAYS`` days."""

    class Kind(models.TextChoices):
        RESPONSES = "responses", _("Responses")
        INDICATORS = "indicators", _("Indicators")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (spreadsheet programs, UTF-8)")
        XLSX = "xlsx", _("XLSX (Excel workbook)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    format = models.CharField(max_length=10, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=export_upload_to, blank=True, max_length=300)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=("programme", "requested_by", "-created_at")),
            models.Index(fields=("status", "created_at")),
        ]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def filename(self) -> str:
        return f"{self.kind}-programme-{self.programme_id}-{self.pk}.{self.format}"
