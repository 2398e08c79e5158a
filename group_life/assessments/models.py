"""Assessment tools (criteria with levels and guidance), self-assessments by organisations,
their scores, and reviews by peers or experts with comments per criterion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AssessmentTool(models.Model):
    """A shared assessment product: a report card or a PEFA-like self-assessment."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="assessment_tools"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it assesses"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(fields=("programme", "name"), name="assessment_tool_name")
        ]
        verbose_name = _("assessment tool")
        verbose_name_plural = _("assessment tools")

    def __str__(self) -> str:
        return self.name

    @property
    def top_score(self) -> int:
        scores = [level.score for c in self.criteria.all() for level in c.levels.all()]
        return max(scores, default=0)


class Criterion(models.Model):
    tool = models.ForeignKey(AssessmentTool, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("criterion"), max_length=300)
    guidance = models.TextField(_("guidance for assessors"), blank=True, max_length=4000)

    class Meta:
        ordering = ("tool", "position", "pk")
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.title

    @property
    def programme_id(self) -> int:
        return self.tool.programme_id


class Level(models.Model):
    """One step of a criterion's scale, e.g. 1 "Not in place" ... 4 "Fully in place"."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField(_("score"))
    label = models.CharField(_("level"), max_length=200)
    description = models.TextField(_("what it looks like"), blank=True, max_length=2000)

    class Meta:
        ordering = ("criterion", "score")
        constraints = [
            models.UniqueConstraint(fields=("criterion", "score"), name="level_unique_score")
        ]

    def __str__(self) -> str:
        return f"{self.score} · {self.label}"


class SelfAssessment(models.Model):
    """An organisation's assessment of itself with a tool, in one round."""

    tool = models.ForeignKey(AssessmentTool, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    named_consent = models.BooleanField(
        _("show our organisation's name in the benchmark"),
        default=False,
        help_text=_("Otherwise others see your position under a letter only."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("tool", "round", "organisation__name")
        constraints = [
            models.UniqueConstraint(
                fields=("tool", "organisation", "round"), name="one_self_assessment_a_round"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="assessment_round_positive"),
        ]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"{self.tool} · {self.organisation_id} · {self.round}"

    @property
    def programme_id(self) -> int:
        return self.tool.programme_id

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CriterionScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000)

    class Meta:
        ordering = ("assessment", "criterion__position", "criterion_id")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "criterion"), name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Review(models.Model):
    """A peer's or an expert's review of another organisation's self-assessment."""

    class Kind(models.TextChoices):
        PEER = "peer", _("Peer review")
        EXPERT = "expert", _("Expert review")

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PEER)
    comment = models.TextField(_("overall comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessment_id}"

    @property
    def programme_id(self) -> int:
        return self.assessment.programme_id


class ReviewComment(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    suggested_score = models.PositiveSmallIntegerField(_("score you would give"), null=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ("review", "criterion__position", "criterion_id")

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.comment[:60]}"
