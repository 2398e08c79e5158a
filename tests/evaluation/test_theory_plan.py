"""The evaluation plan: indicators linked to the theory of change, progress per element, a flag
for an assumption whose indicators move the wrong way, and the checklist's evaluation answers."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from evaluation import plan
from evaluation.flags import flags_for
from evaluation.models import ImpactIndicator, ImpactObservation, IndicatorSnapshot
from peerlearn.errors import ServiceError
from programmes.models import ChecklistAnswer, TheoryOfChange
from tests.conftest import World


@pytest.fixture
def theory(world: World) -> TheoryOfChange:
    return TheoryOfChange.objects.create(
        programme=world.programme,
        focal_point="Payment arrears fall in member ministries",
        influential_variables="Peer pressure\n\n- Public reporting",
        assumptions="Ministries apply what peers show them\nSponsors give time",
    )


def _snapshots(w: World, code: str, values: list[float]) -> None:
    for day, value in enumerate(values, start=1):
        IndicatorSnapshot.objects.create(
            programme=w.programme, taken_on=date(2026, 1, day), values={code: value}
        )


def test_elements_are_the_lines_of_each_part(world: World, theory: TheoryOfChange) -> None:
    keys = [(e.key, e.text) for e in plan.elements_of(world.programme)]
    assert keys == [
        ("focal_point:0", "Payment arrears fall in member ministries"),
        ("variable:0", "Peer pressure"),
        ("variable:1", "Public reporting"),
        ("assumption:0", "Ministries apply what peers show them"),
        ("assumption:1", "Sponsors give time"),
    ]


def test_an_assumption_whose_indicator_falls_is_flagged(
    world: World, theory: TheoryOfChange
) -> None:
    plan.link_indicator(
        programme=world.programme,
        element_key="assumption:0",
        indicator="builtin:use_in_organisation",
        expected="up",
    )
    plan.link_indicator(
        programme=world.programme,
        element_key="focal_point:0",
        indicator="builtin:applied_value",
        expected="up",
    )
    rows = {r.element.key: r for r in plan.progress(world.programme, {})}
    assert rows["assumption:0"].status == "no-trend"
    assert rows["assumption:1"].status == "unlinked"
    assert not [f for f in flags_for(world.programme) if f.code == "assumption-wrong-way"]
    _snapshots(world, "use_in_organisation", [0.5, 0.4, 0.25])
    rows = {r.element.key: r for r in plan.progress(world.programme, {})}
    assert rows["assumption:0"].status == "wrong-way"
    assert rows["assumption:0"].links[0].latest == "0.25"
    flagged = [f for f in flags_for(world.programme) if f.code == "assumption-wrong-way"]
    assert [f.subject for f in flagged] == ["Ministries apply what peers show them"]


def test_an_indicator_expected_to_fall_that_falls_is_on_track(
    world: World, theory: TheoryOfChange
) -> None:
    indicator = ImpactIndicator.objects.create(programme=world.programme, name="Arrears, % GDP")
    for day, country, value in (
        (1, "GH", "4.0"),
        (1, "KE", "6,0"),
        (2, "GH", "3.0"),
        (2, "KE", "n/a"),
    ):
        ImpactObservation.objects.create(
            indicator=indicator, country=country, observed_on=date(2026, day, 1), value=value
        )
    plan.link_indicator(
        programme=world.programme,
        element_key="focal_point:0",
        indicator=f"impact:{indicator.pk}",
        expected="down",
    )
    row = plan.progress(world.programme, {})[0]
    assert row.links[0].trend == [5.0, 3.0]
    assert row.status == "on-track"


def test_links_refuse_what_does_not_exist(world: World, theory: TheoryOfChange) -> None:
    other = ImpactIndicator.objects.create(programme=world.other_programme, name="Elsewhere")
    for element, indicator, expected in (
        ("assumption:9", "builtin:use_in_organisation", "up"),
        ("assumption:0", f"impact:{other.pk}", "up"),
        ("assumption:0", "nothing", "up"),
        ("assumption:0", "builtin:use_in_organisation", "sideways"),
    ):
        with pytest.raises(ServiceError):
            plan.link_indicator(
                programme=world.programme,
                element_key=element,
                indicator=indicator,
                expected=expected,
            )


def test_the_plan_page_shows_the_checklist_answers_and_the_dashboard_the_progress(
    world: World, theory: TheoryOfChange, client: Client
) -> None:
    ChecklistAnswer.objects.create(
        programme=world.programme,
        question_key="eval_interactions",
        answer="A peer-contact survey every quarter",
    )
    client.force_login(world.facilitator)
    response = client.get(reverse("evaluation:plan", args=[world.programme.pk]))
    body = response.content.decode()
    assert "A peer-contact survey every quarter" in body
    assert "Sponsors give time" in body
    checklist = client.get(reverse("programmes:checklist", args=[world.programme.pk]))
    assert reverse("evaluation:plan", args=[world.programme.pk]) in checklist.content.decode()
    dashboard = client.get(reverse("evaluation:dashboard", args=[world.programme.pk]))
    assert "Ministries apply what peers show them" in dashboard.content.decode()
