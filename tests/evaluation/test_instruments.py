"""Built-in instruments are quoted word for word; editing an answered instrument versions it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from evaluation import services
from evaluation.models import Instrument, Item, Wave
from tests.conftest import World
from tests.evaluation.factories import (
    InstrumentFactory,
    ItemFactory,
    WaveFactory,
    answer_wave,
    builtin,
)

pytestmark = pytest.mark.django_db

SEED = Path("/work/shared/seeds/000_ea49eecaab008382.txt")


def normalised(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("\u2019", "'").replace("PEMPAL", "PEM PAL")
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEED.exists(), reason="the report is not on this machine")
@pytest.mark.parametrize("key", ["wenger-value-creation", "pempal-story"])
def test_questions_are_word_for_word_from_the_report(key: str) -> None:
    report = normalised(SEED.read_text(encoding="utf-8"))
    items = builtin(key).items.exclude(kind=Item.Kind.LIKERT)
    assert items.exists()
    for item in items:
        if item.code.endswith("_story") or item.code.startswith("q"):
            assert normalised(item.question) in report, item.code


def test_wenger_has_the_five_cycles_and_potential_a_to_e() -> None:
    items = builtin("wenger-value-creation").items.filter(kind=Item.Kind.LIKERT)
    cycles = {(item.cycle, item.cycle_part) for item in items}
    assert cycles == {
        ("immediate", ""),
        ("potential", "a"),
        ("potential", "b"),
        ("potential", "c"),
        ("potential", "d"),
        ("potential", "e"),
        ("applied", ""),
        ("realised", ""),
        ("reframing", ""),
    }
    assert items.get(cycle="immediate").question == (
        "1. Immediate value: What happened and what was my experience of it?"
    )


def test_every_builtin_names_its_source() -> None:
    builtins = Instrument.objects.filter(programme__isnull=True)
    assert {i.family for i in builtins} >= {
        "wenger-value-creation",
        "pempal-story",
        "continuing-engagement",
        "peer-contact",
        "end-product-rubric",
    }
    for instrument in builtins:
        assert instrument.source
        assert instrument.summary


def test_peer_contact_covers_experiment_four() -> None:
    codes = set(builtin("peer-contact").items.values_list("code", flat=True))
    assert {
        "peer_meaning",
        "contact_3_months",
        "frequency",
        "channel",
        "same_organisation",
        "shared_task",
        "lessons",
    } <= codes


def test_editing_an_answered_instrument_makes_a_new_version(world: World) -> None:
    instrument = InstrumentFactory(programme=world.programme)
    ItemFactory(instrument=instrument, code="useful")
    wave = WaveFactory(programme=world.programme, instrument=instrument)
    later = WaveFactory(
        programme=world.programme, instrument=instrument, status=Wave.Status.SCHEDULED
    )
    old_response = answer_wave(wave, world.peer, {"useful": 5})
    item = services.add_item(
        instrument=instrument,
        edited_by=world.facilitator,
        kind=Item.Kind.SHORT_TEXT,
        text="What would you change?",
    )
    new = item.instrument
    assert new.pk != instrument.pk
    assert new.version == 2 and new.is_current
    instrument.refresh_from_db()
    assert not instrument.is_current
    assert list(new.items.values_list("code", flat=True)) == ["useful", item.code]
    assert list(instrument.items.values_list("code", flat=True)) == ["useful"]
    old_response.refresh_from_db()
    assert old_response.instrument_id == instrument.pk
    assert old_response.answers.get().item.instrument_id == instrument.pk
    later.refresh_from_db()
    assert later.instrument_id == new.pk


def test_editing_an_unanswered_instrument_changes_it_in_place(world: World) -> None:
    instrument = InstrumentFactory(programme=world.programme)
    services.add_item(
        instrument=instrument, edited_by=None, kind=Item.Kind.NUMBER, text="How many?"
    )
    assert Instrument.objects.filter(family=instrument.family).count() == 1


def test_builtins_cannot_be_edited() -> None:
    with pytest.raises(services.EvaluationError):
        services.add_item(
            instrument=builtin("pempal-story"), edited_by=None, kind="likert", text="Extra"
        )


def test_facilitator_builds_an_instrument_in_the_browser_pages(
    world: World, client: Client
) -> None:
    client.force_login(world.facilitator)
    reply = client.post(
        reverse("evaluation:instruments", args=[world.programme.pk]),
        {"name": "Pulse survey", "name_fr": "Sondage"},
    )
    instrument = Instrument.objects.get(programme=world.programme)
    assert reply.status_code == 302
    assert instrument.name == {"en": "Pulse survey", "fr": "Sondage"}
    bad = client.post(
        reverse("evaluation:instrument", args=[instrument.pk]),
        {"kind": "single", "text": "Which?", "choices": "Only one", "visibility": "private"},
    )
    assert bad.status_code == 400
    assert "Give at least two options" in bad.text
    assert not instrument.items.exists()
    good = client.post(
        reverse("evaluation:instrument", args=[instrument.pk]),
        {
            "kind": "single",
            "text": "Which?",
            "text_fr": "Laquelle ?",
            "choices": "Budget\nTreasury",
            "visibility": "private",
        },
    )
    assert good.status_code == 302
    item = instrument.items.get()
    assert item.text == {"en": "Which?", "fr": "Laquelle ?"}
    assert [value for value, _label in item.options()] == ["budget", "treasury"]


def test_builtins_read_in_french_with_english_fallback() -> None:
    from django.utils import translation

    wenger = builtin("wenger-value-creation")
    rating = wenger.items.get(code="reframing_rating")
    story = wenger.items.get(code="reframing_story")
    with translation.override("fr"):
        assert wenger.title == "Cycles de création de valeur (Wenger-Trayner)"
        assert rating.question.startswith("5. Valeur de recadrage")
        assert rating.options()[4] == ("5", "Une grande valeur")
        assert story.question.startswith("Le processus d'apprentissage social")
    with translation.override("ru"):  # no Russian text: the English one
        assert story.question.startswith("Has the process of social learning")
    assert rating.question.startswith("5. Reframing value")
