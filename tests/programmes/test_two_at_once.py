"""Two (or eight) facilitators adding the same thing at the same moment: one is made, the
others are told it exists, and nobody gets a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import Cohort, Organisation, WorkingGroup
from tests.concurrency import at_once, posts_at_once, signed_in
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def _statuses(responses: list[object]) -> list[object]:
    return [getattr(response, "status_code", response) for response in responses]


def test_eight_adds_of_the_same_cohort_make_one_and_tell_the_others(world: World) -> None:
    url = reverse("programmes:cohort_add", args=[world.programme.pk])
    responses = posts_at_once(world.facilitator, url, {"cohort-name": "Cohort 2027"})
    statuses = _statuses(responses)
    assert sorted(statuses) == [200] * 7 + [302], statuses  # type: ignore[type-var]
    assert Cohort.objects.filter(programme=world.programme, name="Cohort 2027").count() == 1
    for response in responses:
        if response.status_code == 200:
            assert "There is already a cohort called" in response.content.decode()


def test_eight_adds_of_the_same_organisation_make_one_and_tell_the_others(world: World) -> None:
    url = reverse("programmes:organisations", args=[world.programme.pk])
    data = {"name": "Ministry of Digital Affairs", "country": "GH", "kind": "ministry"}
    responses = posts_at_once(world.facilitator, url, data)
    statuses = _statuses(responses)
    assert sorted(statuses) == [200] * 7 + [302], statuses  # type: ignore[type-var]
    assert Organisation.objects.filter(name="Ministry of Digital Affairs").count() == 1
    for response in responses:
        if response.status_code == 200:
            assert "exists" in response.content.decode()


def test_eight_adds_of_the_same_working_group_make_one_and_tell_the_others(world: World) -> None:
    url = reverse("programmes:working_group_add", args=[world.programme.pk])
    data = {"group-cohort": world.cohort.pk, "group-name": "Cash management"}
    responses = posts_at_once(world.facilitator, url, data)
    statuses = _statuses(responses)
    assert sorted(statuses) == [200] * 7 + [302], statuses  # type: ignore[type-var]
    assert WorkingGroup.objects.filter(cohort=world.cohort, name="Cash management").count() == 1
    for response in responses:
        if response.status_code == 200:
            assert "There is already a working group called" in response.content.decode()


def _posts_of_names(
    world: World, url: str, field: str, name: str, extra: dict[str, object]
) -> list[object]:
    """Six posts of ``name`` typed in different cases, at the same instant."""
    cases = [name, name.upper(), name.lower(), name, name.swapcase(), name.upper()]
    clients = [signed_in(world.facilitator) for _ in cases]
    return at_once(
        [
            lambda client=client, typed=typed: client.post(url, {**extra, field: typed})
            for client, typed in zip(clients, cases, strict=True)
        ]
    )


def test_adds_of_one_cohort_name_in_different_cases_at_once_make_one(world: World) -> None:
    url = reverse("programmes:cohort_add", args=[world.programme.pk])
    responses = _posts_of_names(world, url, "cohort-name", "Cohort 2028", {})
    statuses = _statuses(responses)
    assert sorted(statuses) == [200] * 5 + [302], statuses  # type: ignore[type-var]
    assert Cohort.objects.filter(programme=world.programme, name__iexact="cohort 2028").count() == 1
    for response in responses:
        if response.status_code == 200:
            assert "There is already a cohort called" in response.content.decode()


def test_adds_of_one_working_group_name_in_different_cases_at_once_make_one(
    world: World,
) -> None:
    url = reverse("programmes:working_group_add", args=[world.programme.pk])
    responses = _posts_of_names(
        world, url, "group-name", "Debt arrears", {"group-cohort": world.cohort.pk}
    )
    statuses = _statuses(responses)
    assert sorted(statuses) == [200] * 5 + [302], statuses  # type: ignore[type-var]
    made = WorkingGroup.objects.filter(cohort=world.cohort, name__iexact="debt arrears")
    assert made.count() == 1
    for response in responses:
        if response.status_code == 200:
            assert "There is already a working group called" in response.content.decode()


def test_adds_of_one_organisation_name_in_different_cases_at_once_make_one(
    world: World,
) -> None:
    url = reverse("programmes:organisations", args=[world.programme.pk])
    responses = _posts_of_names(
        world, url, "name", "Public Debt Office", {"country": "GH", "kind": "ministry"}
    )
    statuses = _statuses(responses)
    assert sorted(statuses) == [200] * 5 + [302], statuses  # type: ignore[type-var]
    assert Organisation.objects.filter(name__iexact="public debt office", country="GH").count() == 1
    for response in responses:
        if response.status_code == 200:
            assert "exists" in response.content.decode()
