"""Intake: at least three challenges, drafts kept as typed, revision until publication,
reminders, and privacy of answers."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from matching import selectors, services
from matching.models import IntakeResponse
from tests.conftest import World
from tests.matching.factories import add_peers, finished_run, theme_by_statement

pytestmark = pytest.mark.django_db


def _post(client: Client, w: World, **fields: str) -> object:
    return client.post(reverse("matching:intake", args=[w.programme.pk]), fields)


def test_submission_with_two_challenges_is_refused_and_what_was_typed_is_kept(
    world: World, client: Client
) -> None:
    client.force_login(world.peer)
    response = _post(
        client, world, challenge_0="Arrears keep growing", challenge_1="Cash plans fail"
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    text = response.content.decode()  # type: ignore[attr-defined]
    assert "at least 3 different challenges" in text
    assert "Arrears keep growing" in text and "Cash plans fail" in text
    stored = IntakeResponse.objects.get(user=world.peer)
    assert stored.submitted_at is None
    assert stored.draft["challenges"][:2] == ["Arrears keep growing", "Cash plans fail"]
    assert world.peer.pk not in selectors.intake_done_user_ids(world.programme)


def test_three_duplicates_count_as_one(world: World, client: Client) -> None:
    client.force_login(world.peer)
    response = _post(client, world, challenge_0="Same", challenge_1="same ", challenge_2="SAME")
    assert response.status_code == 400  # type: ignore[attr-defined]


def test_three_challenges_are_accepted_and_can_be_revised(world: World, client: Client) -> None:
    client.force_login(world.peer)
    survey = services.ensure_survey(cohort=world.cohort)
    survey.factors = ["role"]
    survey.save()
    response = _post(
        client,
        world,
        challenge_0="A one",
        challenge_1="B two",
        challenge_2="C three",
        role="Auditor",
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    stored = IntakeResponse.objects.get(user=world.peer)
    assert stored.answers["challenges"] == ["A one", "B two", "C three"]
    assert stored.answers["role"] == "Auditor"
    assert selectors.intake_done_user_ids(world.programme) == {world.peer.pk}
    _post(client, world, challenge_0="A one", challenge_1="D four", challenge_2="C three", role="X")
    stored.refresh_from_db()
    assert [c.text for c in stored.challenges.all()] == ["A one", "D four", "C three"]


def test_draft_endpoint_saves_as_typed(world: World, client: Client) -> None:
    client.force_login(world.peer)
    url = reverse("matching:intake_draft", args=[world.programme.pk])
    response = client.post(
        url, {"challenge_0": "Half a thou", "goals": "learn"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Draft saved" in response.content.decode()
    stored = IntakeResponse.objects.get(user=world.peer)
    assert stored.draft["challenges"][0] == "Half a thou"
    page = client.get(reverse("matching:intake", args=[world.programme.pk]))
    assert "Half a thou" in page.content.decode()


def test_intake_closes_when_groups_are_published(world: World) -> None:
    peers = add_peers(world.cohort, 6)
    survey = services.ensure_survey(cohort=world.cohort)
    theme_by_statement(survey)
    run = finished_run(world.cohort)
    services.publish_run(run=run, published_by=world.facilitator, confirmed=True)
    with pytest.raises(services.MatchingError):
        services.submit_intake(
            survey=survey, user=peers[0], answers={"challenges": ["a", "b", "c"]}
        )
    late = add_peers(world.cohort, 1, submit=False, prefix="late")[0]
    assert selectors.intake_open(survey, late)
    services.submit_intake(survey=survey, user=late, answers={"challenges": ["a", "b", "c"]})


def test_reminders_go_to_unfinished_peers_once_a_day(world: World) -> None:
    survey = services.ensure_survey(cohort=world.cohort)
    services.submit_intake(
        survey=survey, user=world.peer, answers={"challenges": ["a1", "b1", "c1"]}
    )
    sent = services.send_intake_reminders(survey_id=survey.pk)
    assert sent == 1  # peer_same_cohort only
    assert mail.outbox[0].to == [world.peer_same_cohort.email]
    assert reverse("matching:intake", args=[world.programme.pk]) in mail.outbox[0].body
    assert services.send_intake_reminders(survey_id=survey.pk) == 0
    assert len(mail.outbox) == 1


def test_a_peer_sees_only_their_own_answers_in_the_api(world: World, client: Client) -> None:
    survey = services.ensure_survey(cohort=world.cohort)
    services.submit_intake(
        survey=survey, user=world.peer_same_cohort, answers={"challenges": ["x1", "y1", "z1"]}
    )
    services.submit_intake(
        survey=survey, user=world.peer, answers={"challenges": ["mine1", "mine2", "mine3"]}
    )
    client.force_login(world.peer)
    data = client.get(reverse("matching-intake-list")).json()
    assert [row["email"] for row in data["results"]] == [world.peer.email]
    assert "x1" not in str(data)
    client.force_login(world.outsider)
    assert client.get(reverse("matching-intake-list")).json()["results"] == []


def test_facilitator_sees_completion(world: World, client: Client) -> None:
    survey = services.ensure_survey(cohort=world.cohort)
    services.submit_intake(
        survey=survey, user=world.peer, answers={"challenges": ["a1", "b1", "c1"]}
    )
    client.force_login(world.facilitator)
    page = client.get(reverse("matching:survey", args=[world.programme.pk, world.cohort.pk]))
    assert "1 of 2 peers have completed the intake" in page.content.decode()


def test_api_submit_refuses_two_challenges_and_accepts_three(world: World, client: Client) -> None:
    client.force_login(world.peer)
    url = reverse("matching-intake-submit")
    refused = client.post(
        url,
        {"programme": world.programme.pk, "challenges": ["one", "two"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "at least 3" in str(refused.json())
    accepted = client.post(
        url,
        {"programme": world.programme.pk, "challenges": ["one", "two", "three"]},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert accepted.json()["challenges"] == ["one", "two", "three"]
    client.force_login(world.facilitator)
    forbidden = client.post(
        url,
        {"programme": world.programme.pk, "challenges": ["a", "b", "c"]},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    client.force_login(world.outsider)
    unknown = client.post(
        url,
        {"programme": world.programme.pk, "challenges": ["a", "b", "c"]},
        content_type="application/json",
    )
    assert unknown.status_code == 400


def test_flag_for_peers_stuck_below_three_challenges(world: World) -> None:
    from matching.flags import flags_for

    survey = services.ensure_survey(cohort=world.cohort)
    assert not flags_for(world.programme)
    services.save_draft(survey=survey, user=world.peer, data={"challenges": ["only one", ""]})
    flags = [f for f in flags_for(world.programme) if f.code == "fewer-than-three-challenges"]
    assert len(flags) == 1 and flags[0].message.startswith("1 peer of")
    services.submit_intake(
        survey=survey, user=world.peer, answers={"challenges": ["a1", "b1", "c1"]}
    )
    assert not flags_for(world.programme)


def test_missing_factor_answers_are_named_and_nothing_is_lost(world: World, client: Client) -> None:
    survey = services.ensure_survey(cohort=world.cohort)
    survey.factors = ["seniority"]
    survey.save()
    client.force_login(world.peer)
    response = _post(client, world, challenge_0="A1", challenge_1="B2", challenge_2="C3")
    assert response.status_code == 400  # type: ignore[attr-defined]
    text = response.content.decode()  # type: ignore[attr-defined]
    assert "Some answers are missing" in text and "This field is required." in text
    assert "A1" in text and "C3" in text
    assert not IntakeResponse.objects.filter(user=world.peer, submitted_at__isnull=False).exists()


def test_an_autosave_identical_to_the_submission_leaves_no_draft(world: World) -> None:
    survey = services.ensure_survey(cohort=world.cohort)
    services.submit_intake(
        survey=survey, user=world.peer, answers={"challenges": ["a1", "b1", "c1"], "role": "X"}
    )
    same = services.save_draft(
        survey=survey, user=world.peer, data={"challenges": ["a1", "b1", "c1", ""], "role": "X"}
    )
    assert same.draft == {}
    changed = services.save_draft(
        survey=survey, user=world.peer, data={"challenges": ["a1", "b1", "d1"], "role": "X"}
    )
    assert changed.draft["challenges"] == ["a1", "b1", "d1"]
