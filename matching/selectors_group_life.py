"""Reads for group life, scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from peerlearn.roles import Role, roles_in
from programmes.models import Attendance, Contact, Membership, Programme

from .models import Group, GroupMember
from .models_group_life import (
    DEFAULT_NO_CONTACT_WEEKS,
    BlindSideNote,
    GroupLifeSettings,
    GroupMeeting,
    GroupWorkspace,
    PairRequest,
    ProblemDraft,
    SubGroup,
)
from .selectors import published_groups


def is_group_member(user: Any, group: Any) -> bool:
    """``user`` is a member of ``group`` and the group's matching run is published."""
    if not isinstance(group, Group) or user is None or not user.is_authenticated:
        return False
    return GroupMember.objects.filter(
        group=group, user=user, run__published_at__isnull=False
    ).exists()


def _is_staff(user: Any, programme: Programme) -> bool:
    return bool(user.is_superuser or Role.FACILITATOR in roles_in(user, programme))


def workspace_groups_for(user: Any, programme: Programme) -> QuerySet[Group]:
    """Published groups whose workspace the user may open: all for facilitators, their own
    for a peer, none for anyone else."""
    groups = published_groups(programme)
    if _is_staff(user, programme):
        return groups
    return groups.filter(members__user=user).distinct()


def get_workspace_group(user: Any, programme: Programme, group_id: int) -> Group:
    """A published group of ``programme`` (404 otherwise); the view checks the permission."""
    return get_object_or_404(published_groups(programme), pk=group_id)


def workspace_of(group: Group) -> GroupWorkspace:
    workspace, _created = GroupWorkspace.objects.get_or_create(group=group)
    return workspace


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
    ids = member_ids(group)
    return Contact.objects.filter(
        programme=group.programme, logged_by_id__in=ids, with_user_id__in=ids
    ).select_related("logged_by", "with_user")


def group_attendance(group: Group) -> QuerySet[Attendance]:
    """Activities the group's members attended."""
    return (
        Attendance.objects.filter(
            activity__programme=group.programme,
            membership__user_id__in=member_ids(group),
            present=True,
        )
        .select_related("activity", "membership__user")
        .order_by("-activity__starts_at")
    )


def no_contact_weeks(programme: Programme) -> int:
    setting = GroupLifeSettings.objects.filter(programme=programme).first()
    return setting.no_contact_weeks if setting else DEFAULT_NO_CONTACT_WEEKS


def last_contact_between(programme: Programme, ids: list[int]) -> date | None:
    """The date of the latest contact logged between any two of ``ids``."""
    latest = (
        Contact.objects.filter(programme=programme, logged_by_id__in=ids, with_user_id__in=ids)
        .order_by("-occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    return latest


def contributions_since(group: Group, since: date) -> int:
    """What the group's members logged since ``since``: contacts, drafts, notes, reflections."""
    from evaluation.models_reflection import ReflectionEntry

    ids = member_ids(group)
    programme = group.programme
    return (
        Contact.objects.filter(programme=programme, occurred_on__gte=since)
        .filter(Q(logged_by_id__in=ids) | Q(with_user_id__in=ids))
        .count()
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
    staff = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("programme")
    return base.filter(
        Q(programme__in=staff) | Q(requested_by=user) | Q(requested_of=user)
    ).distinct()


def get_pair_for(user: Any, programme: Programme, pair_id: int) -> PairRequest:
    return get_object_or_404(pairs_for(user, programme), pk=pair_id)


def pair_partners(user: Any, programme: Programme) -> QuerySet[Membership]:
    """Peers the user may ask to pair with: the other peers of their cohort(s)."""
    cohorts = Membership.objects.filter(user=user, programme=programme, role=Role.PEER).values(
        "cohort"
    )
    return (
        Membership.objects.filter(programme=programme, role=Role.PEER, cohort__in=cohorts)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def workspace_groups_visible_to(user: Any) -> QuerySet[Group]:
    """Published groups whose workspace the user may open, across programmes (for the API)."""
    if not user.is_authenticated:
        return Group.objects.none()
    base = Group.objects.filter(run__published_at__isnull=False).select_related(
        "run__cohort__programme"
    )
    if user.is_superuser:
        return base
    staff = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("programme")
    own = GroupMember.objects.filter(user=user, run__published_at__isnull=False).values("group")
    return base.filter(Q(run__cohort__programme__in=staff) | Q(pk__in=own)).distinct()


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
    from evaluation.models import Visibility
    from evaluation.models_reflection import ReflectionEntry

    from .models_group_life import EndProduct

    ids = [group.pk for group in groups]
    programme_of_group = dict(
        Group.objects.filter(pk__in=ids).values_list("pk", "run__cohort__programme_id")
    )
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
    for group_id, user_id in GroupMember.objects.filter(group_id__in=ids).values_list(
        "group_id", "user_id"
    ):
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
    return list(published_groups(programme).filter(workspace__on_progress_board=True))


def stale_window(programme: Programme, today: date) -> date:
    return today - timedelta(weeks=no_contact_weeks(programme))
