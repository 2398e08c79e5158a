"""Group life (stages 2-3): what a published group does together after matching.

The group's shared problem statement (every draft kept, one marked distilled when agreed), its
regular meeting slots and the meetings it held, its end product and the facilitator's rubric
score, the Blind Side board, pairs of peers planning site visits, sub-groups spun off across
groups that share a problem, the reminders already sent, and the reflection journal.

The tables keep the names they were created with (``matching_…`` and ``evaluation_…``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peerlearn.bounds import plausible_date
from peerlearn.visibility import Visibility

if TYPE_CHECKING:
    from programmes.models import Programme

RUBRIC_MIN = 1
RUBRIC_MAX = 4
DEFAULT_NO_CONTACT_WEEKS = 3


def product_upload_to(instance: EndProduct, filename: str) -> str:
    return f"group_products/{instance.group_id}/{filename}"


class GroupLifeSettings(models.Model):
    """A programme's settings for group life: when missing contact raises a flag."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="group_life_settings"
    )
    no_contact_weeks = models.PositiveSmallIntegerField(
        _("weeks without contact before a flag"),
        default=DEFAULT_NO_CONTACT_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )

    class Meta:
        db_table = "matching_grouplifesettings"
        verbose_name = _("group life settings")
        verbose_name_plural = _("group life settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(no_contact_weeks__gte=1), name="group_life_weeks_positive"
            )
        ]

    def __str__(self) -> str:
        return str(self.programme)


class GroupWorkspace(models.Model):
    """The shared state of one group: its distilled problem and whether it shows on the board."""

    group = models.OneToOneField(
        "matching.Group", on_delete=models.CASCADE, related_name="workspace"
    )
    distilled = models.ForeignKey(
        "ProblemDraft",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("distilled problem statement"),
    )
    distilled_at = models.DateTimeField(null=True, blank=True)
    distilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_progress_board = models.BooleanField(_("show our progress on the board"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "matching_groupworkspace"
        verbose_name = _("group workspace")
        verbose_name_plural = _("group workspaces")

    def __str__(self) -> str:
        return str(self.group)

    @property
    def programme(self) -> Programme:
        return self.group.programme


class ProblemDraft(models.Model):
    """One version of a group's shared problem statement. Versions are never edited."""

    group = models.ForeignKey(
        "matching.Group", on_delete=models.CASCADE, related_name="problem_drafts"
    )
    text = models.TextField(_("problem statement"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "matching_problemdraft"
        ordering = ("-created_at", "-pk")
        verbose_name = _("problem statement draft")
        verbose_name_plural = _("problem statement drafts")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def programme(self) -> Programme:
        return self.group.programme


class MeetingSlot(models.Model):
    """A regular meeting time of a group (for example every Tuesday at 09:00, online)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Every(models.IntegerChoices):
        DAY = 0, _("Every working day")
        WEEK = 1, _("Every week")
        TWO_WEEKS = 2, _("Every two weeks")
        FOUR_WEEKS = 4, _("Every four weeks")

    group = models.ForeignKey(
        "matching.Group", on_delete=models.CASCADE, related_name="meeting_slots"
    )
    every = models.PositiveSmallIntegerField(_("how often"), choices=Every.choices)
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=Weekday.choices, null=True, blank=True
    )
    time = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    starts_on = models.DateField(_("from"), validators=[plausible_date])
    location = models.CharField(_("place or link"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "matching_meetingslot"
        ordering = ("group", "weekday", "time")
        constraints = [
            models.CheckConstraint(
                condition=Q(every=0) | Q(weekday__isnull=False), name="meeting_slot_weekday"
            )
        ]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")

    def __str__(self) -> str:
        return f"{self.get_every_display()} {self.time:%H:%M}"

    @property
    def programme(self) -> Programme:
        return self.group.programme


class GroupMeeting(models.Model):
    """A meeting the group held (logged by a member or the facilitator)."""

    group = models.ForeignKey("matching.Group", on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"), validators=[plausible_date])
    notes = models.TextField(_("what we did"), blank=True, max_length=4000)
    activity = models.ForeignKey(
        "programmes.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "matching_groupmeeting"
        ordering = ("-held_on", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("group", "held_on"), name="group_meeting_one_per_day")
        ]
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")

    def __str__(self) -> str:
        return f"{self.group} {self.held_on}"

    @property
    def programme(self) -> Programme:
        return self.group.programme


class EndProduct(models.Model):
    """The group's end product (a file or a text) and the facilitator's rubric score."""

    group = models.OneToOneField(
        "matching.Group", on_delete=models.CASCADE, related_name="end_product"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True, max_length=20000)
    file = models.FileField(_("file"), upload_to=product_upload_to, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    new_ideas = models.PositiveSmallIntegerField(
        _("new peer-driven ideas"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RUBRIC_MIN), MaxValueValidator(RUBRIC_MAX)],
    )
    different_experiences = models.PositiveSmallIntegerField(
        _("use of different experiences"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RUBRIC_MIN), MaxValueValidator(RUBRIC_MAX)],
    )
    peer_interaction = models.PositiveSmallIntegerField(
        _("peer interaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RUBRIC_MIN), MaxValueValidator(RUBRIC_MAX)],
    )
    rubric_note = models.TextField(_("comment"), blank=True, max_length=2000)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "matching_endproduct"
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="end_product_has_title"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | (Q(**{f"{name}__gte": RUBRIC_MIN}) & Q(**{f"{name}__lte": RUBRIC_MAX})),
                    name=f"end_product_{name}_range",
                )
                for name in ("new_ideas", "different_experiences", "peer_interaction")
            ],
        ]
        verbose_name = _("end product")
        verbose_name_plural = _("end products")

    def __str__(self) -> str:
        return self.title

    @property
    def programme(self) -> Programme:
        return self.group.programme

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None

    @property
    def total_score(self) -> int | None:
        scores = (self.new_ideas, self.different_experiences, self.peer_interaction)
        return None if any(s is None for s in scores) else sum(s or 0 for s in scores)


class BlindSideNote(models.Model):
    """A note on a group's Blind Side board, in one of the four quadrants."""

    class Quadrant(models.TextChoices):
        KNOW_WE_KNOW = "know_know", _("We know that we know")
        KNOW_WE_DONT = "know_dont", _("We know that we don't know")
        DONT_KNOW_WE_KNOW = "dont_know", _("We don't know that we know")
        DONT_KNOW_WE_DONT = "dont_dont", _("We don't know that we don't know")

    group = models.ForeignKey(
        "matching.Group", on_delete=models.CASCADE, related_name="blind_side_notes"
    )
    quadrant = models.CharField(_("quadrant"), max_length=20, choices=Quadrant.choices)
    text = models.CharField(_("note"), max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "matching_blindsidenote"
        ordering = ("quadrant", "created_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(quadrant__in=["know_know", "know_dont", "dont_know", "dont_dont"]),
                name="blind_side_quadrant_valid",
            )
        ]
        verbose_name = _("Blind Side note")
        verbose_name_plural = _("Blind Side notes")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def programme(self) -> Programme:
        return self.group.programme


class PairRequest(models.Model):
    """A peer asks to pair with another; once accepted, the pair plans a site visit with a
    learning agenda before it and a reflection after it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pair_requests_sent"
    )
    requested_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pair_requests_received",
        verbose_name=_("pair with"),
    )
    purpose = models.TextField(_("why you want to pair"), max_length=2000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    visit = models.ForeignKey(
        "programmes.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site visit"),
    )
    learning_agenda = models.TextField(_("learning agenda"), blank=True, max_length=4000)
    reflection = models.TextField(_("reflection after the visit"), blank=True, max_length=4000)
    reflected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "matching_pairrequest"
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requested_by=models.F("requested_of")), name="pair_two_people"
            ),
            models.UniqueConstraint(
                fields=("programme", "requested_by", "requested_of"),
                condition=Q(status="pending"),
                name="pair_one_pending_request",
            ),
        ]
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")

    def __str__(self) -> str:
        return f"{self.requested_by} + {self.requested_of}"

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    def involves(self, user_id: int | None) -> bool:
        return user_id in (self.requested_by_id, self.requested_of_id)


class SubGroup(models.Model):
    """A sub-group the facilitator spins off across groups that share a problem."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    problem = models.TextField(_("shared problem"), max_length=2000)
    groups = models.ManyToManyField(
        "matching.Group", related_name="sub_groups", verbose_name=_("groups")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("members")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "matching_subgroup"
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("programme", "name"), name="sub_group_unique_name")
        ]
        verbose_name = _("cross-group sub-group")
        verbose_name_plural = _("cross-group sub-groups")

    def __str__(self) -> str:
        return self.name


class Nudge(models.Model):
    """A reminder email already sent: at most one per person, subject and day."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting reminder")
        REFLECTION = "reflection", _("Reflection reminder")
        VISIT_REFLECTION = "visit", _("Site visit reflection reminder")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_key = models.CharField(max_length=60)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "matching_nudge"
        ordering = ("-sent_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("user", "kind", "subject_key", "sent_on"), name="nudge_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.sent_on}"


# The reflection journal: what a peer learned, from whom, and how they will act on it.
# Each entry has its own visibility: a private entry is read by its author only; a group entry
# by the members of its group and the programme's facilitators; a facilitators entry by the
# facilitators. Facilitators can send a group a multi-peer reflection prompt.

JOURNAL_VISIBILITIES = (Visibility.PRIVATE, Visibility.GROUP, Visibility.FACILITATORS)


class ReflectionPrompt(models.Model):
    """A question a facilitator sends to a group for every member to reflect on."""

    group = models.ForeignKey(
        "matching.Group", on_delete=models.CASCADE, related_name="reflection_prompts"
    )
    question = models.TextField(_("question"), max_length=1000)
    due_on = models.DateField(_("answer by"), validators=[plausible_date])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "evaluation_reflectionprompt"
        ordering = ("-due_on", "-pk")
        verbose_name = _("reflection prompt")
        verbose_name_plural = _("reflection prompts")

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def programme(self) -> Programme:
        return self.group.programme


class ReflectionEntry(models.Model):
    """One entry of a peer's reflection journal."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    activity = models.ForeignKey(
        "programmes.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("activity"),
    )
    group = models.ForeignKey(
        "matching.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reflections",
        verbose_name=_("group"),
    )
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("peer"),
    )
    prompt = models.ForeignKey(
        ReflectionPrompt,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    learned = models.TextField(_("what I learned"), max_length=4000)
    from_whom = models.CharField(_("from whom"), max_length=300, blank=True)
    will_act = models.TextField(_("how I will act on it"), max_length=4000, blank=True)
    visibility = models.CharField(
        _("who may read it"), max_length=20, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "evaluation_reflectionentry"
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=[str(v) for v in JOURNAL_VISIBILITIES]),
                name="reflection_journal_visibility",
            ),
            models.CheckConstraint(
                condition=~Q(visibility="group") | Q(group__isnull=False),
                name="reflection_group_visibility_needs_group",
            ),
            models.CheckConstraint(condition=~Q(learned=""), name="reflection_has_text"),
        ]
        indexes = [models.Index(fields=("programme", "author"))]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return f"{self.author} {self.created_at:%Y-%m-%d}"

    @property
    def source(self) -> str:
        """From whom the lesson came, in words: the text typed, and the peer chosen unless the
        text already names them."""
        typed = self.from_whom.strip()
        if self.peer is None:
            return typed
        name = str(self.peer)
        if not typed or name.casefold() in typed.casefold():
            return typed or name
        return f"{typed} ({name})"


class SessionNote(models.Model):
    """A group's notes of a guided conversation (Case Clinic, Sensing Journeys, the Blind Side
    exercise) held at an activity, kept in its workspace."""

    group = models.ForeignKey(
        "matching.Group", on_delete=models.CASCADE, related_name="session_notes"
    )
    activity = models.ForeignKey(
        "programmes.Activity",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("activity"),
    )
    text = models.TextField(_("notes"), max_length=8000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("notes of a guided conversation")
        verbose_name_plural = _("notes of guided conversations")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def programme(self) -> Programme:
        return self.group.programme


# Discussions keep their models in their own module; Django finds them through this import.
from .discussions.models import (  # noqa: E402
    DiscussionPreference,
    Notification,
    Post,
    Reaction,
    Thread,
)

__all__ = [
    "BlindSideNote",
    "DiscussionPreference",
    "EndProduct",
    "GroupLifeSettings",
    "GroupMeeting",
    "GroupWorkspace",
    "MeetingSlot",
    "Notification",
    "Nudge",
    "PairRequest",
    "Post",
    "ProblemDraft",
    "Reaction",
    "ReflectionEntry",
    "ReflectionPrompt",
    "SessionNote",
    "SubGroup",
    "Thread",
]
# Comparing practice: the models live in ``group_life.assessments`` and are registered here.
from .assessments.models import (  # noqa: E402, F401
    AssessmentTool,
    Criterion,
    CriterionScore,
    Level,
    Review,
    ReviewComment,
    SelfAssessment,
)
from .placements.models import Placement, PlacementCheckIn  # noqa: E402, F401
