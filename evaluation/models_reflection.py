"""The reflection journal: what a peer learned, from whom, and how they will act on it.

Each entry has its own visibility. A private entry is read by its author only; a group entry
by the members of its group and the programme's facilitators; a facilitators entry by the
facilitators. Facilitators can send a group a multi-peer reflection prompt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matching.models import Group
from programmes.models import Activity, Programme

from .models import Visibility

JOURNAL_VISIBILITIES = (Visibility.PRIVATE, Visibility.GROUP, Visibility.FACILITATORS)


class ReflectionPrompt(models.Model):
    """A question a facilitator sends to a group for every member to reflect on."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="reflection_prompts")
    question = models.TextField(_("question"), max_length=1000)
    due_on = models.DateField(_("answer by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("activity"),
    )
    group = models.ForeignKey(
        Group,
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


__all__ = ["JOURNAL_VISIBILITIES", "ReflectionEntry", "ReflectionPrompt"]
