"""The review of a run's groups, a page of compact cards at a time: groups breaking a rule first,
filters by rule and by member, moves that answer with the changed groups only, and a page that
costs the same queries and about the same bytes whatever the number of groups."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import services
from matching.models import GroupMember, MatchingRun
from matching.views.review import CARDS_PER_PAGE, REPORT_ROWS
from tests.conftest import World
from tests.matching.factories import add_peers, finished_run, theme_by_statement

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<li class="card group" id="group-(\d+)"')


def _run(world: World, peers: int) -> MatchingRun:
    add_peers(world.cohort, peers)
    theme_by_statement(services.ensure_survey(cohort=world.cohort))
    return finished_run(world.cohort, min_size=2, max_size=2)


def _breaks(run: MatchingRun, label: str) -> None:
    """The run's report says group ``label`` breaks a rule."""
    report = dict(run.report or {})
    report["issues"] = [
        *report.get("issues", []),
        {"kind": "violation", "code": "", "message": f"Group {label} is odd.", "groups": [label]},
    ]
    run.report = report
    run.save(update_fields=["report"])


def _url(world: World, run: MatchingRun) -> str:
    return reverse("matching:run_detail", args=[world.programme.pk, run.pk])


def _cards(body: str) -> list[int]:
    return [int(pk) for pk in CARD.findall(body)]


def test_review_shows_a_page_of_groups_breaking_a_rule_first(world: World, client: Client) -> None:
    run = _run(world, 2 * (CARDS_PER_PAGE + 3))
    groups = list(run.groups.order_by("label"))
    assert len(groups) > CARDS_PER_PAGE
    last = groups[-1]
    _breaks(run, last.label)
    client.force_login(world.facilitator)
    first = client.get(_url(world, run)).content.decode()
    cards = _cards(first)
    assert len(cards) == CARDS_PER_PAGE
    assert cards[0] == last.pk
    assert f"Group {last.label} is odd." in first
    second = _cards(client.get(_url(world, run) + "?page=2").content.decode())
    assert len(second) == len(groups) - CARDS_PER_PAGE and not set(second) & set(cards)
    breaking = _cards(client.get(_url(world, run) + "?rules=breaking").content.decode())
    assert breaking == [last.pk]
    keeping = _cards(client.get(_url(world, run) + "?rules=keeping").content.decode())
    assert last.pk not in keeping and len(keeping) == CARDS_PER_PAGE


def test_review_finds_a_group_by_a_member(world: World, client: Client) -> None:
    run = _run(world, 2 * (CARDS_PER_PAGE + 1))
    member = GroupMember.objects.filter(run=run).select_related("user", "group").last()
    assert member is not None
    client.force_login(world.facilitator)
    body = client.get(_url(world, run), {"q": member.user.email}).content.decode()
    assert _cards(body) == [member.group_id]
    nothing = client.get(_url(world, run), {"q": "nobody-at-all"}).content.decode()
    assert _cards(nothing) == [] and "No group matches these filters." in nothing


def test_a_move_answers_with_the_two_changed_groups_only(world: World, client: Client) -> None:
    run = _run(world, 2 * (CARDS_PER_PAGE + 1))
    source, target = run.groups.order_by("label")[:2]
    peer = GroupMember.objects.filter(group=source).select_related("user").first()
    assert peer is not None
    client.force_login(world.facilitator)
    url = reverse("matching:run_move", args=[world.programme.pk, run.pk])
    response = client.post(
        url,
        {"peer": peer.user.email, "to_group": target.pk, "confirm": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert sorted(_cards(response.content.decode())) == sorted([source.pk, target.pk])
    assert GroupMember.objects.get(run=run, user=peer.user).group_id == target.pk


def test_without_scripts_a_move_comes_back_to_the_same_page_and_filters(
    world: World, client: Client
) -> None:
    run = _run(world, 2 * (CARDS_PER_PAGE + 1))
    source, target = run.groups.order_by("label")[:2]
    peer = GroupMember.objects.filter(group=source).select_related("user").first()
    assert peer is not None
    client.force_login(world.facilitator)
    url = reverse("matching:run_move", args=[world.programme.pk, run.pk])
    response = client.post(
        url,
        {
            "peer": peer.user.email,
            "to_group": target.pk,
            "confirm": "on",
            "back": "rules=keeping&page=2&evil=1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?page=2&rules=keeping")


def test_review_page_does_not_grow_with_the_groups(world: World, client: Client) -> None:
    small = _run(world, 2 * CARDS_PER_PAGE)
    client.force_login(world.facilitator)
    client.get(_url(world, small))
    with CaptureQueriesContext(connection) as first:
        small_body = client.get(_url(world, small)).content
    add_peers(world.cohort, 2 * CARDS_PER_PAGE, prefix="more")
    theme_by_statement(services.ensure_survey(cohort=world.cohort))
    large = finished_run(world.cohort, min_size=2, max_size=2)
    assert large.groups.count() >= 2 * small.groups.count()
    client.get(_url(world, large))
    with CaptureQueriesContext(connection) as second:
        large_body = client.get(_url(world, large)).content
    assert len(second.captured_queries) <= len(first.captured_queries) + 2
    assert len(large_body) < 1.3 * len(small_body)


def test_only_facilitators_of_the_programme_filter_the_review(world: World, client: Client) -> None:
    run = _run(world, 6)
    for user in (world.peer, world.sponsor, world.outsider):
        client.force_login(user)
        assert client.get(_url(world, run), {"rules": "breaking"}).status_code in (403, 404)


def test_a_long_constraint_report_shows_its_first_issues_and_how_many_more(
    world: World, client: Client
) -> None:
    run = _run(world, 8)
    report = dict(run.report or {})
    notes = [{"kind": "note", "code": "", "message": f"Note {i}."} for i in range(5)]
    broken = [
        {"kind": "violation", "code": "", "message": f"Rule {i} is broken.", "groups": []}
        for i in range(REPORT_ROWS + 7)
    ]
    report["issues"] = [*notes, *broken]
    run.report = report
    run.save(update_fields=["report"])
    client.force_login(world.facilitator)
    body = client.get(_url(world, run)).content.decode()
    assert f"Rule {REPORT_ROWS - 1} is broken." in body
    assert f"Rule {REPORT_ROWS} is broken." not in body and "Note 0." not in body
    assert "And 12 more issues." in body and "?rules=breaking" in body
