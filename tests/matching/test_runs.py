"""Themes, matching runs, review (moves, locks, score), publication, requests to move, the
nightly late-joiner job, replacement proposals and flags."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from matching import engine, selectors, services
from matching.flags import flags_for
from matching.models import GroupMember, GroupMove, MatchingRun, MoveRequest, Theme
from matching.themes import adjusted_rand_index, propose_themes
from tests.conftest import World
from tests.matching.factories import add_peers, finished_run, theme_by_statement

pytestmark = pytest.mark.django_db


def _ready(world: World, count: int = 12) -> list:
    peers = add_peers(world.cohort, count)
    theme_by_statement(services.ensure_survey(cohort=world.cohort))
    return peers


def test_themes_are_proposed_renamed_merged_split_and_accepted(world: World) -> None:
    add_peers(world.cohort, 8)
    survey = services.ensure_survey(cohort=world.cohort)
    proposal = services.propose_now(survey=survey, by=world.facilitator, count=2)
    assert proposal.theme_count == 2 and proposal.statement_count == 24
    first, second = list(survey.themes.order_by("pk"))
    assert first.challenges.count() + second.challenges.count() == 24
    services.rename_theme(theme=first, name="Buying things", by=world.facilitator)
    moved = first.challenges.first()
    assert moved is not None
    services.move_statements(survey=survey, challenge_ids=[moved.pk], theme=second)
    moved.refresh_from_db()
    assert moved.theme == second
    new = services.create_theme(survey=survey, name="Split off", challenge_ids=[moved.pk])
    assert list(new.challenges.all()) == [moved]
    services.merge_themes(source=new, target=first)
    assert not Theme.objects.filter(pk=new.pk).exists()
    services.accept_themes(survey=survey)
    survey.refresh_from_db()
    assert survey.themes_accepted_at is not None
    with pytest.raises(services.MatchingError):
        services.merge_themes(source=first, target=first)


def test_clustering_separates_clearly_different_problems() -> None:
    texts = [
        "Tenders attract a single bidder",
        "Bidders collude in procurement tenders",
        "Procurement tenders are slow",
        "Ghost workers on the payroll",
        "Payroll and salary controls are weak",
        "Salary allowances exceed the payroll budget",
    ]
    proposed = propose_themes(texts, k=2)
    labels = [0] * 6
    for index, theme in enumerate(proposed):
        for member in theme.members:
            labels[member] = index
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], labels) == 1.0


def test_run_forms_groups_with_explanations_and_progress(world: World) -> None:
    _ready(world, 12)
    seen: list[float] = []
    run = services.start_run(
        cohort=world.cohort, created_by=world.facilitator, options=engine.Options(seed=2)
    )
    assert services.execute_run(run_id=run.pk, progress=seen.append)
    assert services.execute_run(run_id=run.pk) is False  # idempotent
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE and seen[-1] == 1.0
    groups = list(selectors.groups_of(run))
    assert sorted(len(g.members.all()) for g in groups) == [6, 6]
    assert all(g.explanation_text for g in groups)
    assert run.score is not None and run.report["all_met"]


def test_task_strategy_carries_the_experiment_warning(world: World) -> None:
    _ready(world, 10)
    run = finished_run(world.cohort, strategy="task")
    assert run.warnings and "least effective" in run.warnings[0]


def test_move_lock_rescore_publish_and_audit(world: World, client: Client) -> None:
    peers = _ready(world, 12)
    run = finished_run(world.cohort)
    before = run.score
    groups = list(run.groups.all())
    member = GroupMember.objects.get(run=run, user=peers[0])
    target = next(g for g in groups if g.pk != member.group_id)
    client.force_login(world.facilitator)
    url = reverse("matching:run_move", args=[world.programme.pk, run.pk])
    response = client.post(
        url, {"user_id": peers[0].pk, "to_group": target.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    run.refresh_from_db()
    assert run.score != before
    assert "Overall score" in response.content.decode()
    move = GroupMove.objects.get(run=run)
    assert (move.user, move.to_group, move.moved_by) == (peers[0], target, world.facilitator)
    services.set_locked(member=GroupMember.objects.get(run=run, user=peers[0]), locked=True)
    with pytest.raises(services.MatchingError):
        services.move_peer(run=run, user_id=peers[0].pk, to_group=groups[0], moved_by=None)
    services.publish_run(run=run, published_by=world.facilitator)
    other = finished_run(world.cohort)
    with pytest.raises(services.MatchingError):
        services.publish_run(run=other, published_by=world.facilitator)
    assert selectors.published_groups(world.programme).count() == 2


def test_peer_sees_group_asks_to_move_and_churn_is_reported(world: World, client: Client) -> None:
    peers = _ready(world, 12)
    run = finished_run(world.cohort)
    services.publish_run(run=run, published_by=world.facilitator)
    client.force_login(peers[1])
    page = client.get(reverse("matching:my_group", args=[world.programme.pk]))
    group = selectors.my_group(peers[1], world.programme)
    assert group is not None and escape(group.explanation_text) in page.content.decode()
    refused = client.post(reverse("matching:my_group", args=[world.programme.pk]), {"reason": ""})
    assert refused.status_code == 400
    my_group = reverse("matching:my_group", args=[world.programme.pk])
    client.post(my_group, {"reason": "Timezone"})
    declined = MoveRequest.objects.get(user=peers[1])
    client.force_login(world.facilitator)
    detail = client.get(reverse("matching:run_detail", args=[world.programme.pk, run.pk]))
    decline = reverse("matching:decline_request", args=[world.programme.pk, run.pk, declined.pk])
    assert f'formaction="{decline}"' in detail.content.decode()
    response = client.post(decline, {"note": "Stay for now"}, follow=True)
    assert "Move declined." in response.content.decode()
    declined.refresh_from_db()
    assert declined.status == MoveRequest.Status.DECLINED
    assert declined.decision_note == "Stay for now"
    again = client.post(decline, follow=True)  # already answered: said in plain words
    assert "already been answered" in again.content.decode()
    client.force_login(peers[1])
    client.post(my_group, {"reason": "Language"})
    request = MoveRequest.objects.get(user=peers[1], status=MoveRequest.Status.PENDING)
    target = run.groups.exclude(pk=group.pk).first()
    assert target is not None
    approve = reverse("matching:approve_request", args=[world.programme.pk, run.pk, request.pk])
    assert client.post(approve, {"to_group": target.pk}).status_code == 403  # peers do not
    client.force_login(world.facilitator)
    response = client.post(approve, {"to_group": target.pk}, follow=True)
    assert "Move approved." in response.content.decode()
    assert selectors.my_group(peers[1], world.programme) == target
    churn = selectors.churn(run)
    assert churn.moved_after_publication == 1 and churn.placed_at_publication == 12
    move = GroupMove.objects.get(run=run, user=peers[1])
    assert move.kind == GroupMove.Kind.REQUEST and move.reason == "Language"


def test_late_joiner_is_placed_without_moving_anyone(world: World) -> None:
    _ready(world, 10)
    run = finished_run(world.cohort)
    services.publish_run(run=run, published_by=world.facilitator)
    before = dict(selectors.current_assignment(run))
    late = add_peers(world.cohort, 1, prefix="late")[0]
    assert any(f.code == "peers-without-group" for f in flags_for(world.programme))
    result = services.place_late_joiners(run_id=run.pk)
    assert result["placed"] == 1
    after = selectors.current_assignment(run)
    assert all(after[pid] == label for pid, label in before.items())
    assert str(late.pk) in after
    assert services.place_late_joiners(run_id=run.pk)["placed"] == 0  # idempotent
    assert GroupMove.objects.get(run=run, user=late).kind == GroupMove.Kind.LATE_JOINER


def test_leaving_peer_gets_replacement_proposals(world: World) -> None:
    peers = _ready(world, 13)
    run = finished_run(world.cohort)
    services.publish_run(run=run, published_by=world.facilitator)
    member = GroupMember.objects.get(run=run, user=peers[0])
    group = services.remove_from_group(member=member, removed_by=None, reason="Left post")
    proposals = selectors.replacement_proposals(group=group, leaving_user_id=peers[0].pk)
    assert proposals and all(p.peer_id != str(peers[0].pk) for p in proposals)


def test_flag_for_task_only_matching(world: World) -> None:
    _ready(world, 10)
    run = finished_run(world.cohort, strategy="task")
    services.publish_run(run=run, published_by=world.facilitator)
    assert "matching-by-position-or-task" in {f.code for f in flags_for(world.programme)}


def test_run_form_refuses_bad_sizes_with_a_message(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    url = reverse("matching:run_new", args=[world.programme.pk, world.cohort.pk])
    response = client.post(
        url,
        {
            "strategy": "problem",
            "min_size": 6,
            "max_size": 5,
            "seed": 0,
            "weight_problem": 1,
            "weight_role": 0,
            "weight_task": 0,
            "weight_context": 0,
        },
    )
    assert response.status_code == 400
    assert "at least as large" in response.content.decode()
    assert not MatchingRun.objects.exists()


def test_strategy_warning_partial(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    url = reverse("matching:strategy_warning", args=[world.programme.pk])
    assert "least effective" in client.get(url + "?strategy=task").content.decode()
    assert "untested" in client.get(url + "?strategy=context").content.decode()
    assert "Warning" not in client.get(url + "?strategy=problem").content.decode()


def test_api_starts_a_run(world: World, client: Client) -> None:
    _ready(world, 10)
    client.force_login(world.facilitator)
    response = client.post(
        reverse("matching-run-list"),
        {"cohort": world.cohort.pk, "strategy": "problem", "seed": 3},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert MatchingRun.objects.get().options["seed"] == 3


def test_api_run_for_a_cohort_of_another_programme_reveals_nothing(
    world: World, client: Client
) -> None:
    from tests.factories import CohortFactory

    foreign = CohortFactory(programme=world.other_programme)
    client.force_login(world.facilitator)
    url = reverse("matching-run-list")
    for cohort_id in (foreign.pk, 999_999):
        response = client.post(
            url, {"cohort": cohort_id, "strategy": "problem"}, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json() == {"cohort": ["Unknown cohort."]}


def test_a_crashing_run_is_marked_failed_not_left_polling(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ready(world, 10)
    run = MatchingRun.objects.create(
        cohort=world.cohort, strategy="problem", options=engine.Options().to_dict()
    )

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "run", boom)
    with pytest.raises(RuntimeError):
        services.execute_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED and "disk full" in run.error
    assert run.is_finished
