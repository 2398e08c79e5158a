"""Cohorts, working groups and organisations are unique by name whatever the case of its letters:
in the database (two made at the same instant cannot both exist), and names that differ only in
case made before are renamed, not lost, when the rule arrives."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from programmes.models import Cohort, Organisation, WorkingGroup
from tests.conftest import World

BEFORE = [("programmes", "0009_merge_20261126_0438")]
AFTER = [("programmes", "0010_names_unique_whatever_the_case")]


@pytest.mark.django_db
def test_the_database_refuses_a_second_cohort_group_or_organisation_differing_only_in_case(
    world: World,
) -> None:
    Cohort.objects.create(programme=world.programme, name="Cohort 2027")
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(programme=world.programme, name="COHORT 2027")
    WorkingGroup.objects.create(cohort=world.cohort, name="Cash management")
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingGroup.objects.create(cohort=world.cohort, name="cash Management")
    Organisation.objects.create(name="Court of Accounts", country="SN")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="COURT OF ACCOUNTS", country="SN")
    # Elsewhere (another programme, cohort or country) the same name is fine.
    Organisation.objects.create(name="Court of Accounts", country="ML")
    other = Cohort.objects.create(programme=world.programme, name="Cohort 2028")
    WorkingGroup.objects.create(cohort=other, name="Cash management")


@pytest.mark.django_db(transaction=True)
def test_names_differing_only_in_case_made_before_are_renamed_and_keep_their_rows() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    programme = old.get_model("programmes", "Programme").objects.create(name="Before the rule")
    other = old.get_model("programmes", "Programme").objects.create(name="Another programme")
    cohorts = old.get_model("programmes", "Cohort").objects
    first = cohorts.create(programme=programme, name="Cohort A")
    second = cohorts.create(programme=programme, name="COHORT A")
    third = cohorts.create(programme=programme, name="cohort a")
    taken = cohorts.create(programme=programme, name="Cohort A (2)")
    elsewhere = cohorts.create(programme=other, name="cohort a")
    groups = old.get_model("programmes", "WorkingGroup").objects
    group = groups.create(cohort=first, name="Arrears")
    group_twin = groups.create(cohort=first, name="ARREARS")
    organisations = old.get_model("programmes", "Organisation").objects
    ministry = organisations.create(name="Ministry of Finance", country="SN")
    ministry_twin = organisations.create(name="ministry of finance", country="SN")
    abroad = organisations.create(name="ministry of finance", country="GH")

    MigrationExecutor(connection).migrate(latest)

    names = dict(Cohort.objects.values_list("pk", "name"))
    assert names[first.pk] == "Cohort A"  # the oldest keeps its name
    assert names[taken.pk] == "Cohort A (2)"  # a name taken already is not reused
    assert {names[second.pk], names[third.pk]} == {"COHORT A (3)", "cohort a (4)"}
    assert names[elsewhere.pk] == "cohort a"  # another programme's is left alone
    assert WorkingGroup.objects.get(pk=group.pk).name == "Arrears"
    assert WorkingGroup.objects.get(pk=group_twin.pk).name == "ARREARS (2)"
    assert Organisation.objects.get(pk=ministry.pk).name == "Ministry of Finance"
    assert Organisation.objects.get(pk=ministry_twin.pk).name == "ministry of finance (2)"
    assert Organisation.objects.get(pk=abroad.pk).name == "ministry of finance"
