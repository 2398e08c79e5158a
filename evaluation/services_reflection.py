"""Writes of the reflection journal and reflection prompts."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Group, GroupMember
from peerlearn.errors import ServiceError
from peerlearn.users.models import User
from programmes.models import Activity, Membership, Programme

from .models import Visibility
from .models_reflection import JOURNAL_VISIBILITIES, ReflectionEntry, ReflectionPrompt


class ReflectionError(ServiceError):
    """A reflection that cannot be saved, with a message in plain words."""


def _own_group(user: User, programme: Programme) -> Group | None:
    member = (
        GroupMember.objects.filter(
            user=user, run__cohort__programme=programme, run__published_at__isnull=False
        )
        .select_related("group")
        .first()
    )
    return member.group if member else None


@transaction.atomic
def write_reflection(
    *,
    programme: Programme,
    author: User,
    learned: str,
    from_whom: str = "",
    will_act: str = "",
    visibility: str = Visibility.PRIVATE,
    activity: Activity | None = None,
    group: Group | None = None,
    peer: User | None = None,
    prompt: ReflectionPrompt | None = None,
) -> ReflectionEntry:
    learned = learned.strip()
    if not learned:
        raise ReflectionError(_("Write what you learned before saving the entry."))
    if visibility not in JOURNAL_VISIBILITIES:
        raise ReflectionError(_("Choose who may read this entry."))
    if activity is not None and activity.programme_id != programme.pk:
        raise ReflectionError(_("Choose an activity of this programme."))
    if peer is not None and (
        peer.pk == author.pk
        or not Membership.objects.filter(user=peer, programme=programme).exists()
    ):
        raise ReflectionError(_("Choose another person of this programme."))
    if prompt is not None:
        group = prompt.group
    own = _own_group(author, programme)
    if group is not None and (own is None or group.pk != own.pk):
        raise ReflectionError(_("You can only tie an entry to your own group."))
    if visibility == Visibility.GROUP:
        group = group or own
        if group is None:
            raise ReflectionError(
                _("You are not in a group yet: choose “Only me” or “The facilitators”.")
            )
    return ReflectionEntry.objects.create(
        programme=programme,
        author=author,
        learned=learned,
        from_whom=from_whom.strip(),
        will_act=will_act.strip(),
        visibility=visibility,
        activity=activity,
        group=group,
        peer=peer,
        prompt=prompt,
    )


@transaction.atomic
def send_prompt(*, group: Group, by: User, question: str, due_on: date) -> ReflectionPrompt:
    question = question.strip()
    if not question:
        raise ReflectionError(_("Write the question you want the group to reflect on."))
    if due_on < timezone.localdate():
        raise ReflectionError(_("Choose a date from today on."))
    if group.run.published_at is None:
        raise ReflectionError(_("Prompts go to published groups only."))
    return ReflectionPrompt.objects.create(
        group=group, question=question, due_on=due_on, created_by=by
    )
