"""Reads of discussions, scoped to the person: a thread is read only by the people of its
space (and the programme's facilitators), on every page, in search, in the API and in exports.

A peer reads the threads of their published group, their accepted pairs, their cohort and
their cross-group sub-groups; managers and sponsors read none (the content is the peers'); a
thread hidden by a facilitator is read by facilitators only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from matching import selectors as matching
from peerlearn.aggregates import scalar
from peerlearn.roles import Role
from programmes import selectors as programmes

from ..models import PairRequest, SubGroup
from .models import (
    DEFAULT_EMAIL_CHOICE,
    DiscussionPreference,
    Notification,
    Post,
    Reaction,
    Space,
    Thread,
)

if TYPE_CHECKING:
    from programmes.models import Programme


def _staff_programmes(user: Any) -> Any:
    return programmes.programme_ids_where(user, Role.FACILITATOR)


def _space_of_user(user: Any) -> Q:
    """Threads of the spaces ``user`` belongs to, in any programme."""
    pairs = PairRequest.objects.filter(
        Q(requested_by=user) | Q(requested_of=user), status=PairRequest.Status.ACCEPTED
    ).values("pk")
    cohorts = (
        programmes.all_memberships()
        .filter(user=user, role=Role.PEER, cohort__isnull=False)
        .values("cohort_id")
    )
    sub_groups = SubGroup.objects.filter(members=user).values("pk")
    return (
        Q(space=Space.GROUP, group__in=matching.published_group_ids_of(user))
        | Q(space=Space.PAIR, pair__in=pairs)
        | Q(space=Space.COHORT, cohort__in=cohorts)
        | Q(space=Space.SUB_GROUP, sub_group__in=sub_groups)
    )


def threads_visible_to(user: Any) -> QuerySet[Thread]:
    """Every thread ``user`` may read, across programmes (the API and search start here)."""
    if user is None or not user.is_authenticated:
        return Thread.objects.none()
    base = Thread.objects.select_related("author", "group", "cohort", "sub_group", "pair")
    if user.is_superuser:
        return base
    staff = Q(programme__in=_staff_programmes(user))
    return base.filter(staff | (_space_of_user(user) & Q(hidden=False)))


def threads_for(user: Any, programme: Programme) -> QuerySet[Thread]:
    return threads_visible_to(user).filter(programme=programme)


def get_thread_for(user: Any, pk: int) -> Thread:
    """A thread the user may read; 404 for anyone else, so an id reveals nothing."""
    return get_object_or_404(threads_visible_to(user).select_related("programme"), pk=pk)


def search_threads(user: Any, programme: Programme, query: str) -> QuerySet[Thread]:
    """Threads the user may read whose title or any post contains ``query``."""
    query = query.strip()
    threads = threads_for(user, programme)
    if not query:
        return threads
    matching_posts = Post.objects.filter(thread=OuterRef("pk"), body__icontains=query)
    return threads.filter(Q(title__icontains=query) | Q(Exists(matching_posts)))


def with_counts(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Each thread with its number of posts and of "this solved my problem" marks, latest
    first (a grouped query keeps no default order)."""
    return threads.order_by("-last_post_at", "-pk").annotate(
        post_count=Count("posts", distinct=True),
        solved_count=Count(
            "posts__reactions", filter=Q(posts__reactions__kind=Reaction.Kind.SOLVED), distinct=True
        ),
    )


def posts_of(thread: Thread) -> QuerySet[Post]:
    return (
        thread.posts.select_related("author", "attachment")
        .prefetch_related("reactions")
        .annotate(
            useful=Count("reactions", filter=Q(reactions__kind=Reaction.Kind.USEFUL)),
            solved=Count("reactions", filter=Q(reactions__kind=Reaction.Kind.SOLVED)),
        )
    )


def reacted(user: Any, thread: Thread) -> set[tuple[int, str]]:
    """``(post id, kind)`` of the user's own reactions in the thread."""
    return set(
        Reaction.objects.filter(post__thread=thread, user=user).values_list("post_id", "kind")
    )


def get_post_in(thread: Thread, post_id: int) -> Post:
    return get_object_or_404(thread.posts.all(), pk=post_id)


@dataclass(frozen=True)
class SpaceChoice:
    key: str
    label: str
    space: str
    obj: Any

    def get_space_display(self) -> str:
        return str(Space(self.space).label)


def spaces_for(user: Any, programme: Programme) -> list[SpaceChoice]:
    """The spaces where ``user`` may start a thread in ``programme``, in a stable order: every
    space for the programme's facilitators, a peer's own group, pairs, cohort and sub-groups."""
    staff = user.is_superuser or (
        programmes.all_memberships()
        .filter(user=user, programme=programme, role=Role.FACILITATOR)
        .exists()
    )
    # A label per group: neither its members nor its matching run's report are read.
    groups = matching.published_groups(programme, with_members=False).only(
        "label", "run__cohort__name"
    )
    pairs = PairRequest.objects.filter(
        programme=programme, status=PairRequest.Status.ACCEPTED
    ).select_related("requested_by", "requested_of")
    cohorts = programmes.all_cohorts().filter(programme=programme).order_by("name")
    sub_groups = SubGroup.objects.filter(programme=programme).order_by("name")
    if not staff:
        groups = groups.filter(pk__in=matching.published_group_ids_of(user))
        pairs = pairs.filter(Q(requested_by=user) | Q(requested_of=user))
        own = (
            programmes.all_memberships()
            .filter(user=user, programme=programme, role=Role.PEER)
            .values("cohort_id")
        )
        cohorts = cohorts.filter(pk__in=own)
        sub_groups = sub_groups.filter(members=user)
    choices: list[SpaceChoice] = []
    for group in groups:
        label = f"{group.run.cohort.name} · {group.label}"
        choices.append(SpaceChoice(f"group-{group.pk}", label, Space.GROUP, group))
    for pair in pairs:
        label = f"{pair.requested_by} + {pair.requested_of}"
        choices.append(SpaceChoice(f"pair-{pair.pk}", label, Space.PAIR, pair))
    for cohort in cohorts:
        choices.append(SpaceChoice(f"cohort-{cohort.pk}", cohort.name, Space.COHORT, cohort))
    for sub_group in sub_groups:
        choices.append(
            SpaceChoice(f"sub_group-{sub_group.pk}", sub_group.name, Space.SUB_GROUP, sub_group)
        )
    return choices


def space_label(thread: Thread) -> str:
    if thread.space == Space.GROUP and thread.group is not None:
        return thread.group.label
    if thread.space == Space.PAIR and thread.pair is not None:
        return str(thread.pair)
    if thread.space == Space.COHORT and thread.cohort is not None:
        return thread.cohort.name
    if thread.sub_group is not None:
        return thread.sub_group.name
    return ""


def space_member_ids(thread: Thread) -> set[int]:
    """The people of the thread's space (not the facilitators)."""
    if thread.space == Space.GROUP and thread.group_id is not None:
        return {user for _group, user in matching.members_of_groups([thread.group_id])}
    if thread.space == Space.PAIR and thread.pair is not None:
        return {thread.pair.requested_by_id, thread.pair.requested_of_id}
    if thread.space == Space.COHORT and thread.cohort_id is not None:
        return set(
            programmes.all_memberships()
            .filter(cohort_id=thread.cohort_id, role=Role.PEER)
            .values_list("user_id", flat=True)
        )
    if thread.sub_group is not None:
        return set(thread.sub_group.members.values_list("pk", flat=True))
    return set()


def participant_ids(thread: Thread) -> set[int]:
    return set(thread.posts.exclude(author=None).values_list("author_id", flat=True).distinct())


def mentionable(thread: Thread) -> list[Any]:
    """The people who may read the thread and can be mentioned in it: its space's people and
    the programme's facilitators."""
    ids = space_member_ids(thread) | set(
        programmes.all_memberships()
        .filter(programme_id=thread.programme_id, role=Role.FACILITATOR)
        .values_list("user_id", flat=True)
    )
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


# Notifications


def notifications_for(user: Any, programme: Programme) -> QuerySet[Notification]:
    """The user's notifications of ``programme`` whose thread they may still read."""
    readable = threads_for(user, programme).values("pk")
    return Notification.objects.filter(
        user=user, programme=programme, post__thread__in=readable
    ).select_related("post__thread", "post__author")


def unread_count(user: Any, programme: Programme) -> int:
    return notifications_for(user, programme).filter(read_at=None).count()


def email_choice(user_id: int, programme_id: int) -> str:
    found = (
        DiscussionPreference.objects.filter(user_id=user_id, programme_id=programme_id)
        .values_list("email", flat=True)
        .first()
    )
    return found or DEFAULT_EMAIL_CHOICE


def preference_of(user: Any, programme: Programme) -> DiscussionPreference:
    found = DiscussionPreference.objects.filter(user=user, programme=programme).first()
    return found or DiscussionPreference(user=user, programme=programme)


# For evaluation: replies as contacts, never their content.


def reply_contact_edges(programme: Programme) -> list[tuple[int, int, date, bool]]:
    """Each reply as a contact between its author and the thread's author, ``(replier,
    opener, date, True)``: the same shape as the contact log, with no content."""
    rows = (
        Post.objects.filter(thread__programme=programme, is_opening=False)
        .exclude(author=None)
        .exclude(thread__author=None)
        .exclude(author=F("thread__author"))
        .values_list("author_id", "thread__author_id", "created_at")
    )
    return [(a, b, timezone.localdate(created_at), True) for a, b, created_at in rows]


def last_reply_between(programme: Programme, ids: list[int]) -> date | None:
    """The day of the latest reply by one of ``ids`` to a thread another of them opened."""
    latest = (
        Post.objects.filter(
            thread__programme=programme,
            is_opening=False,
            author_id__in=ids,
            thread__author_id__in=ids,
        )
        .exclude(author=F("thread__author"))
        .aggregate(m=Max("created_at"))["m"]
    )
    return timezone.localdate(latest) if latest else None


def posts_in_group_since(group: Any, since: date) -> int:
    return Post.objects.filter(thread__group=group, created_at__date__gte=since).count()


def discussion_version(programme: Programme) -> dict[str, QuerySet[Any]]:
    """Scalar queries whose values change whenever a post is written or removed, to be read
    together with others in one query (``peerlearn.aggregates.one_row``)."""
    posts = Post.objects.filter(thread__programme=programme)
    return {"posts": scalar(posts, Count("pk")), "posts_last": scalar(posts, Max("pk"))}


def story_draft_from_thread(
    user: Any, programme: Programme, thread_id: Any, post_id: Any = None
) -> dict[str, str]:
    """The beginning of a value-creation story from a thread the user may read: its title,
    where it happened and the message that solved the problem. Empty for anything else."""
    if not str(thread_id or "").isdigit():
        return {}
    thread = threads_for(user, programme).filter(pk=int(thread_id)).first()
    if thread is None:
        return {}
    posts = thread.posts.all()
    solved = None
    if str(post_id or "").isdigit():
        solved = posts.filter(pk=int(post_id)).first()
    if solved is None:
        solved = posts.filter(reactions__user=user, reactions__kind=Reaction.Kind.SOLVED).first()
    draft = {"title": thread.title[:200], "event": thread.title[:200]}
    if solved is not None:
        draft["immediate_value"] = solved.body
    return draft
