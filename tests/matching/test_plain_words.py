"""Matching in plain words: a group's explanation names organisations and countries (not ids and
codes), the intake's help texts are where its fields say, and no "seed" is shown."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from matching.models import Group
from tests.conftest import World
from tests.group_life.factories import published_groups
from tests.matching.factories import add_peers, finished_run

pytestmark = pytest.mark.django_db


def test_an_explanation_names_organisations_and_countries(world: World) -> None:
    group: Group = published_groups(world).mine
    group.explanation = {
        "reasons": [
            {
                "code": "same_organisation",
                "template": "{members} work for the same organisation: {organisation}.",
                "params": {"members": ["Ana", "Ben"], "organisation": str(world.organisation.pk)},
            },
            {
                "code": "countries",
                "template": "The members come from {count} countries: {countries}.",
                "params": {"count": 2, "countries": ["GH", "KE"]},
            },
        ],
        "text": "stored text",
    }
    text = group.explanation_text
    assert "Ana and Ben work for the same organisation: Ministry of Finance." in text
    assert "2 countries: Ghana and Kenya." in text
    assert str(world.organisation.pk) not in text
    with translation.override("fr"):
        # the whole sentence follows the language, country names and "and" included
        assert "Les membres viennent de 2 pays : Ghana et Kenya." in group.explanation_text


def test_a_run_explanation_reads_without_ids(world: World) -> None:
    add_peers(world.cohort, 6)
    run = finished_run(world.cohort, strategy="problem", min_size=3, max_size=3)
    for group in run.groups.all():
        text = group.explanation_text
        assert text
        assert not re.search(r"organisation: \d+\b", text), text
        assert not re.search(r"\b(GH|KE|AL|PE)\b", text), text


def test_the_intake_help_texts_carry_the_ids_its_fields_point_to(
    world: World, client: Client
) -> None:
    add_peers(world.cohort, 0)
    client.force_login(world.peer)
    html = client.get(reverse("matching:intake", args=[world.programme.pk])).content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    described = {
        ref for value in re.findall(r'aria-describedby="([^"]+)"', html) for ref in value.split()
    }
    assert described and described <= ids, described - ids


def test_the_new_run_form_says_variant_not_seed(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    html = client.get(
        reverse("matching:run_new", args=[world.programme.pk, world.cohort.pk])
    ).content.decode()
    assert "Variant number" in html and ">Seed<" not in html
