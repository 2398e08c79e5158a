"""Discussion emails: one notification at once, or the daily and weekly digests, each in the
recipient's language with a one-click link that stops them. Only threads the recipient may
still read are mentioned."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from peerlearn import mail, tokens
from peerlearn.jobs import hand_over_waiting

from . import markup, selectors
from .models import DEFAULT_EMAIL_CHOICE, DiscussionPreference, EmailChoice, Notification

DAILY_GAP = timedelta(hours=20)
WEEKLY_GAP = timedelta(days=6, hours=20)
DIGEST_SUBJECT = gettext_lazy("%(count)s new in the discussions of %(programme)s")
POST_SUBJECT = gettext_lazy("%(author)s in “%(title)s”")


def unsubscribe_token(user_id: int, programme_id: int) -> str:
    return tokens.DISCUSSION_UNSUBSCRIBE.make({"u": user_id, "p": programme_id})


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    data = tokens.DISCUSSION_UNSUBSCRIBE.read(token)
    if not data or not isinstance(data.get("u"), int) or not isinstance(data.get("p"), int):
        return None
    return data["u"], data["p"]


def _unsubscribe_headers(user_id: int, programme_id: int) -> tuple[str, dict[str, str]]:
    url = mail.absolute_url(
        reverse(
            "group_life:discussion_unsubscribe", args=[unsubscribe_token(user_id, programme_id)]
        )
    )
    return url, {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _item(note: Notification) -> dict[str, Any]:
    post = note.post
    return {
        "reason": Notification.Reason(note.reason).label,
        "reason_code": note.reason,
        "title": post.thread.title,
        "author": str(post.author) if post.author else "",
        "excerpt": markup.plain(post.body),
        "url": mail.absolute_url(
            reverse("group_life:thread", args=[post.thread_id]) + f"#post-{post.pk}"
        ),
    }


def _still_readable(note: Notification) -> bool:
    return selectors.threads_visible_to(note.user).filter(pk=note.post.thread_id).exists()


@transaction.atomic
def email_notification(notification_id: int) -> bool:
    """Email one notification now (the "immediately" choice); idempotent."""
    note = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("user", "post__thread__programme", "post__author")
        .filter(pk=notification_id, emailed_at=None, read_at=None)
        .first()
    )
    if note is None:
        return False
    if selectors.email_choice(note.user_id, note.programme_id) != EmailChoice.IMMEDIATELY:
        return False
    note.emailed_at = timezone.now()
    note.save(update_fields=["emailed_at"])
    if not _still_readable(note):
        return False
    url, headers = _unsubscribe_headers(note.user_id, note.programme_id)
    item = _item(note)
    mail.send_email(
        to=note.user,
        subject=POST_SUBJECT,
        subject_params={"author": item["author"], "title": item["title"]},
        template="group_life/email/discussion_post",
        context={
            "user": note.user,
            "item": item,
            "programme": note.post.thread.programme,
            "unsubscribe_url": url,
        },
        headers=headers,
    )
    return True


# A notification email the broker never took is handed over again QUEUE_GRACE after the post;
# one it took but that is still not sent REQUEUE_AFTER later (a lost message, or a mail server
# that kept refusing it) is handed over again, until GIVE_UP_AFTER after the post.
QUEUE_GRACE = timedelta(minutes=1)
REQUEUE_AFTER = timedelta(minutes=30)
GIVE_UP_AFTER = timedelta(days=2)


def queue_waiting_notifications(*, job: Any, now: datetime | None = None) -> int:
    """Periodic: hand to the broker the email (``job(notification id)``) of every unread
    notification to someone who chose to hear at once that waits for it. Returns how many were
    handed over."""
    chosen = DiscussionPreference.objects.filter(
        user=OuterRef("user"), programme=OuterRef("programme")
    )
    at_once = Q(Exists(chosen.filter(email=EmailChoice.IMMEDIATELY)))
    if DEFAULT_EMAIL_CHOICE == EmailChoice.IMMEDIATELY:
        at_once |= Q(~Exists(chosen))
    return hand_over_waiting(
        Notification.objects.filter(at_once, emailed_at__isnull=True, read_at__isnull=True),
        job,
        now=now or timezone.now(),
        grace=QUEUE_GRACE,
        requeue_after=REQUEUE_AFTER,
        give_up_after=GIVE_UP_AFTER,
    )


def _digest_due(choice: str, last: datetime | None, now: datetime) -> bool:
    if choice == EmailChoice.DAILY:
        return last is None or now - last >= DAILY_GAP
    if choice == EmailChoice.WEEKLY:
        return last is None or now - last >= WEEKLY_GAP
    return False


def send_digests(*, now: datetime | None = None) -> int:
    """Email each person whose daily or weekly digest is due the notifications not yet read
    or emailed, one email per person and programme. Returns the number of emails sent."""
    now = now or timezone.now()
    pending: dict[tuple[int, int], list[int]] = defaultdict(list)
    not_by_digest = DiscussionPreference.objects.filter(
        user=OuterRef("user"),
        programme=OuterRef("programme"),
        email__in=[EmailChoice.NEVER, EmailChoice.IMMEDIATELY],
    )
    for pk, user_id, programme_id in (
        Notification.objects.filter(emailed_at=None, read_at=None)
        .exclude(Exists(not_by_digest))
        .values_list("pk", "user_id", "programme_id")
    ):
        pending[(user_id, programme_id)].append(pk)
    sent = 0
    for (user_id, programme_id), ids in sorted(pending.items()):
        if send_digest(user_id=user_id, programme_id=programme_id, notification_ids=ids, now=now):
            sent += 1
    return sent


@transaction.atomic
def send_digest(
    *, user_id: int, programme_id: int, notification_ids: list[int], now: datetime
) -> bool:
    preference = (
        DiscussionPreference.objects.select_for_update()
        .filter(user_id=user_id, programme_id=programme_id)
        .first()
    )
    choice = preference.email if preference else selectors.email_choice(user_id, programme_id)
    last = preference.last_digest_at if preference else None
    if not _digest_due(choice, last, now):
        return False
    notes = list(
        Notification.objects.select_for_update(of=("self",))
        .filter(pk__in=notification_ids, emailed_at=None, read_at=None)
        .select_related("user", "post__thread__programme", "post__author")
        .order_by("created_at", "pk")
    )
    readable = [note for note in notes if _still_readable(note)]
    Notification.objects.filter(pk__in=[note.pk for note in notes]).update(emailed_at=now)
    DiscussionPreference.objects.update_or_create(
        user_id=user_id,
        programme_id=programme_id,
        defaults={"email": choice, "last_digest_at": now},
    )
    if not readable:
        return False
    user = readable[0].user
    programme = readable[0].post.thread.programme
    url, headers = _unsubscribe_headers(user_id, programme_id)
    mail.send_email(
        to=user,
        subject=DIGEST_SUBJECT,
        subject_params={"count": len(readable), "programme": programme.name},
        template="group_life/email/discussion_digest",
        context={
            "user": user,
            "programme": programme,
            "items": [_item(note) for note in readable],
            "weekly": choice == EmailChoice.WEEKLY,
            "unsubscribe_url": url,
            "settings_url": mail.absolute_url(
                reverse("group_life:discussion_settings", args=[programme_id])
            ),
        },
        headers=headers,
    )
    return True
