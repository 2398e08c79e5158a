"""Upgrading keeps every theme: themes that exist before the theme versions arrive become
version 1, the version in use, so a first proposal afterwards is compared with them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from matching import services
from matching.models import Challenge, IntakeSurvey, Theme, ThemeSet
from tests.conftest import World
from tests.matching.factories import add_peers, theme_by_statement


@pytest.mark.django_db(transaction=True)
def test_existing_themes_become_the_version_in_use(world: World) -> None:
    add_peers(world.cohort, 4)
    survey = services.ensure_survey(cohort=world.cohort)
    theme_by_statement(survey)
    before = {
        theme.name: set(theme.challenges.values_list("pk", flat=True))
        for theme in survey.themes.all()
    }
    assert sum(len(ids) for ids in before.values()) == 12
    try:
        call_command("migrate", "matching", "0003_group_life_moved", verbosity=0)
        call_command("migrate", "matching", "0004_theme_versions_and_vectors", verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    survey = IntakeSurvey.objects.get(pk=survey.pk)
    version = ThemeSet.objects.get(survey=survey)
    assert version.number == 1 and version.kind == ThemeSet.Kind.CURATED
    assert version.status == ThemeSet.Status.SAVED
    assert survey.current_set_id == version.pk and not survey.themes_edited
    assert {t["name"]: set(t["challenges"]) for t in version.themes} == before
    assert Theme.objects.filter(survey=survey).count() == 2
    assert Challenge.objects.filter(response__survey=survey, theme__isnull=False).count() == 12
    # A cohort without themes gets no version.
    assert not ThemeSet.objects.exclude(survey=survey).exists()
