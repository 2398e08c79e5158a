"""Factories and helpers for evaluation tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from evaluation.builtin import ensure_builtin_instruments
from evaluation.models import Answer, Instrument, Item, Response, Story, Wave
from peerlearn.users.models import User
from programmes.models import Programme
from tests.factories import ProgrammeFactory, UserFactory

WENGER = "wenger-value-creation"
PEMPAL = "pempal-story"


def builtin(key: str) -> Instrument:
    ensure_builtin_instruments()
    return Instrument.objects.get(family=key, is_current=True)


class InstrumentFactory(DjangoModelFactory[Instrument]):
    class Meta:
        model = Instrument

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"custom-{n}")
    family = factory.Sequence(lambda n: f"family-{n}")
    name = factory.LazyFunction(lambda: {"en": "Our own survey", "fr": "Notre questionnaire"})


class ItemFactory(DjangoModelFactory[Item]):
    class Meta:
        model = Item

    instrument = factory.SubFactory(InstrumentFactory)
    position = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"q{n}")
    kind = Item.Kind.LIKERT
    text = factory.LazyFunction(lambda: {"en": "How useful was it?", "fr": "Était-ce utile ?"})


class WaveFactory(DjangoModelFactory[Wave]):
    class Meta:
        model = Wave

    programme = factory.SubFactory(ProgrammeFactory)
    instrument = factory.LazyFunction(lambda: builtin(WENGER))
    kind = Wave.Kind.END_OF_EVENT
    title = factory.Sequence(lambda n: f"Survey wave {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=13))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=27))
    status = Wave.Status.OPEN


class StoryFactory(DjangoModelFactory[Story]):
    class Meta:
        model = Story

    programme = factory.SubFactory(ProgrammeFactory)
    author = factory.SubFactory(UserFactory)
    title = "A budget calendar that holds"
    immediate_value = "We compared our budget calendars."
    potential_value = "A template for a top-down ceiling."
    aspirational_ending = "Ceilings approved before June."


def answer_wave(
    wave: Wave, user: User, values: dict[str, Any], *, submitted: bool = True
) -> Response:
    """Write a response directly (bypassing validation) with ``{item code: value}``."""
    response = Response.objects.create(
        wave=wave,
        instrument=wave.instrument,
        respondent=user,
        status=Response.Status.SUBMITTED if submitted else Response.Status.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    items = {item.code: item for item in wave.instrument.items.all()}
    for code, value in values.items():
        item = items[code]
        answer = Answer(response=response, item=item, visibility=item.visibility)
        if item.kind in (Item.Kind.LIKERT, Item.Kind.NUMBER):
            answer.number = float(value)
        elif item.kind == Item.Kind.SINGLE:
            answer.choice = value
        elif item.kind in (Item.Kind.MULTIPLE, Item.Kind.PEERS):
            answer.selected = list(value)
        else:
            answer.text = value
        answer.save()
    return response


def wenger_answers(rating: int, text: str = "") -> dict[str, Any]:
    codes = [
        "immediate",
        "potential_a",
        "potential_b",
        "potential_c",
        "potential_d",
        "potential_e",
        "applied",
        "realised",
        "reframing",
    ]
    values: dict[str, Any] = {f"{code}_rating": rating for code in codes}
    if text:
        values["immediate_story"] = text
    return values


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def programme_with(programme: Programme | None = None) -> Programme:
    return programme or ProgrammeFactory()
