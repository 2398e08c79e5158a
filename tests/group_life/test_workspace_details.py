"""Details of group life that people noticed: a draft saved twice, the ids of the workspace's
forms, and from whom a lesson came (the Blind Side board's layout is checked in the browser, in
tests/e2e/test_design_system.py)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from group_life import services
from group_life.models import ProblemDraft, ReflectionEntry
from tests.conftest import World
from tests.group_life.factories import published_groups

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1


def test_the_same_draft_saved_twice_is_kept_once(world: World, client: Client) -> None:
    group = published_groups(world).mine
    first = services.add_problem_draft(group=group, author=world.peer, text="Arrears grow")
    again = services.add_problem_draft(
        group=group, author=world.peer_same_cohort, text="  Arrears   grow "
    )
    assert again == first and ProblemDraft.objects.filter(group=group).count() == 1
    services.add_problem_draft(group=group, author=world.peer, text="Arrears grow fast")
    # Going back to an earlier wording is a new step of the history.
    services.add_problem_draft(group=group, author=world.peer, text="Arrears grow")
    assert ProblemDraft.objects.filter(group=group).count() == 3


def test_the_workspace_has_no_two_elements_with_one_id(world: World, client: Client) -> None:
    group = published_groups(world).mine
    client.force_login(world.peer)
    html = client.get(
        reverse("group_life:workspace", args=[world.programme.pk, group.pk])
    ).content.decode()
    parser = _Ids()
    parser.feed(html)
    assert [i for i, n in parser.ids.items() if n > 1] == []
    assert 'id="draft-text"' in html and 'id="product-text"' in html
    # The forms still read the fields by their names.
    response = client.post(
        reverse("group_life:add_draft", args=[world.programme.pk, group.pk]),
        {"text": "Quotas ignore cash"},
    )
    assert response.status_code == 302


def test_from_whom_names_a_peer_once(world: World) -> None:
    entry = ReflectionEntry(
        programme=world.programme,
        author=world.peer,
        learned="Cash plans",
        from_whom=world.peer_same_cohort.full_name,
        peer=world.peer_same_cohort,
    )
    assert entry.source == world.peer_same_cohort.full_name
    entry.from_whom = "The treasury team"
    assert entry.source == f"The treasury team ({world.peer_same_cohort.full_name})"
    entry.from_whom = ""
    assert entry.source == world.peer_same_cohort.full_name
    entry.peer = None
    assert entry.source == ""
