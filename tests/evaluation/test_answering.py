"""Answering a survey: drafts, validation with nothing lost, one response per person."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from evaluation import services
from evaluation.models import Response, Wave
from tests.conftest import World
from tests.evaluation.factories import PEMPAL, WaveFactory, builtin, wenger_answers

pytestmark = pytest.mark.django_db


def post_data(values: dict[str, object]) -> dict[str, object]:
    return {f"item-{code}": value for code, value in values.items()}


def test_peer_submits_the_wenger_instrument(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme, cohort=world.cohort)
    client.force_login(world.peer)
    page = client.get(reverse("evaluation:answer", args=[wave.pk]))
    assert page.status_code == 200
    assert "1. Immediate value: What happened and what was my experience of it?" in page.text
    data = post_data(wenger_answers(4, text="We compared cash plans."))
    data["submit"] = "1"
    response = client.post(reverse("evaluation:answer", args=[wave.pk]), data)
    assert response.status_code == 302
    saved = Response.objects.get(wave=wave, respondent=world.peer)
    assert saved.status == Response.Status.SUBMITTED
    assert saved.answers.count() == 10
    # Submitting again updates the same response.
    client.post(reverse("evaluation:answer", args=[wave.pk]), data)
    assert Response.objects.filter(wave=wave, respondent=world.peer).count() == 1


def test_out_of_range_likert_is_refused_and_what_was_typed_is_kept(
    world: World, client: Client
) -> None:
    wave = WaveFactory(programme=world.programme, cohort=world.cohort)
    client.force_login(world.peer)
    data = post_data(wenger_answers(4, text="Our treasury single account story"))
    data["item-applied_rating"] = "9"
    data["submit"] = "1"
    page = client.post(reverse("evaluation:answer", args=[wave.pk]), data)
    assert page.status_code == 400
    assert "Choose a value from 1 to 5." in page.text
    assert "Our treasury single account story" in page.text
    response = Response.objects.get(wave=wave, respondent=world.peer)
    assert response.status == Response.Status.DRAFT
    assert response.answers.filter(item__code="immediate_story").get().text.startswith("Our")
    assert not response.answers.filter(item__code="applied_rating").exists()


def test_missing_required_answers_are_named(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme, instrument=builtin(PEMPAL))
    client.force_login(world.peer)
    page = client.post(
        reverse("evaluation:answer", args=[wave.pk]),
        {"item-q2": "A costing template", "submit": "1"},
    )
    assert page.status_code == 400
    assert "Please answer this question." in page.text
    assert "A costing template" in page.text
    assert Response.objects.get(respondent=world.peer).status == Response.Status.DRAFT


def test_htmx_draft_saves_as_the_peer_types(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme)
    client.force_login(world.peer)
    reply = client.post(
        reverse("evaluation:draft", args=[wave.pk]),
        {"item-immediate_rating": "5", "item-immediate_story": "Half a thought"},
        HTTP_HX_REQUEST="true",
    )
    assert reply.status_code == 200
    assert "Draft saved" in reply.text
    response = Response.objects.get(wave=wave, respondent=world.peer)
    assert response.status == Response.Status.DRAFT
    page = client.get(reverse("evaluation:answer", args=[wave.pk]))
    assert "Half a thought" in page.text
    # A value that does not fit is reported, the rest saved.
    reply = client.post(
        reverse("evaluation:draft", args=[wave.pk]),
        {"item-immediate_rating": "0", "item-immediate_story": "A whole thought"},
    )
    assert "does not fit" in reply.text
    assert response.answers.get(item__code="immediate_story").text == "A whole thought"


def test_closed_wave_and_other_cohort_cannot_be_answered(world: World, client: Client) -> None:
    closed = WaveFactory(programme=world.programme, status=Wave.Status.CLOSED)
    other = WaveFactory(programme=world.programme, cohort=world.other_cohort)
    client.force_login(world.peer)
    reply = client.post(
        reverse("evaluation:answer", args=[closed.pk]),
        post_data(wenger_answers(3)) | {"submit": "1"},
    )
    assert reply.status_code == 302
    assert not Response.objects.filter(wave=closed).exists()
    assert client.get(reverse("evaluation:answer", args=[other.pk])).status_code == 403


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("number", ["abc"], "Enter a number"),
        ("number", ["-1"], "Enter 0 or more."),
        ("single", ["maybe"], "Choose one of the options."),
    ],
)
def test_bad_values_get_plain_messages(
    world: World, kind: str, raw: list[str], message: str
) -> None:
    instrument = builtin("pempal-network")
    item = instrument.items.filter(kind=kind).first()
    assert item is not None
    with pytest.raises(ValueError, match=message):
        services.clean_answer(item, raw, peer_ids=set())


def test_peer_picker_only_accepts_peers_of_the_programme(world: World) -> None:
    item = builtin("continuing-engagement").items.get(kind="peers")
    ok = services.clean_answer(
        item, [str(world.peer_same_cohort.pk)], peer_ids={world.peer_same_cohort.pk}
    )
    assert ok.selected == [world.peer_same_cohort.pk]
    with pytest.raises(ValueError, match="not a peer you may choose"):
        services.clean_answer(item, [str(world.outsider.pk)], peer_ids={world.peer_same_cohort.pk})
    with pytest.raises(ValueError, match="Choose peers from the list"):
        services.clean_answer(item, ["someone"], peer_ids={world.peer_same_cohort.pk})


def test_translated_item_text_falls_back_to_english(world: World) -> None:
    from django.utils import translation

    from tests.evaluation.factories import ItemFactory

    item = ItemFactory()
    with translation.override("fr"):
        assert item.question == "Était-ce utile ?"
    with translation.override("ru"):
        assert item.question == "How useful was it?"


def test_peer_picker_finds_only_the_peers_of_my_cohort(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme, instrument=builtin("continuing-engagement"))
    item = wave.instrument.items.get(kind="peers")
    client.force_login(world.peer)
    page = client.get(reverse("evaluation:answer", args=[wave.pk])).text
    # nobody the peer works with yet: the cohort is not listed, a search finds its peers
    assert f'name="item-which_peers" value="{world.peer_same_cohort.pk}"' not in page
    assert 'name="item-which_peers" value=' not in page
    assert 'id="item-which_peers-find"' in page
    url = reverse("evaluation:find_peers", args=[wave.pk, item.pk])
    for person in (world.peer_same_cohort, world.peer_other_cohort, world.peer):
        found = client.get(url, {"item-which_peers-find": person.full_name}).text
        shown = f'name="item-which_peers" value="{person.pk}"' in found
        assert shown is (person == world.peer_same_cohort), person
    reply = client.post(
        reverse("evaluation:answer", args=[wave.pk]),
        {"item-which_peers": [str(world.peer_other_cohort.pk)], "item-desire_learning": "4"},
    )
    assert reply.status_code == 400
    assert "is not a peer you may choose" in reply.text
    # the other answer is kept as a draft
    response = Response.objects.get(wave=wave, respondent=world.peer)
    assert [a.item.code for a in response.answers.all()] == ["desire_learning"]


def test_the_respondent_chooses_who_reads_each_free_text_answer(
    world: World, client: Client
) -> None:
    """The form shows every level with who it reaches, the question's default chosen; the
    choice is kept with the answer (and through later drafts), and decides what a programme
    manager's export holds."""
    wave = WaveFactory(programme=world.programme, cohort=world.cohort)
    url = reverse("evaluation:answer", args=[wave.pk])
    client.force_login(world.peer)
    page = client.get(url).text
    assert "Who may read this answer besides you?" in page
    assert 'name="item-immediate_story-visibility" value="facilitators" checked' in page
    assert "not in the managers&#x27; reports and exports" in page
    data = post_data(wenger_answers(4, text="We compared cash plans."))
    data["item-immediate_story-visibility"] = "programme"
    data["save"] = "1"
    client.post(url, data)
    answer = Response.objects.get(wave=wave).answers.get(item__code="immediate_story")
    assert answer.visibility == "programme"
    # A later save without the choice (or with an unknown level) keeps what was chosen.
    data.pop("item-immediate_story-visibility")
    data["submit"] = "1"
    client.post(url, data)
    answer.refresh_from_db()
    assert answer.visibility == "programme"
    client.post(url, {**data, "item-immediate_story-visibility": "everyone-on-earth"})
    answer.refresh_from_db()
    assert answer.visibility == "programme"
    page = client.get(url).text
    assert 'name="item-immediate_story-visibility" value="programme" checked' in page

    client.force_login(world.manager)
    export = reverse("evaluation:export", args=[world.programme.pk, "responses", "csv"])
    assert "We compared cash plans." in client.get(export).content.decode("utf-8-sig")

    client.force_login(world.peer)
    client.post(url, {**data, "item-immediate_story-visibility": "private"})
    client.force_login(world.manager)
    assert "We compared cash plans." not in client.get(export).content.decode("utf-8-sig")
