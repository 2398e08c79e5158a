"""A peer who sends the same request to move several times at once gets one request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.models import MoveRequest
from tests.concurrency import posts_at_once
from tests.conftest import World
from tests.group_life.factories import published_groups

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_identical_requests_to_move_make_one(world: World) -> None:
    groups = published_groups(world)
    url = reverse("matching:my_group", args=[world.programme.pk])
    data = {"reason": "My language is French", "wanted_group": groups.other.pk}
    responses = posts_at_once(world.peer, url, data)
    statuses = [getattr(response, "status_code", response) for response in responses]
    assert sorted(statuses) == [302] + [400] * 7, statuses  # type: ignore[type-var]
    assert MoveRequest.objects.filter(user=world.peer).count() == 1
    for response in responses:
        if response.status_code == 400:
            assert "You have already asked to move" in response.content.decode()
