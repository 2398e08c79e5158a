"""Threads, posts, reactions, notifications and each person's choice of discussion emails.

A thread lives in exactly one space: a published group, an accepted pair, a cohort or a
cross-group sub-group of the programme. Its first post opens it; every later post is a reply.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

POST_MAX_LENGTH = 10_000


class Space(models.TextChoices):
    GROUP = "group", _("Group")
    PAIR = "pair", _("Pair")
    COHORT = "cohort", _("Cohort")
    SUB_GROUP = "sub_group", _("Cross-group sub-group")


SPACE_FIELDS = {
    Space.GROUP: "group",
    Space.PAIR: "pair",
    Space.COHORT: "cohort",
    Space.SUB_GROUP: "sub_group",
}


def _only(field: str) -> Q:
    """The space's own reference is set and every other one is empty."""
    condition = Q(**{f"{field}__isnull": False})
    for other in SPACE_FIELDS.values():
        if other != field:
            condition &= Q(**{f"{other}__isnull": True})
    return condition


class Thread(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="discussion_threads"
    )
    space = models.CharField(_("space"), max_length=20, choices=Space.choices)
    group = models.ForeignKey(
        "matching.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    pair = models.ForeignKey(
        "group_life.PairRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sub_group = models.ForeignKey(
        "group_life.SubGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(db_index=True)
    hidden = models.BooleanField(_("hidden by a facilitator"), default=False)
    locked = models.BooleanField(_("locked by a facilitator"), default=False)

    class Meta:
        ordering = ("-last_post_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=(Q(space="group") & _only("group"))
                | (Q(space="pair") & _only("pair"))
                | (Q(space="cohort") & _only("cohort"))
                | (Q(space="sub_group") & _only("sub_group")),
                name="discussion_thread_one_space",
            )
        ]
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """The opening of a thread or a reply, written in light Markdown (no raw HTML)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=POST_MAX_LENGTH)
    attachment = models.ForeignKey(
        "programmes.KnowledgeProduct",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("attachment from the knowledge library"),
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    is_opening = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("discussion post")
        verbose_name_plural = _("discussion posts")

    def __str__(self) -> str:
        return self.body[:60]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        USEFUL = "useful", _("Useful")
        SOLVED = "solved", _("This solved my problem")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("post", "user", "kind"), name="discussion_reaction_once"
            )
        ]
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")

    def __str__(self) -> str:
        return f"{self.kind} {self.post_id}"


class Notification(models.Model):
    """Something in a discussion for one person: shown in the app, emailed as they chose."""

    class Reason(models.TextChoices):
        NEW_THREAD = "new_thread", _("New thread in your space")
        REPLY = "reply", _("Reply in a thread you take part in")
        MENTION = "mention", _("You were mentioned")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_notes"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When the email of a notification to send at once was last handed to the broker (a sweep
    # hands it over again while it waits).
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("user", "post"), name="discussion_notification_once")
        ]
        indexes = [models.Index(fields=("user", "emailed_at"))]
        verbose_name = _("discussion notification")
        verbose_name_plural = _("discussion notifications")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reason}"


class EmailChoice(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    NEVER = "never", _("Never")


DEFAULT_EMAIL_CHOICE = EmailChoice.DAILY


class DiscussionPreference(models.Model):
    """How a person hears about discussions of one programme by email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    email = models.CharField(
        _("email me"), max_length=20, choices=EmailChoice.choices, default=DEFAULT_EMAIL_CHOICE
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("user", "programme"), name="discussion_preference_once")
        ]
        verbose_name = _("discussion email choice")
        verbose_name_plural = _("discussion email choices")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"
