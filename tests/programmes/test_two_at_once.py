"""Two (or eight) facilitators adding the same thing at the same moment: one is made, the
others are told it exists, and nobody gets a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import Cohort, Organisation, WorkingGroup
from tests.concurrency import posts_at_once
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
