"""The group-life API (bad input answered in plain words) and the demo's ten days."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from group_life.models import PairRequest, ReflectionEntry
from tests.conftest import World
from tests.group_life.factories import published_groups

pytestmark = pytest.mark.django_db


def test_api_reflection_visibility_is_checked(world: World, client: Client) -> None:
    client.force_login(world.peer_other_cohort)  # in no group
    url = reverse("evaluation-reflection-list")
    data = {"programme": world.programme.pk, "learned": "Quotas", "visibility": "group"}
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 400
    assert "not in a group yet" in response.json()["detail"]
    data["visibility"] = "programme"  # not a journal visibility
    assert client.post(url, data, content_type="application/json").status_code == 400
    assert not ReflectionEntry.objects.exists()


def test_api_group_entry_goes_to_the_authors_group(world: World, client: Client) -> None:
    groups = published_groups(world)
    client.force_login(world.peer)
    data = {"programme": world.programme.pk, "learned": "Quotas", "visibility": "group"}
    response = client.post(
        reverse("evaluation-reflection-list"), data, content_type="application/json"
    )
    assert response.status_code == 201
    assert ReflectionEntry.objects.get().group == groups.mine
    client.force_login(world.peer_same_cohort)
    listed = client.get(reverse("evaluation-reflection-list")).json()["results"]
    assert [r["learned"] for r in listed] == ["Quotas"]
    client.force_login(groups.stranger)
    assert client.get(reverse("evaluation-reflection-list")).json()["results"] == []


def test_api_pair_request_refuses_a_peer_of_another_cohort(world: World, client: Client) -> None:
    client.force_login(world.peer)
    data = {
        "programme": world.programme.pk,
        "requested_of": world.peer_other_cohort.pk,
        "purpose": "Visit",
    }
    response = client.post(reverse("matching-pair-list"), data, content_type="application/json")
    assert response.status_code == 400
    assert "peer of your own cohort" in response.json()["detail"]
    assert not PairRequest.objects.exists()


def test_api_workspace_shows_the_group(world: World, client: Client) -> None:
    groups = published_groups(world)
    client.force_login(world.peer)
    data = client.get(reverse("matching-workspace-detail", args=[groups.mine.pk])).json()
    assert data["label"] == "G01" and data["explanation"] == "You share arrears."
    assert {m["user"] for m in data["members"]} == {world.peer.pk, world.peer_same_cohort.pk}
    other = client.get(reverse("matching-workspace-detail", args=[groups.other.pk]))
    assert other.status_code == 404


def test_demo_has_ten_days_of_group_life(world: World) -> None:
    from group_life.demo import extend_demo
    from group_life.models import EndProduct, GroupMeeting, GroupWorkspace
    from programmes.models import Contact

    groups = published_groups(world)
    extend_demo(world.programme)
    extend_demo(world.programme)  # idempotent
    mine = groups.mine
    assert GroupWorkspace.objects.get(group=mine).distilled is not None
    assert GroupMeeting.objects.filter(group=mine).count() >= 6  # the working days of ten
    assert mine.problem_drafts.count() == 2
    assert Contact.objects.filter(programme=world.programme).count() == 10
    assert ReflectionEntry.objects.filter(group=mine).count() == 2
    assert EndProduct.objects.filter(group=mine).exists()
    assert mine.blind_side_notes.count() == 4
    assert PairRequest.objects.get().visit is not None
