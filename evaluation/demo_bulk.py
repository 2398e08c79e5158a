"""Evaluation's part of the demo programme of any size (``manage.py load_demo --peers N``).

The waves of the hand-written demo (``evaluation.demo``) with the same shares of peers
answering and the same spread of answers, written in bulk; a follow-up wave open today that
about half of the peers have answered; value-creation stories by one peer in five (half of them
followed up); the comparison group and the domain indicators. Every response was submitted in
the past: a wave's answers come in over its first two weeks, but never after now.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from matching.selectors import published_groups
from peerlearn.roles import Role
from programmes.selectors import all_memberships

from .demo import (
    EVENT_END,
    FOLLOW_UPS,
    IMPACT,
    OPEN_WAVE,
    STORIES,
    WAVES,
    _answers_for,
    _comparison_group,
    _moment,
)
from .models import (
    Answer,
    ImpactIndicator,
    ImpactObservation,
    Instrument,
    Reminder,
    Response,
    Story,
    Visibility,
    Wave,
)

if TYPE_CHECKING:
    from programmes.models import Programme

BATCH = 5000


def _answer_all(
    wave: Wave,
    peer_ids: list[int],
    share: float,
    rng: random.Random,
    mates: dict[int, list[int]],
    *,
    skip: int = 0,
) -> None:
    """Responses of about ``share`` of the peers (after the first ``skip``), in bulk. The peers
    a respondent names are members of their group."""
    now = timezone.now()
    instrument = Instrument.objects.prefetch_related("items").get(pk=wave.instrument_id)
    responses: list[Response] = []
    values = []
    for user_id in peer_ids[skip:]:
        if rng.random() >= share:
            continue
        submitted = min(
            _moment(wave.opens_on + timedelta(days=rng.randrange(0, 14))),
            now - timedelta(minutes=rng.randrange(5, 600)),
        )
        responses.append(
            Response(
                wave=wave,
                instrument=instrument,
                respondent_id=user_id,
                status=Response.Status.SUBMITTED,
                submitted_at=submitted,
                updated_at=submitted,
            )
        )
        values.append(
            _answers_for(
                instrument, rng, rng.uniform(-0.6, 0.5), mates.get(user_id, [user_id]), user_id
            )
        )
    created = Response.objects.bulk_create(responses, batch_size=BATCH)
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                item=item,
                visibility=item.visibility,
                number=value.get("number"),
                choice=value.get("choice", ""),
                text=value.get("text", ""),
                selected=value.get("selected", []),
            )
            for response, answers in zip(created, values, strict=True)
            for item, value in answers.items()
        ],
        batch_size=BATCH,
    )


@transaction.atomic
def extend_bulk_demo(programme: Programme) -> None:
    from .builtin import ensure_builtin_instruments
    from .services import add_months, advance_wave

    ensure_builtin_instruments()
    rng = random.Random(8)
    cohort = programme.cohorts.order_by("starts_on", "pk").first()
    peer_ids = list(
        all_memberships()
        .filter(programme=programme, role=Role.PEER, cohort=cohort)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    mates: dict[int, list[int]] = {}
    for group in published_groups(programme):
        members = [m.user_id for m in group.members.all()]
        for user_id in members:
            mates[user_id] = members
    today = timezone.localdate()
    for key, kind, title, months, share in WAVES:
        opens = add_months(EVENT_END, months)
        wave = Wave.objects.create(
            programme=programme,
            cohort=cohort,
            instrument=Instrument.objects.get(family=key, is_current=True),
            kind=kind,
            title=title,
            opens_on=opens,
            due_on=opens + timedelta(days=14),
            closes_on=opens + timedelta(days=28),
        )
        advance_wave(wave=wave, today=today)
        if wave.opens_on <= today:
            _answer_all(wave, peer_ids, share, rng, mates)
    follow_up = Wave.objects.create(
        programme=programme,
        cohort=cohort,
        instrument=Instrument.objects.get(family=OPEN_WAVE[0], is_current=True),
        kind=Wave.Kind.OTHER,
        title=OPEN_WAVE[1],
        opens_on=today - timedelta(days=5),
        due_on=today + timedelta(days=9),
        closes_on=today + timedelta(days=23),
    )
    advance_wave(wave=follow_up, today=today)
    # Everyone was invited on the opening day; the first five peers (the demo logins among
    # them) have not answered yet.
    Reminder.objects.bulk_create(
        [
            Reminder(
                wave=follow_up,
                user_id=user_id,
                kind=Reminder.Kind.INVITATION,
                sent_on=follow_up.opens_on,
                sent_at=_moment(follow_up.opens_on),
            )
            for user_id in peer_ids
        ],
        batch_size=BATCH,
    )
    _answer_all(follow_up, peer_ids, 0.5, rng, mates, skip=5)
    _comparison_group(programme, rng)
    _stories(programme, peer_ids)
    _impact(programme)


def _stories(programme: Programme, peer_ids: list[int]) -> None:
    visibilities = [Visibility.PROGRAMME, Visibility.FACILITATORS, Visibility.PROGRAMME]
    now = timezone.now()
    stories = []
    for index, user_id in enumerate(peer_ids[1::5]):
        title, event, immediate, potential, ending = STORIES[index % len(STORIES)]
        story = Story(
            programme=programme,
            author_id=user_id,
            title=title,
            event=event,
            immediate_value=immediate,
            potential_value=potential,
            aspirational_ending=ending,
            visibility=visibilities[index % len(visibilities)],
            created_at=_moment(EVENT_END),
        )
        if index % 2 == 0:
            story.applied_value, story.realised_value = FOLLOW_UPS[(index // 2) % len(FOLLOW_UPS)]
            story.followed_up_at = now - timedelta(days=index % 60 + 1)
        stories.append(story)
    Story.objects.bulk_create(stories, batch_size=BATCH)


def _impact(programme: Programme) -> None:
    for name, unit, countries, values in IMPACT:
        indicator = ImpactIndicator.objects.create(programme=programme, name=name, unit=unit)
        ImpactObservation.objects.bulk_create(
            [
                ImpactObservation(
                    indicator=indicator,
                    country=country,
                    observed_on=_moment(EVENT_END)
                    .date()
                    .replace(year=2024 + year, month=6, day=30),
                    value=values[max(0, year - country_index % 2)],
                )
                for country_index, country in enumerate(countries)
                for year in range(len(values))
            ]
        )
