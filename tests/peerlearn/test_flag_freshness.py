"""Cached risk flags: each app's flags are computed again after a write to a table they read,
and only then; a write that no flag reads (an intake draft for the group-life flags, a
reflection for the matching flags) leaves them cached."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from group_life import services as group_life
from group_life.models import GroupMeeting
from matching import services as matching
from peerlearn import flags, freshness
from programmes.models import Programme
from tests.conftest import World
from tests.group_life.factories import published_groups

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each app's flags were computed."""
    calls: Counter[str] = Counter()

    def counting(name: str, source: Callable[[Any], list[Any]]) -> Callable[[Any], list[Any]]:
        def wrapper(programme: Any) -> list[Any]:
            calls[name] += 1
            return source(programme)

        return wrapper

    for name, source in list(flags._SOURCES.items()):
        monkeypatch.setitem(flags._SOURCES, name, counting(name, source))
    return calls


def codes(programme: Programme) -> set[str]:
    return {flag.code for flag in flags.current_flags(programme)[0]}


def test_flags_are_read_from_the_cache_until_something_they_read_changes(
    world: World, computed: Counter[str]
) -> None:
    flags.current_flags(world.programme)
    flags.current_flags(world.programme)
    assert set(computed.values()) == {1}
    assert set(computed) == {"programmes", "matching", "group_life", "diffusion", "evaluation"}


def test_an_intake_draft_computes_the_matching_flags_again_and_no_other(
    world: World, computed: Counter[str]
) -> None:
    survey = matching.ensure_survey(cohort=world.cohort)
    three = {"challenges": ["Arrears", "Cash plans", "Audits"]}
    matching.save_draft(survey=survey, user=world.peer, data=three)
    assert "fewer-than-three-challenges" not in codes(world.programme)
    computed.clear()
    # The peer deletes two challenges as they type: an update of the draft alone.
    matching.save_draft(survey=survey, user=world.peer, data={"challenges": ["Arrears", ""]})
    # The draft counts in the matching flags at once ...
    assert "fewer-than-three-challenges" in codes(world.programme)
    # ... and the other apps' flags, which do not read the drafts, stay cached.
    assert computed == Counter(matching=1)
    matching.submit_intake(survey=survey, user=world.peer, answers=three)
    assert "fewer-than-three-challenges" not in codes(world.programme)


def test_a_draft_leaves_the_standings_totals_cached_and_a_submission_counts_at_once(
    world: World,
) -> None:
    from programmes.standings import standing_totals

    survey = matching.ensure_survey(cohort=world.cohort)
    matching.save_draft(survey=survey, user=world.peer, data={"challenges": ["one"]})
    before = standing_totals(world.facilitator, world.programme)
    with CaptureQueriesContext(connection) as typed:
        matching.save_draft(survey=survey, user=world.peer, data={"challenges": ["one", "two"]})
        assert standing_totals(world.facilitator, world.programme) == before
    assert not [q for q in typed.captured_queries if "COUNT" in q["sql"]]
    matching.submit_intake(
        survey=survey, user=world.peer, answers={"challenges": ["a1", "b1", "c1"]}
    )
    after = standing_totals(world.facilitator, world.programme)
    assert after["intake"] == before["intake"] + 1


def test_a_reflection_computes_the_group_life_flags_again_and_not_the_matching_flags(
    world: World, computed: Counter[str]
) -> None:
    groups = published_groups(world)
    GroupMeeting.objects.create(group=groups.mine, held_on=timezone.localdate() - timedelta(days=2))
    assert "group-meets-without-contributions" in codes(world.programme)
    computed.clear()
    group_life.write_reflection(
        programme=world.programme,
        author=world.peer,
        learned="How a peer treasury forecasts cash",
        visibility="group",
    )
    # A reflection shared with the group is a contribution: the flag goes at once.
    assert "group-meets-without-contributions" not in codes(world.programme)
    assert computed["group_life"] == 1
    assert computed["matching"] == 0 and computed["programmes"] == 0


def test_the_programmes_own_dates_count_as_data_the_flags_read(
    world: World, computed: Counter[str]
) -> None:
    programme = world.programme
    programme.starts_on = timezone.localdate()
    programme.save()
    assert "diffusion-stops-at-peer" not in codes(programme)
    programme.starts_on = timezone.localdate() - timedelta(weeks=52)
    programme.save(update_fields=["starts_on"])
    assert "diffusion-stops-at-peer" in codes(programme)


def test_a_write_gives_only_its_table_a_new_version(world: World) -> None:
    survey = matching.ensure_survey(cohort=world.cohort)
    watched = freshness.watched_names()
    before = freshness.versions(watched)
    whole = freshness.version()
    assert freshness.version() == whole  # reading gives no new version
    matching.save_draft(survey=survey, user=world.peer, data={"challenges": ["one"]})
    after = freshness.versions(watched)
    # The first draft creates the row (then sets the draft): the table has a new version.
    assert {name for name in watched if before[name] != after[name]} == {
        "matching_intakeresponse",
        "matching_intakeresponse.draft",
        "matching_intakeresponse.draft_saved_at",
    }
    assert freshness.version() != whole
    assert not freshness.still_current(
        {"matching_intakeresponse": before["matching_intakeresponse"]}
    )
    assert freshness.still_current({"matching_group": before["matching_group"]})


def test_an_update_of_the_draft_alone_gives_only_the_drafts_a_new_version(world: World) -> None:
    survey = matching.ensure_survey(cohort=world.cohort)
    matching.save_draft(survey=survey, user=world.peer, data={"challenges": ["one"]})
    watched = freshness.watched_names()
    before = freshness.versions(watched)
    matching.save_draft(survey=survey, user=world.peer, data={"challenges": ["one", "two"]})
    after = freshness.versions(watched)
    assert {name for name in watched if before[name] != after[name]} == {
        "matching_intakeresponse.draft",
        "matching_intakeresponse.draft_saved_at",
    }
    # A submission sets more than the draft: the table has a new version.
    matching.submit_intake(survey=survey, user=world.peer, answers={"challenges": ["a", "b", "c"]})
    assert freshness.versions(["matching_intakeresponse"]) != {
        "matching_intakeresponse": after["matching_intakeresponse"]
    }


def test_statements_naming_a_column_versioned_apart_depend_on_it(world: World) -> None:
    from matching.models import IntakeResponse

    with freshness.recording() as answers:
        list(IntakeResponse.objects.values_list("user_id", "submitted_at"))
    with freshness.recording() as drafts:
        list(IntakeResponse.objects.values_list("user_id", "draft"))
    assert "matching_intakeresponse" in answers
    assert not {"matching_intakeresponse.draft", "matching_intakeresponse.draft_saved_at"} & answers
    assert drafts - answers == {"matching_intakeresponse.draft"}


def test_a_write_rolled_back_to_a_savepoint_keeps_the_tables_version(world: World) -> None:
    survey = matching.ensure_survey(cohort=world.cohort)
    before = freshness.versions(["matching_intakeresponse"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                matching.save_draft(survey=survey, user=world.peer, data={"challenges": ["x"]})
                raise RuntimeError
        except RuntimeError:
            pass
    assert freshness.still_current(before)


def test_every_table_a_flag_reads_is_watched(world: World) -> None:
    """A table read by a flag but not watched would leave its flags stale after a write."""
    groups = published_groups(world)
    GroupMeeting.objects.create(group=groups.mine, held_on=timezone.localdate())
    survey = matching.ensure_survey(cohort=world.cohort)
    matching.save_draft(survey=survey, user=world.peer, data={"challenges": ["one"]})
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    read: set[str] = set()

    def spy(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        read.update(tables.intersection(re.findall(r'"([A-Za-z0-9_]+)"', sql)))
        return execute(sql, *args)

    with connection.execute_wrapper(spy):
        flags.collect_flags(world.programme)
    assert read
    assert read <= freshness.watched_tables(), read - freshness.watched_tables()
