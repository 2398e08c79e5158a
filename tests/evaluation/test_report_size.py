"""The printable report holds aggregates and the latest stories, not every story of the
programme: it costs the same queries and bytes whatever the number of stories; the stories
page shows them a page at a time."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.models import Story
from evaluation.views.dashboard import REPORT_STORIES
from peerlearn.users.models import User
from peerlearn.visibility import Visibility
from tests.conftest import World
from tests.pages import assert_same_cost, bulk_peers, measure, shown

pytestmark = pytest.mark.django_db


def _stories(world: World, authors: list[User], visibility: str = Visibility.PROGRAMME) -> None:
    Story.objects.bulk_create(
        [
            Story(
                programme=world.programme,
                author=author,
                title=f"Story of {author.full_name}",
                immediate_value="We compared our budget calendars.",
                potential_value="A template for a top-down ceiling.",
                aspirational_ending="Ceilings approved before June.",
                visibility=visibility,
            )
            for author in authors
        ]
    )


def test_the_report_costs_the_same_for_more_stories(world: World, client: Client) -> None:
    url = reverse("evaluation:report", args=[world.programme.pk])
    _stories(world, bulk_peers(world.programme, 30, tag="a", cohort=world.cohort))
    small = measure(client, world.manager, url)
    _stories(world, bulk_peers(world.programme, 90, tag="b", cohort=world.cohort))
    large = measure(client, world.manager, url)
    assert_same_cost(small, large)
    assert large.html.count('class="story-print"') == REPORT_STORIES
    assert "And 110 more stories, on the stories page." in large.html
    stories_url = reverse("evaluation:stories", args=[world.programme.pk])
    stories = measure(client, world.manager, stories_url)
    assert shown(1, 50, 120) in stories.html


def test_the_report_lists_a_few_stories_whole(world: World, client: Client) -> None:
    authors = bulk_peers(world.programme, 3, tag="a", cohort=world.cohort)
    _stories(world, authors)
    _stories(world, [world.peer], visibility=Visibility.GROUP)  # not for the report
    url = reverse("evaluation:report", args=[world.programme.pk])
    report = measure(client, world.manager, url)
    assert report.html.count('class="story-print"') == 3
    assert "more stories" not in report.html
    assert "Story of Peer a 00002" in report.html
