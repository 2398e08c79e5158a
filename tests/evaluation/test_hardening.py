"""Drafts stay with their respondent, comparison links work once, exports cannot carry formulas,
the responses API does not query once per response, and the wave page has a proper title."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import selectors
from evaluation.exports import _safe
from evaluation.models import ComparisonInvitee, Wave
from evaluation.services import comparison_token
from peerlearn.roles import Role
from tests.conftest import World
from tests.evaluation.factories import WaveFactory, answer_wave, builtin, wenger_answers
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTACT_ANSWERS = {
    "item-peer_meaning": "Someone in a similar position, privately noted",
    "item-contact_3_months": "yes",
    "item-same_organisation": "yes",
}


def api_ids(client: Client) -> set[int]:
    reply = client.get(reverse("evaluation-response-list"))
    assert reply.status_code == 200
    body = reply.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["id"] for row in rows}


# Drafts ----------------------------------------------------------------------------------------


def test_a_draft_is_read_by_its_respondent_only(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme)
    draft = answer_wave(
        wave, world.peer, wenger_answers(4, "Half-written thoughts"), submitted=False
    )
    sent = answer_wave(wave, world.peer_same_cohort, wenger_answers(5))
    for staff in (world.facilitator, world.manager, world.admin):
        client.force_login(staff)
        ids = api_ids(client)
        assert draft.pk not in ids, staff
        assert sent.pk in ids, staff
        detail = reverse("evaluation-response-detail", args=[draft.pk])
        assert client.get(detail).status_code == 404
        assert client.get(reverse("evaluation:response", args=[draft.pk])).status_code == 404
    client.force_login(world.peer)
    assert draft.pk in api_ids(client)
    mine = client.get(reverse("evaluation-response-detail", args=[draft.pk]))
    assert mine.status_code == 200
    assert mine.json()["status"] == "draft"
    assert client.get(reverse("evaluation:response", args=[draft.pk])).status_code == 200


# Comparison links ---------------------------------------------------------------------------


@pytest.fixture
def invitee(world: World) -> ComparisonInvitee:
    wave = WaveFactory(programme=world.programme, instrument=builtin("peer-contact"))
    return ComparisonInvitee.objects.create(wave=wave, email="ana@example.org")


def test_an_answered_comparison_link_shows_and_takes_nothing_more(
    client: Client, invitee: ComparisonInvitee
) -> None:
    url = reverse("evaluation:comparison", args=[comparison_token(invitee)])
    form = client.get(url)
    assert form.status_code == 200
    assert form["Cache-Control"] == "no-store"
    assert client.post(url, CONTACT_ANSWERS).status_code == 200
    again = client.get(url)
    assert again.status_code == 200
    assert again["Cache-Control"] == "no-store"
    assert "already been answered" in again.text
    assert "privately noted" not in again.text
    assert 'name="item-' not in again.text  # no form, nothing pre-filled
    overwrite = client.post(url, CONTACT_ANSWERS | {"item-peer_meaning": "Overwritten"})
    assert overwrite.status_code == 409
    assert overwrite["Cache-Control"] == "no-store"
    assert "privately noted" not in overwrite.text
    invitee.refresh_from_db()
    assert invitee.answers["peer_meaning"]["text"].endswith("privately noted")


def test_a_comparison_link_stops_after_the_wave_closes(
    client: Client, invitee: ComparisonInvitee
) -> None:
    url = reverse("evaluation:comparison", args=[comparison_token(invitee)])
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    Wave.objects.filter(pk=invitee.wave_id).update(
        opens_on=today - timedelta(days=30),
        due_on=today - timedelta(days=10),
        closes_on=today - timedelta(days=1),
    )
    gone = client.get(url)
    assert gone.status_code == 404
    assert gone["Cache-Control"] == "no-store"
    assert client.post(url, CONTACT_ANSWERS).status_code == 404
    invitee.refresh_from_db()
    assert invitee.submitted_at is None


# Exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        ' =HYPERLINK("http://x")',
        "\n=cmd",
        "\t=1",
        "\r=1",
        "  \t+1",
        "\uff1d1+1",
        "\uff0bSUM(A1)",
        "\uff0d1",
        "\uff20SUM(A1)",
        " \uff1d1",
        "\u3000=1",
        "-5",
        "@x",
    ],
)
def test_export_cells_that_could_be_formulas_are_quoted(value: str) -> None:
    assert _safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Budget calendar", " plain text", "", 4, None, 2.5, "a=b"])
def test_export_cells_without_formulas_are_kept(value: Any) -> None:
    assert _safe(value) == value


# Responses API queries -------------------------------------------------------------------------


def test_the_responses_list_does_not_query_once_per_response(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme)
    answer_wave(wave, world.peer, wenger_answers(4, "A shared budget calendar"))
    client.force_login(world.facilitator)
    with CaptureQueriesContext(connection) as few:
        assert len(api_ids(client)) == 1
    for number in range(5):
        person = UserFactory()
        MembershipFactory(
            user=person, programme=world.programme, role=Role.PEER, cohort=world.cohort
        )
        answer_wave(wave, person, wenger_answers(3 + number % 3, f"Story {number}"))
    with CaptureQueriesContext(connection) as many:
        assert len(api_ids(client)) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_prefetched_answers_follow_the_same_visibility(world: World) -> None:
    wave = WaveFactory(programme=world.programme)
    response = answer_wave(wave, world.peer, wenger_answers(4, "Kept among facilitators"))
    loaded = selectors.prefetch_answers(selectors.responses_for(world.manager)).get(pk=response.pk)
    expected = list(selectors.answers_visible_to(world.manager, response))
    assert selectors.loaded_answers_visible_to(world.manager, loaded) == expected
    loaded = selectors.prefetch_answers(selectors.responses_for(world.facilitator)).get(
        pk=response.pk
    )
    expected = list(selectors.answers_visible_to(world.facilitator, response))
    assert selectors.loaded_answers_visible_to(world.facilitator, loaded) == expected


# Wave page title --------------------------------------------------------------------------------


def test_the_wave_page_title_is_the_wave_name(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme, title="Mid-term survey")
    client.force_login(world.facilitator)
    page = client.get(reverse("evaluation:wave", args=[wave.pk]))
    assert page.status_code == 200
    titles = re.findall(r"<title>(.*?)</title>", page.text, flags=re.S)
    assert len(titles) == 1
    assert titles[0].strip() == "Mid-term survey · PeerLearn"
    assert page.text.count('id="comparison-heading"') == 1
