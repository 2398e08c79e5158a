"""Moving a peer between two groups of a run costs the same whatever the size of the cohort: the
same queries, and the engine checks and scores the two groups only (with the moved peer's
keep-together partners where they are), with the same warnings as before. A peer who leaves
has the group left scored again, alone."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import engine, services
from matching.models import GroupMember, MatchingRun
from peerlearn.users.models import User
from tests.conftest import World
from tests.matching.factories import add_peers, finished_run, theme_by_statement

pytestmark = pytest.mark.django_db


class EngineCalls:
    """The peers and groups each call of the engine's checks and scoring was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    @property
    def most_peers(self) -> int:
        return max(peers for _name, peers, _groups in self.calls)

    @property
    def most_groups(self) -> int:
        return max(groups for _name, _peers, groups in self.calls)


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[EngineCalls]:
    seen = EngineCalls()
    check_move, check_groups, run = engine.check_move, engine.check_groups, engine.run

    def spy_move(peers: Any, groups: Any, *args: Any, **kwargs: Any) -> Any:
        seen.calls.append(("check_move", len(peers), len(groups)))
        return check_move(peers, groups, *args, **kwargs)

    def spy_groups(peers: Any, groups: Any, *args: Any, **kwargs: Any) -> Any:
        seen.calls.append(("check_groups", len(peers), len(groups)))
        return check_groups(peers, groups, *args, **kwargs)

    def spy_run(peers: Any, *args: Any, **kwargs: Any) -> Any:
        seen.calls.append(("run", len(peers), 0))
        return run(peers, *args, **kwargs)

    monkeypatch.setattr(engine, "check_move", spy_move)
    monkeypatch.setattr(engine, "check_groups", spy_groups)
    monkeypatch.setattr(engine, "run", spy_run)
    yield seen


def _pairs(world: World, count: int, prefix: str) -> MatchingRun:
    add_peers(world.cohort, count, prefix=prefix)
    theme_by_statement(services.ensure_survey(cohort=world.cohort))
    return finished_run(world.cohort, min_size=2, max_size=2, effort=0)


def _move(client: Client, world: World, run: MatchingRun, user: User, to: int) -> Any:
    url = reverse("matching:run_move", args=[world.programme.pk, run.pk])
    return client.post(
        url, {"peer": user.email, "to_group": to, "confirm": "on"}, HTTP_HX_REQUEST="true"
    )


def _measured_move(
    client: Client, world: World, run: MatchingRun, calls: EngineCalls
) -> tuple[int, int, int]:
    """(queries, most peers, most groups) the engine was given, for one confirmed move of a
    peer into the next group."""
    source, target = run.groups.order_by("label")[:2]
    member = GroupMember.objects.filter(group=source).select_related("user").first()
    assert member is not None
    calls.calls.clear()
    with CaptureQueriesContext(connection) as queries:
        response = _move(client, world, run, member.user, target.pk)
    assert response.status_code == 200
    assert GroupMember.objects.get(run=run, user=member.user).group_id == target.pk
    return len(queries.captured_queries), calls.most_peers, calls.most_groups


def test_a_move_costs_the_same_in_a_cohort_three_times_larger(
    world: World, client: Client, engine_calls: EngineCalls
) -> None:
    client.force_login(world.facilitator)
    small = _pairs(world, 12, "small")
    # A move there and back first, to warm what a first request reads.
    first = GroupMember.objects.filter(run=small).select_related("user", "group").last()
    assert first is not None
    elsewhere = small.groups.exclude(pk=first.group_id).first()
    assert elsewhere is not None
    _move(client, world, small, first.user, elsewhere.pk)
    _move(client, world, small, first.user, first.group_id)
    small_cost = _measured_move(client, world, small, engine_calls)
    large = _pairs(world, 24, "large")
    assert large.groups.count() >= 3 * small.groups.count()
    large_cost = _measured_move(client, world, large, engine_calls)
    # Two pairs: at most four peers and two groups reach the engine, at both sizes.
    assert small_cost[1:] == large_cost[1:] == (4, 2)
    assert large_cost[0] == small_cost[0]
    # A peer who leaves: the group left is scored and checked again, alone.
    leaver = GroupMember.objects.filter(group=large.groups.order_by("label").last()).first()
    assert leaver is not None
    engine_calls.calls.clear()
    services.remove_from_group(member=leaver, removed_by=None, reason="Left their post")
    assert (engine_calls.most_peers, engine_calls.most_groups) == (1, 1)


def test_a_move_reads_where_the_peers_keep_together_partners_are(
    world: World, client: Client, engine_calls: EngineCalls
) -> None:
    """A partner the peer must be kept with, in a third group: the move warns with the
    partner's name, and of the third group only that partner is read."""
    users = add_peers(world.cohort, 12, prefix="kt")
    theme_by_statement(services.ensure_survey(cohort=world.cohort))
    run = finished_run(world.cohort, min_size=2, max_size=2, effort=0)
    groups = list(run.groups.order_by("label"))
    place = {m.user_id: m.group for m in GroupMember.objects.filter(run=run)}
    mover = next(u for u in users if place[u.pk] == groups[0])
    partner = next(u for u in users if place[u.pk] == groups[2])
    options = dict(run.options)
    options["constraints"] = {
        **options["constraints"],
        "keep_together": [[str(mover.pk), str(partner.pk)]],
    }
    run.options = options
    run.save(update_fields=["options"])
    client.force_login(world.facilitator)
    url = reverse("matching:run_move", args=[world.programme.pk, run.pk])
    data = {"peer": mover.email, "to_group": groups[1].pk}
    engine_calls.calls.clear()
    warned = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "Move anyway" in warned and escape(str(partner)) in warned
    assert "must be kept together" in warned
    assert GroupMember.objects.get(run=run, user=mover).group == groups[0]
    assert engine_calls.most_groups == 2 and engine_calls.most_peers == 5
    assert _move(client, world, run, mover, groups[1].pk).status_code == 200
    assert GroupMember.objects.get(run=run, user=mover).group == groups[1]
    reason = run.moves.get(user=mover).reason
    assert "must be kept together" in reason and str(partner) in reason
    run.refresh_from_db()
    split = [i for i in run.report_issues if i.get("code") == "keep_together_split"]
    assert [sorted(i["groups"]) for i in split] == [sorted([groups[1].label, groups[2].label])]
