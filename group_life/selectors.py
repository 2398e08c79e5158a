"""Reads for group life and the reflection journal, scoped to what the user may see.

A private reflection is read by its author and nobody else.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from matching import selectors as matching
from peerlearn import mail
from peerlearn.roles import Role, roles_in
from peerlearn.visibility import Visibility
from programmes import selectors as programmes

from .discussions import selectors as discussions
from .models import (
    DEFAULT_NO_CONTACT_WEEKS,
    BlindSideNote,
    EndProduct,
    GroupLifeSettings,
    GroupWorkspace,
    MeetingSlot,
    Nudge,
    PairRequest,
    ProblemDraft,
    ReflectionEntry,
    ReflectionPrompt,
    SessionNote,
    SubGroup,
)
from .overview import GroupProgress, progress_rows, with_progress

if TYPE_CHECKING:
    from matching.models import Group
    from programmes.models import Attendance, Contact, Membership, Programme


def is_group_member(user: Any, group: Any) -> bool:
    """``user`` is a member of ``group`` and the group's matching run is published."""
    if user is None or not user.is_authenticated or not matching.is_group(group):
        return False
    return matching.is_published_member(user, group)


def _is_staff(user: Any, programme: Programme) -> bool:
    return bool(user.is_superuser or Role.FACILITATOR in roles_in(user, programme))


def workspace_groups_for(user: Any, programme: Programme) -> QuerySet[Group]:
    """Published groups whose workspace the user may open: all for facilitators, their own
    for a peer, none for anyone else."""
    groups = matching.published_groups(programme)
    if _is_staff(user, programme):
        return groups
    return groups.filter(members__user=user).distinct()


def get_workspace_group(user: Any, programme: Programme, group_id: int) -> Group:
    """A published group of ``programme`` (404 otherwise); the view checks the permission."""
    return get_object_or_404(matching.published_groups(programme), pk=group_id)


def workspace_of(group: Group) -> GroupWorkspace:
    """The group's workspace; an empty one (not stored) until the group first writes in it."""
    found = GroupWorkspace.objects.filter(group=group).select_related("distilled").first()
    return found or GroupWorkspace(group=group)


def end_product_of(group: Group) -> EndProduct | None:
    return EndProduct.objects.filter(group=group).first()


def notes_of(group: Group) -> QuerySet[BlindSideNote]:
    return group.blind_side_notes.all()


def member_ids(group: Group) -> list[int]:
    return list(group.members.values_list("user_id", flat=True))


def problem_history(group: Group) -> QuerySet[ProblemDraft]:
    return group.problem_drafts.select_related("author")


def board_notes(group: Group) -> dict[str, list[BlindSideNote]]:
    notes: dict[str, list[BlindSideNote]] = {q: [] for q in BlindSideNote.Quadrant.values}
    for note in group.blind_side_notes.select_related("author"):
        notes[note.quadrant].append(note)
    return notes


def group_contacts(group: Group) -> QuerySet[Contact]:
    """Contacts logged between members of the group."""
    return programmes.contacts_among(group.programme, member_ids(group))


def group_attendance(group: Group) -> QuerySet[Attendance]:
    """Activities the group's members attended."""
    return programmes.attendance_of_people(group.programme, member_ids(group))


def no_contact_weeks(programme: Programme) -> int:
    setting = GroupLifeSettings.objects.filter(programme=programme).first()
    return setting.no_contact_weeks if setting else DEFAULT_NO_CONTACT_WEEKS


def last_contact_between(programme: Programme, ids: list[int]) -> date | None:
    """The date of the latest contact between any two of ``ids``: logged, or a reply of one
    to a thread the other opened."""
    logged = (
        programmes.contacts_among(programme, ids)
        .order_by("-occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    dates = [day for day in (logged, discussions.last_reply_between(programme, ids)) if day]
    return max(dates) if dates else None


def contributions_since(group: Group, since: date) -> int:
    """What the group's members logged since ``since``: contacts, drafts, notes, reflections,
    messages in the group's discussions.

    This feeds a flag the programme's staff read, so only what they may read counts: a private
    reflection is neither counted nor revealed by the flag."""
    ids = member_ids(group)
    programme = group.programme
    return (
        programmes.contacts_involving(programme, ids).filter(occurred_on__gte=since).count()
        + group.problem_drafts.filter(created_at__date__gte=since).count()
        + group.blind_side_notes.filter(created_at__date__gte=since).count()
        + ReflectionEntry.objects.filter(
            programme=programme, author_id__in=ids, created_at__date__gte=since
        )
        .exclude(visibility=Visibility.PRIVATE)
        .count()
        + discussions.posts_in_group_since(group, since)
    )


def pairs_for(user: Any, programme: Programme) -> QuerySet[PairRequest]:
    """Pairs the user may see: all for facilitators, their own for anyone else."""
    base = PairRequest.objects.filter(programme=programme).select_related(
        "requested_by", "requested_of", "visit"
    )
    if _is_staff(user, programme):
        return base
    return base.filter(Q(requested_by=user) | Q(requested_of=user))


def pairs_visible_to(user: Any) -> QuerySet[PairRequest]:
    """Every pair the user may see, across their programmes (for the API)."""
    if not user.is_authenticated:
        return PairRequest.objects.none()
    base = PairRequest.objects.select_related("requested_by", "requested_of", "visit")
    if user.is_superuser:
        return base
    staff = programmes.programme_ids_where(user, Role.FACILITATOR)
    return base.filter(
        Q(programme__in=staff) | Q(requested_by=user) | Q(requested_of=user)
    ).distinct()


def get_pair_for(user: Any, programme: Programme, pair_id: int) -> PairRequest:
    return get_object_or_404(pairs_for(user, programme), pk=pair_id)


def pair_partners(user: Any, programme: Programme) -> QuerySet[Membership]:
    """Peers the user may ask to pair with: the other peers of their cohort(s)."""
    return programmes.cohort_mates(user, programme)


def workspace_groups_visible_to(user: Any) -> QuerySet[Group]:
    """Published groups whose workspace the user may open, across programmes (for the API),
    with what a workspace shows read alongside: a page of them costs the same few queries
    whatever its length."""
    return (
        matching.published_groups_open_to(
            user, programmes.programme_ids_where(user, Role.FACILITATOR)
        )
        .select_related("workspace", "end_product")
        .prefetch_related(
            Prefetch("members", queryset=matching.all_group_members().select_related("user")),
            Prefetch("problem_drafts", queryset=ProblemDraft.objects.select_related("author")),
            "meeting_slots",
            "meetings",
        )
    )


def sub_groups_for(user: Any, programme: Programme) -> QuerySet[SubGroup]:
    base = SubGroup.objects.filter(programme=programme).prefetch_related("groups", "members")
    if _is_staff(user, programme):
        return base
    return base.filter(members=user)


def progress_of(groups: list[Group]) -> list[GroupProgress]:
    """Progress counts per group, most advanced first (see ``group_life.overview``): a fixed
    number of queries, whatever the number of groups."""
    return progress_rows(with_progress(matching.groups_with_ids([group.pk for group in groups])))


def board_groups(programme: Programme) -> QuerySet[Group]:
    """Groups that opted in to the progress board."""
    return matching.published_groups(programme, with_members=False).filter(
        workspace__on_progress_board=True
    )


def stale_window(programme: Programme, today: date) -> date:
    return today - timedelta(weeks=no_contact_weeks(programme))


def _readable_filter(user: Any) -> Q:
    """Entries ``user`` may read: their own; group entries of the published groups they are in;
    group and facilitators entries of programmes they facilitate. Site admins and managers have
    no wider view: a journal is personal."""
    own_groups = matching.published_group_ids_of(user)
    facilitated = programmes.programme_ids_where(user, Role.FACILITATOR)
    return (
        Q(author=user)
        | Q(visibility=Visibility.GROUP, group__in=own_groups)
        | Q(
            visibility__in=[Visibility.GROUP, Visibility.FACILITATORS],
            programme__in=facilitated,
        )
    )


def reflections_visible_to(user: Any) -> QuerySet[ReflectionEntry]:
    if user is None or not user.is_authenticated:
        return ReflectionEntry.objects.none()
    return (
        ReflectionEntry.objects.filter(_readable_filter(user))
        .select_related("author", "group", "peer", "activity", "prompt", "programme")
        .distinct()
    )


def reflections_in(user: Any, programme: Programme) -> QuerySet[ReflectionEntry]:
    return reflections_visible_to(user).filter(programme=programme)


def own_reflections(user: Any, programme: Programme) -> QuerySet[ReflectionEntry]:
    return reflections_in(user, programme).filter(author=user)


def shared_with(user: Any, programme: Programme) -> QuerySet[ReflectionEntry]:
    """Other people's entries the user may read."""
    return reflections_in(user, programme).exclude(author=user)


def reflection_readable_by(user: Any, entry: Any) -> bool:
    if not isinstance(entry, ReflectionEntry) or user is None or not user.is_authenticated:
        return False
    return reflections_visible_to(user).filter(pk=entry.pk).exists()


def get_reflection_for(user: Any, pk: int) -> ReflectionEntry:
    """An entry the user may read, or 404 (an entry one may not read is not revealed)."""
    return get_object_or_404(reflections_visible_to(user), pk=pk)


def group_reflections(user: Any, group: Any) -> QuerySet[ReflectionEntry]:
    return reflections_visible_to(user).filter(group=group)


def prompts_for(user: Any, programme: Programme) -> QuerySet[ReflectionPrompt]:
    """Prompts sent to the user's groups (all of the programme's, for a facilitator)."""
    base = ReflectionPrompt.objects.filter(
        group__run__cohort__programme=programme, group__run__published_at__isnull=False
    ).select_related("group")
    if user.is_superuser or Role.FACILITATOR in roles_in(user, programme):
        return base
    return base.filter(group__members__user=user).distinct()


def open_prompts(user: Any, programme: Programme) -> list[ReflectionPrompt]:
    """Prompts the user has not answered yet."""
    answered = set(
        ReflectionEntry.objects.filter(author=user, prompt__isnull=False).values_list(
            "prompt_id", flat=True
        )
    )
    return [p for p in prompts_for(user, programme) if p.pk not in answered]


# Reminders


def _occurs_on(slot: MeetingSlot, day: date) -> bool:
    if day < slot.starts_on:
        return False
    if slot.every == MeetingSlot.Every.DAY:
        return day.weekday() < 5
    if day.weekday() != slot.weekday:
        return False
    weeks = (day - slot.starts_on).days // 7
    return weeks % max(int(slot.every), 1) == 0


def _members_by_group(group_ids: set[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    if group_ids:
        rows = matching.all_group_members().filter(group_id__in=group_ids)
        for group_id, user_id in rows.values_list("group_id", "user_id").order_by("pk"):
            members.setdefault(group_id, []).append(user_id)
    return members


def due_nudges(*, today: date) -> list[tuple[int, int, str, str, dict[str, Any]]]:
    """Who should be reminded today: ``(programme id, user id, kind, subject key, details)``.

    A meeting reminder the day before each meeting of a member's group; a reflection reminder
    for an open prompt due within two days that the member has not answered; a reminder to
    both peers of a pair whose site visit has taken place without a reflection. Nobody who
    stopped the programme's reminders, and nothing already sent today.

    Read in a handful of queries whatever the number of groups, members and reminders.
    """
    tomorrow = today + timedelta(days=1)
    candidates: list[tuple[int, int, str, str, dict[str, Any]]] = []
    slots = [
        slot
        for slot in MeetingSlot.objects.filter(
            group__run__published_at__isnull=False, starts_on__lte=tomorrow
        ).select_related("group__run__cohort")
        if _occurs_on(slot, tomorrow)
    ]
    prompts = list(
        ReflectionPrompt.objects.filter(
            due_on__gte=today,
            due_on__lte=today + timedelta(days=2),
            group__run__published_at__isnull=False,
        ).select_related("group__run__cohort")
    )
    members = _members_by_group({s.group_id for s in slots} | {p.group_id for p in prompts})
    for slot in slots:
        programme_id = slot.group.run.cohort.programme_id
        details = {"group": slot.group.label, "day": tomorrow, "time": slot.time}
        for user_id in members.get(slot.group_id, []):
            candidates.append(
                (programme_id, user_id, Nudge.Kind.MEETING, f"slot-{slot.pk}", details)
            )
    answered = set(
        ReflectionEntry.objects.filter(prompt__in=[p.pk for p in prompts]).values_list(
            "prompt_id", "author_id"
        )
        if prompts
        else []
    )
    for prompt in prompts:
        programme_id = prompt.group.run.cohort.programme_id
        details = {"question": prompt.question, "due_on": prompt.due_on}
        for user_id in members.get(prompt.group_id, []):
            if (prompt.pk, user_id) not in answered:
                candidates.append(
                    (programme_id, user_id, Nudge.Kind.REFLECTION, f"prompt-{prompt.pk}", details)
                )
    pairs = PairRequest.objects.filter(
        status=PairRequest.Status.ACCEPTED,
        visit__isnull=False,
        visit__ends_at__date__lt=today,
        visit__ends_at__date__gte=today - timedelta(days=30),
        reflected_at__isnull=True,
    ).select_related("visit")
    for pair in pairs:
        details = {"visit": pair.visit.title if pair.visit else ""}
        for user_id in (pair.requested_by_id, pair.requested_of_id):
            candidates.append(
                (
                    pair.programme_id,
                    user_id,
                    Nudge.Kind.VISIT_REFLECTION,
                    f"pair-{pair.pk}",
                    details,
                )
            )
    if not candidates:
        return []
    sent = set(Nudge.objects.filter(sent_on=today).values_list("user_id", "kind", "subject_key"))
    stopped = mail.reminders_stopped_in({c[0] for c in candidates})
    return [c for c in candidates if (c[1], c[2], c[3]) not in sent and (c[1], c[0]) not in stopped]


def session_notes_of(group: Group) -> QuerySet[SessionNote]:
    return group.session_notes.select_related("activity", "author")


def guided_activities(programme: Programme) -> QuerySet[Any]:
    """Activities of the programme with a guided conversation, for the groups' notes."""
    return programmes.activities_with_tools(programme)


# Discussions, for later stages: replies as contacts (never their content), the version of
# the discussions' data, and a value-creation story begun from a thread.
reply_contact_edges = discussions.reply_contact_edges
discussion_version = discussions.discussion_version
story_draft_from_thread = discussions.story_draft_from_thread


def benchmarking_users(programme: Programme) -> set[int]:
    """Peers who used a shared assessment tool: submitted their organisation's self-assessment
    or reviewed another's (for the outcome tier's "use of benchmarking tools")."""
    from .assessments.selectors import benchmarking_users as users

    return users(programme)


def used_benchmarking(programme: Programme, user: Any) -> Q:
    """Whether ``user`` (or ``OuterRef("user_id")``) is among :func:`benchmarking_users`."""
    from .assessments.selectors import used_benchmarking as used

    return used(programme, user)


def benchmarking_version(programme: Programme) -> dict[str, QuerySet[Any]]:
    """Scalar queries that change whenever :func:`benchmarking_users` may (read with
    ``peerlearn.aggregates.one_row``)."""
    from .assessments.selectors import benchmarking_version as version

    return version(programme)


def placements_of_organisation(programme: Programme, organisation: Any) -> Any:
    """Peer adviser placements the organisation sends or hosts (for its sponsor's report)."""
    from .placements.selectors import placements_of_organisation as placements

    return placements(programme, organisation)


def accepted_pair_partner_ids(user: Any, programme_id: int) -> set[int]:
    """The people ``user`` is in an accepted pair with in the programme."""
    ids: set[int] = set()
    for by, of in PairRequest.objects.filter(
        Q(requested_by=user) | Q(requested_of=user),
        programme_id=programme_id,
        status=PairRequest.Status.ACCEPTED,
    ).values_list("requested_by_id", "requested_of_id"):
        ids.update((by, of))
    return ids


def member_contacts(viewer: Any, group: Group) -> list[dict[str, Any]]:
    """The members of the group with the contact details ``viewer`` may see."""
    return matching.member_contacts(viewer, group)


def mailto_group(contacts: list[dict[str, Any]], *, exclude: int) -> str:
    """The "email my group" link (see ``matching.selectors.mailto_group``)."""
    return matching.mailto_group(contacts, exclude=exclude)
