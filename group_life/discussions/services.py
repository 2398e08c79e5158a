"""Writes of discussions: threads, replies, reactions, moderation, notifications and their
emails (at once, as a daily or weekly digest, or never), in each person's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.errors import ServiceError
from peerlearn.jobs import enqueue_row_on_commit
from peerlearn.roles import Role, roles_in

from . import markup, selectors
from .models import (
    POST_MAX_LENGTH,
    DiscussionPreference,
    EmailChoice,
    Notification,
    Post,
    Reaction,
    Thread,
)

if TYPE_CHECKING:
    from peerlearn.users.models import User
    from programmes.models import KnowledgeProduct, Programme


class DiscussionError(ServiceError):
    pass


def _is_facilitator(user: User, programme: Programme) -> bool:
    return bool(user.is_superuser or Role.FACILITATOR in roles_in(user, programme))


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise DiscussionError(_("Write a message first."), field="body")
    if len(body) > POST_MAX_LENGTH:
        raise DiscussionError(
            _("A message has at most %(n)s characters.") % {"n": POST_MAX_LENGTH}, field="body"
        )
    return body


def _check_attachment(programme: Programme, attachment: KnowledgeProduct | None) -> None:
    if attachment is not None and attachment.programme_id != programme.pk:
        raise DiscussionError(
            _("Attach a document of this programme's library."), field="attachment"
        )


@transaction.atomic
def start_thread(
    *,
    programme: Programme,
    author: User,
    space: selectors.SpaceChoice,
    title: str,
    body: str,
    attachment: KnowledgeProduct | None = None,
) -> Thread:
    """Open a thread in one of the author's spaces (``space`` from :func:`spaces_for`)."""
    allowed = {choice.key for choice in selectors.spaces_for(author, programme)}
    if space.key not in allowed:
        raise DiscussionError(_("You cannot start a thread there."), field="space")
    title = title.strip()
    if not title:
        raise DiscussionError(_("Give the thread a title."), field="title")
    body = _clean_body(body)
    _check_attachment(programme, attachment)
    now = timezone.now()
    thread = Thread(
        programme=programme, space=space.space, title=title[:200], author=author, last_post_at=now
    )
    setattr(thread, f"{space.space}", space.obj)
    thread.save()
    post = Post.objects.create(
        thread=thread, author=author, body=body, attachment=attachment, is_opening=True
    )
    mentions = _record_mentions(post)
    others = selectors.space_member_ids(thread) - {author.pk}
    _notify(post, {person.pk for person in mentions}, Notification.Reason.MENTION)
    _notify(post, others, Notification.Reason.NEW_THREAD)
    return thread


@transaction.atomic
def reply(
    *, thread: Thread, author: User, body: str, attachment: KnowledgeProduct | None = None
) -> Post:
    if thread.locked and not _is_facilitator(author, thread.programme):
        raise DiscussionError(_("This thread is locked: no more replies."))
    body = _clean_body(body)
    _check_attachment(thread.programme, attachment)
    participants = selectors.participant_ids(thread)
    post = Post.objects.create(thread=thread, author=author, body=body, attachment=attachment)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    mentions = _record_mentions(post)
    _notify(post, {person.pk for person in mentions} - {author.pk}, Notification.Reason.MENTION)
    _notify(post, participants - {author.pk}, Notification.Reason.REPLY)
    return post


def _record_mentions(post: Post) -> list[Any]:
    people = markup.mentioned(post.body, selectors.mentionable(post.thread))
    people = [person for person in people if person.pk != post.author_id]
    if people:
        post.mentions.add(*people)
    return people


def _notify(post: Post, user_ids: set[int], reason: str) -> None:
    """One notification per person and post (a mention wins over the other reasons); the
    people who chose "immediately" get their email once the post is saved."""
    existing = set(Notification.objects.filter(post=post).values_list("user_id", flat=True))
    created = Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id, programme_id=post.thread.programme_id, post=post, reason=reason
            )
            for user_id in sorted(user_ids - existing)
        ]
    )
    immediate = [
        note
        for note in Notification.objects.filter(post=post, user_id__in=[n.user_id for n in created])
        if selectors.email_choice(note.user_id, post.thread.programme_id) == EmailChoice.IMMEDIATELY
    ]
    if immediate:
        from ..tasks import email_discussion_notification

        for note in immediate:
            enqueue_row_on_commit(email_discussion_notification, note)


@transaction.atomic
def react(*, post: Post, user: User, kind: str) -> bool:
    """Turn the user's reaction on or off; ``True`` when it is now on. Marking one's own post
    as having solved one's problem makes no sense and is refused."""
    if kind not in Reaction.Kind.values:
        raise DiscussionError(_("Choose a reaction."))
    if post.author_id == user.pk:
        raise DiscussionError(_("React to someone else's message."))
    existing = Reaction.objects.filter(post=post, user=user, kind=kind)
    if existing.exists():
        existing.delete()
        return False
    Reaction.objects.create(post=post, user=user, kind=kind)
    return True


# Moderation


def _moderator(user: User, thread: Thread) -> None:
    if not _is_facilitator(user, thread.programme):
        raise DiscussionError(_("Only a facilitator moderates discussions."))


@transaction.atomic
def set_hidden(*, thread: Thread, by: User, hidden: bool) -> Thread:
    _moderator(by, thread)
    thread.hidden = hidden
    thread.save(update_fields=["hidden"])
    return thread


@transaction.atomic
def set_locked(*, thread: Thread, by: User, locked: bool) -> Thread:
    _moderator(by, thread)
    thread.locked = locked
    thread.save(update_fields=["locked"])
    return thread


@transaction.atomic
def move_thread(*, thread: Thread, by: User, to: selectors.SpaceChoice) -> Thread:
    """Move a thread to another space of the same programme."""
    _moderator(by, thread)
    if to.key not in {choice.key for choice in selectors.spaces_for(by, thread.programme)}:
        raise DiscussionError(_("Choose a space of this programme."), field="space")
    for field in ("group", "pair", "cohort", "sub_group"):
        setattr(thread, field, None)
    thread.space = to.space
    setattr(thread, to.space, to.obj)
    thread.save()
    return thread


# Notifications and their emails


@transaction.atomic
def mark_read(*, user: User, programme: Programme, thread: Thread | None = None) -> int:
    notes = Notification.objects.filter(user=user, programme=programme, read_at=None)
    if thread is not None:
        notes = notes.filter(post__thread=thread)
    return notes.update(read_at=timezone.now())


@transaction.atomic
def set_email_choice(*, user_id: int, programme_id: int, email: str) -> DiscussionPreference:
    if email not in EmailChoice.values:
        raise DiscussionError(_("Choose how often to hear about discussions."), field="email")
    preference, _created = DiscussionPreference.objects.update_or_create(
        user_id=user_id, programme_id=programme_id, defaults={"email": email}
    )
    return preference


def space_for_key(user: User, programme: Programme, key: str) -> selectors.SpaceChoice:
    for choice in selectors.spaces_for(user, programme):
        if choice.key == key:
            return choice
    raise DiscussionError(_("Choose one of your spaces."), field="space")
