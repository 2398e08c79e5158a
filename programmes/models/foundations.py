"""A programme's foundations: theory of change, learning objectives (the programme's and each
peer's), the set-up checklist and the working groups of a cohort."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .programme import Cohort, Membership, Programme


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
            # One working group per name in a cohort, whatever the case of its letters.
            models.UniqueConstraint(
                Lower("name"),
                "cohort",
                name="working_group_unique_name_ci",
                violation_error_message=_("There is already a working group with this name."),
            )
        ]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name

    @property
    def programme(self) -> Programme:
        return self.cohort.programme
