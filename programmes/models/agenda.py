"""The network's shared learning agenda: topics members propose, comment on and vote for, which
the facilitator turns into activities; and short polls to consult members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .activities import Activity
from .programme import Programme


class AgendaTopic(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SCHEDULED = "scheduled", _("Turned into an activity")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="agenda_topics")
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what we would learn"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("programme", "title"), name="agenda_topic_unique")
        ]
        verbose_name = _("learning agenda topic")
        verbose_name_plural = _("learning agenda topics")

    def __str__(self) -> str:
        return self.title


class TopicComment(models.Model):
    topic = models.ForeignKey(AgendaTopic, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("topic comment")
        verbose_name_plural = _("topic comments")

    def __str__(self) -> str:
        return self.text[:60]


class TopicVote(models.Model):
    topic = models.ForeignKey(AgendaTopic, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("topic", "user"), name="agenda_vote_once")]
        verbose_name = _("topic vote")
        verbose_name_plural = _("topic votes")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.topic_id}"


class Poll(models.Model):
    """A short consultation of the members: one question, a few options, one answer each."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(_("question"), max_length=300)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")

    def __str__(self) -> str:
        return self.label


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=("poll", "user"), name="poll_vote_once")]
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.option_id}"
