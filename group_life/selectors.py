"""Reads for group life and the reflection journal, scoped to what the user may see.

A private reflection is read by its author and nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from matching import selectors as matching
from peerlearn.roles import Role, roles_in
from peerlearn.visibility import Visibility
from programmes import selectors as programmes

from .models import (
    DEFAULT_NO_CONTACT_WEEKS,
    BlindSideNote,
    EndProduct,
    GroupLifeSettings,
    GroupMeeting,
    GroupWorkspace,
    MeetingSlot,
    Nudge,
    PairRequest,
    ProblemDraft,
    ReflectionEntry,
    ReflectionPrompt,
    SubGroup,
)

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
    """The date of the latest contact logged between any two of ``ids``."""
    return (
        programmes.contacts_among(programme, ids)
        .order_by("-occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )


def contributions_since(group: Group, since: date) -> int:
    """What the group's members logged since ``since``: contacts, drafts, notes, reflections."""
    ids = member_ids(group)
    programme = group.programme
    return (
        programmes.contacts_involving(programme, ids).filter(occurred_on__gte=since).count()
        + group.problem_drafts.filter(created_at__date__gte=since).count()
        + group.blind_side_notes.filter(created_at__date__gte=since).count()
        + ReflectionEntry.objects.filter(
            programme=programme, author_id__in=ids, created_at__date__gte=since
        ).count()
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
    """Published groups whose workspace the user may open, across programmes (for the API)."""
    return matching.published_groups_open_to(
        user, programmes.programme_ids_where(user, Role.FACILITATOR)
    )


def sub_groups_for(user: Any, programme: Programme) -> QuerySet[SubGroup]:
    base = SubGroup.objects.filter(programme=programme).prefetch_related("groups", "members")
    if _is_staff(user, programme):
        return base
    return base.filter(members=user)


@dataclass
class GroupProgress:
    group: Group
    distilled: bool
    meetings: int
    product: bool
    reflections: int
    steps: int = field(default=0)


def progress_of(groups: list[Group]) -> list[GroupProgress]:
    """Progress counts per group: never the content of a draft, a product or a reflection.

    Reflections count only when shared beyond their author (private entries are not even
    counted). A fixed number of queries, whatever the number of groups.
    """
    ids = [group.pk for group in groups]
    programme_of_group = matching.programme_ids_of_groups(ids)
    distilled = dict(
        GroupWorkspace.objects.filter(group_id__in=ids).values_list("group_id", "distilled_id")
    )
    meetings = dict(
        GroupMeeting.objects.filter(group_id__in=ids)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    with_product = set(
        EndProduct.objects.filter(group_id__in=ids).values_list("group_id", flat=True)
    )
    members: dict[int, list[int]] = {}
    for group_id, user_id in matching.members_of_groups(ids):
        members.setdefault(group_id, []).append(user_id)
    shared: dict[tuple[int, int], int] = {
        (programme_id, author_id): n
        for programme_id, author_id, n in ReflectionEntry.objects.filter(
            programme_id__in=set(programme_of_group.values()),
            author_id__in={user for users in members.values() for user in users},
        )
        .exclude(visibility=Visibility.PRIVATE)
        .values("programme_id", "author_id")
        .annotate(n=Count("pk"))
        .values_list("programme_id", "author_id", "n")
    }
    rows = []
    for group in groups:
        is_distilled = bool(distilled.get(group.pk))
        held = meetings.get(group.pk, 0)
        product = group.pk in with_product
        reflections = sum(
            shared.get((programme_of_group[group.pk], user), 0)
            for user in members.get(group.pk, [])
        )
        steps = int(is_distilled) + int(held > 0) + int(product) + int(reflections > 0)
        rows.append(GroupProgress(group, is_distilled, held, product, reflections, steps))
    return sorted(rows, key=lambda row: (-row.steps, -row.meetings, row.group.label))


def board_groups(programme: Programme) -> list[Group]:
    """Groups that opted in to the progress board."""
    return list(matching.published_groups(programme).filter(workspace__on_progress_board=True))


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


def due_nudges(*, today: date) -> list[tuple[int, int, str, str, dict[str, Any]]]:
    """Who should be reminded today: ``(programme id, user id, kind, subject key, details)``.

    A meeting reminder the day before each meeting of a member's group; a reflection reminder
    for an open prompt due within two days that the member has not answered; a reminder to
    both peers of a pair whose site visit has taken place without a reflection.
    """
    tomorrow = today + timedelta(days=1)
    result: list[tuple[int, int, str, str, dict[str, Any]]] = []
    slots = MeetingSlot.objects.filter(
        group__run__published_at__isnull=False, starts_on__lte=tomorrow
    ).select_related("group__run__cohort")
    for slot in slots:
        if not _occurs_on(slot, tomorrow):
            continue
        programme_id = slot.group.run.cohort.programme_id
        for user_id in member_ids(slot.group):
            details = {"group": slot.group.label, "day": tomorrow, "time": slot.time}
            result.append((programme_id, user_id, Nudge.Kind.MEETING, f"slot-{slot.pk}", details))
    prompts = ReflectionPrompt.objects.filter(
        due_on__gte=today,
        due_on__lte=today + timedelta(days=2),
        group__run__published_at__isnull=False,
    ).select_related("group__run__cohort")
    for prompt in prompts:
        answered = set(prompt.entries.values_list("author_id", flat=True))
        programme_id = prompt.group.run.cohort.programme_id
        for user_id in member_ids(prompt.group):
            if user_id in answered:
                continue
            details = {"question": prompt.question, "due_on": prompt.due_on}
            result.append(
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
        for user_id in (pair.requested_by_id, pair.requested_of_id):
            details = {"visit": pair.visit.title if pair.visit else ""}
            result.append(
                (
                    pair.programme_id,
                    user_id,
                    Nudge.Kind.VISIT_REFLECTION,
                    f"pair-{pair.pk}",
                    details,
                )
            )
    return result


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
