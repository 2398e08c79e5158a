"""The shared learning agenda: propose, comment and vote on topics; the facilitator turns a
topic into an activity; short polls."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..conversation_tools import Tool
from ..models import AgendaTopic, Poll, PollOption, PollVote, TopicComment, TopicVote
from .activities import schedule_activity
from .errors import StageOneError

if TYPE_CHECKING:
    from peerlearn.users.models import User

    from ..models import Activity, Programme

MAX_POLL_OPTIONS = 10


@transaction.atomic
def propose_topic(
    *, programme: Programme, proposed_by: User, title: str, description: str = ""
) -> AgendaTopic:
    title = " ".join(title.split())
    if not title:
        raise StageOneError(_("Name the topic."), field="title")
    if AgendaTopic.objects.filter(programme=programme, title__iexact=title).exists():
        raise StageOneError(
            _("This topic is already on the agenda: vote for it instead."), field="title"
        )
    topic = AgendaTopic.objects.create(
        programme=programme,
        title=title[:200],
        description=description.strip(),
        proposed_by=proposed_by,
    )
    TopicVote.objects.create(topic=topic, user=proposed_by)
    return topic


@transaction.atomic
def comment_on_topic(*, topic: AgendaTopic, author: User, text: str) -> TopicComment:
    text = text.strip()
    if not text:
        raise StageOneError(_("Write a comment first."), field="text")
    return TopicComment.objects.create(topic=topic, author=author, text=text)


@transaction.atomic
def toggle_topic_vote(*, topic: AgendaTopic, user: User) -> bool:
    """Vote for the topic, or take the vote back; ``True`` when the vote now stands."""
    deleted, _rows = TopicVote.objects.filter(topic=topic, user=user).delete()
    if deleted:
        return False
    TopicVote.objects.create(topic=topic, user=user)
    return True


@transaction.atomic
def schedule_topic(
    *,
    topic: AgendaTopic,
    by: User,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
) -> Activity:
    """Turn an agreed topic into an activity of the programme (once)."""
    if topic.activity_id is not None:
        raise StageOneError(_("This topic is already an activity."))
    activity = schedule_activity(
        programme=topic.programme,
        created_by=by,
        kind=kind,
        title=topic.title,
        starts_at=starts_at,
        ends_at=ends_at,
        description=topic.description,
        location=location,
    )[0]
    topic.activity = activity
    topic.status = AgendaTopic.Status.SCHEDULED
    topic.save(update_fields=["activity", "status"])
    return activity


@transaction.atomic
def create_poll(
    *,
    programme: Programme,
    created_by: User,
    question: str,
    options: list[str],
    closes_on: date | None = None,
) -> Poll:
    question = question.strip()
    labels: list[str] = []
    for label in options:
        label = " ".join(label.split())
        if label and label.casefold() not in {seen.casefold() for seen in labels}:
            labels.append(label[:200])
    if not question:
        raise StageOneError(_("Ask a question."), field="question")
    if not 2 <= len(labels) <= MAX_POLL_OPTIONS:
        raise StageOneError(
            _("Give between 2 and %(n)s different options, one a line.") % {"n": MAX_POLL_OPTIONS},
            field="options",
        )
    if closes_on is not None and closes_on < timezone.localdate():
        raise StageOneError(_("A poll cannot close in the past."), field="closes_on")
    poll = Poll.objects.create(
        programme=programme, question=question, closes_on=closes_on, created_by=created_by
    )
    PollOption.objects.bulk_create([PollOption(poll=poll, label=label) for label in labels])
    return poll


@transaction.atomic
def answer_poll(*, poll: Poll, option_id: int, user: User) -> PollVote:
    """Answer the poll, or change one's answer while it is open."""
    if poll.closes_on is not None and poll.closes_on < timezone.localdate():
        raise StageOneError(_("This poll is closed."))
    option = poll.options.filter(pk=option_id).first()
    if option is None:
        raise StageOneError(_("Choose one of the poll's options."), field="option")
    try:
        vote, _created = PollVote.objects.update_or_create(
            poll=poll, user=user, defaults={"option": option}
        )
    except IntegrityError as error:
        raise StageOneError(_("Your answer could not be saved; try again.")) from error
    return vote


@transaction.atomic
def attach_conversation_tool(*, activity: Activity, tool: str) -> Activity:
    """Attach a guided conversation (or none) to an activity; its guide shows on the activity
    and groups keep their notes of it in their workspace."""
    if tool and tool not in Tool.values:
        raise StageOneError(_("Choose one of the guided conversations."), field="tool")
    activity.conversation_tool = tool
    activity.save(update_fields=["conversation_tool"])
    return activity
