"""Upgrading from the schema where group life lived in ``matching`` and ``evaluation`` keeps
every row: the group_life app takes the tables over as they are."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [
    ("matching", "0002_group_life"),
    ("evaluation", "0006_reflection_journal"),
    ("group_life", None),
]


def _leaf_nodes(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_through_group_life() -> None:
    executor = MigrationExecutor(connection)
    latest = _leaf_nodes(executor)
    executor.migrate(OLD)
    # whatever happens, the next tests find the latest schema
    try:
        old = MigrationExecutor(connection).loader.project_state(OLD[:2]).apps

        user_model = old.get_model("users", "User")
        peer = user_model.objects.create(email="old-peer@example.org", full_name="Old Peer")
        mate = user_model.objects.create(email="old-mate@example.org", full_name="Old Mate")
        programme = old.get_model("programmes", "Programme").objects.create(name="Before the move")
        cohort = old.get_model("programmes", "Cohort").objects.create(
            programme=programme, name="Cohort A"
        )
        run = old.get_model("matching", "MatchingRun").objects.create(
            cohort=cohort, strategy="balanced", published_at=datetime.datetime.now(datetime.UTC)
        )
        group = old.get_model("matching", "Group").objects.create(run=run, label="A")
        draft = old.get_model("matching", "ProblemDraft").objects.create(
            group=group, author=peer, text="Commitments outrun cash."
        )
        old.get_model("matching", "GroupWorkspace").objects.create(
            group=group, distilled=draft, on_progress_board=True
        )
        sub_group = old.get_model("matching", "SubGroup").objects.create(
            programme=programme, name="Arrears", problem="Arrears build up."
        )
        sub_group.groups.add(group)
        sub_group.members.add(peer, mate)
        old.get_model("matching", "PairRequest").objects.create(
            programme=programme, requested_by=peer, requested_of=mate, purpose="Visit the treasury"
        )
        prompt = old.get_model("evaluation", "ReflectionPrompt").objects.create(
            group=group, question="What did you learn?", due_on=datetime.date(2026, 3, 1)
        )
        old.get_model("evaluation", "ReflectionEntry").objects.create(
            programme=programme,
            author=peer,
            group=group,
            prompt=prompt,
            learned="Link commitment control to the cash plan.",
            visibility="group",
        )
        ContentType.objects.get_or_create(app_label="matching", model="problemdraft")
        ContentType.objects.get_or_create(app_label="evaluation", model="reflectionentry")

    finally:
        MigrationExecutor(connection).migrate(latest)
    ContentType.objects.clear_cache()

    from group_life.models import (
        GroupWorkspace,
        PairRequest,
        ProblemDraft,
        ReflectionEntry,
        SubGroup,
    )

    workspace = GroupWorkspace.objects.get(group_id=group.pk)
    assert workspace.distilled is not None
    assert workspace.distilled.text == "Commitments outrun cash."
    assert workspace.on_progress_board
    assert ProblemDraft.objects.get(pk=draft.pk).author_id == peer.pk
    moved = SubGroup.objects.get(pk=sub_group.pk)
    assert list(moved.groups.values_list("pk", flat=True)) == [group.pk]
    assert set(moved.members.values_list("email", flat=True)) == {
        "old-peer@example.org",
        "old-mate@example.org",
    }
    assert PairRequest.objects.get(programme_id=programme.pk).purpose == "Visit the treasury"
    entry = ReflectionEntry.objects.get(author_id=peer.pk)
    assert entry.prompt is not None
    assert entry.prompt.question == "What did you learn?"
    assert entry.group_id == group.pk
    assert ContentType.objects.filter(app_label="group_life", model="problemdraft").exists()
    assert ContentType.objects.filter(app_label="group_life", model="reflectionentry").exists()
    assert not ContentType.objects.filter(app_label="matching", model="problemdraft").exists()
