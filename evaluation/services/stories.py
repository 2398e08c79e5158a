"""Value-creation stories: told by a peer, and followed up with how they ended."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.users.models import User

from ..models import Story, Wave
from .errors import EvaluationError

if TYPE_CHECKING:
    from programmes.models import Programme


STORY_FIELDS = ("title", "event", "immediate_value", "potential_value", "aspirational_ending")


@transaction.atomic
def start_story(
    *,
    programme: Programme,
    author: User,
    title: str,
    immediate_value: str,
    potential_value: str,
    aspirational_ending: str,
    event: str = "",
    visibility: str = "facilitators",
) -> Story:
    missing = [
        name
        for name, value in (
            ("title", title),
            ("immediate_value", immediate_value),
            ("potential_value", potential_value),
            ("aspirational_ending", aspirational_ending),
        )
        if not value.strip()
    ]
    if missing:
        raise EvaluationError(_("Fill in the title, both values and the aspirational ending."))
    return Story.objects.create(
        programme=programme,
        author=author,
        title=title.strip(),
        event=event.strip(),
        immediate_value=immediate_value.strip(),
        potential_value=potential_value.strip(),
        aspirational_ending=aspirational_ending.strip(),
        visibility=visibility,
    )


@transaction.atomic
def follow_up_story(
    *, story: Story, applied_value: str, realised_value: str, wave: Wave | None = None
) -> Story:
    if not applied_value.strip() and not realised_value.strip():
        raise EvaluationError(_("Tell how you applied it, or what it changed, or both."))
    story.applied_value = applied_value.strip()
    story.realised_value = realised_value.strip()
    story.followed_up_at = timezone.now()
    if wave is not None:
        story.follow_up_wave = wave
    story.save()
    return story
