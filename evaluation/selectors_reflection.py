"""Reads of the reflection journal. A private entry is read by its author and nobody else."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from matching.models import GroupMember
from peerlearn.roles import Role
from programmes.models import Membership, Programme

from .models import Visibility
from .models_reflection import ReflectionEntry, ReflectionPrompt


def _readable_filter(user: Any) -> Q:
    """Entries ``user`` may read: their own; group entries of the published groups they are in;
    group and facilitators entries of programmes they facilitate. Site admins and managers have
    no wider view: a journal is personal."""
    own_groups = GroupMember.objects.filter(user=user, run__published_at__isnull=False).values(
        "group"
    )
    facilitated = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("programme")
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
    if (
        user.is_superuser
        or Membership.objects.filter(user=user, programme=programme, role=Role.FACILITATOR).exists()
    ):
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
