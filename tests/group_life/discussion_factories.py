"""Threads for tests: a thread of group G01 opened by the World's peer."""

from __future__ import annotations

from group_life.discussions import selectors, services
from group_life.models import Thread
from tests.conftest import World
from tests.group_life.factories import published_groups


def space(w: World, user: object, key_prefix: str) -> selectors.SpaceChoice:
    return next(s for s in selectors.spaces_for(user, w.programme) if s.key.startswith(key_prefix))


def group_thread(w: World, title: str = "Commitment registers") -> Thread:
    """Idempotent: the permission matrix may call it more than once."""
    groups = published_groups(w)
    found = Thread.objects.filter(group=groups.mine, title=title).first()
    if found is not None:
        return found
    return services.start_thread(
        programme=w.programme,
        author=w.peer,
        space=space(w, w.peer, f"group-{groups.mine.pk}"),
        title=title,
        body="How do you **record** multi-year commitments?",
    )
