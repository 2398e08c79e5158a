"""Demo data of evaluation, added to the demo programme by ``manage.py load_demo``.

Survey waves from the end of the ten-day event to six months after it, answered by most of the
peers with a plausible spread (value falls from immediate to reframing, as it usually does),
value-creation stories of which some were followed up, a domain indicator per country, and a
follow-up wave that is open today so a demo peer can answer it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from peerlearn.roles import Role
from programmes.selectors import all_memberships

from .models import (
    Answer,
    ComparisonInvitee,
    ImpactIndicator,
    ImpactObservation,
    Instrument,
    Item,
    Response,
    Story,
    Visibility,
    Wave,
)

if TYPE_CHECKING:
    from programmes.models import Membership, Programme


EVENT_END = date(2026, 3, 13)

# (key, kind, title, months after the event, share of peers answering)
WAVES = [
    ("wenger-value-creation", Wave.Kind.END_OF_EVENT, "End of event: value creation", 0, 0.9),
    ("pempal-story", Wave.Kind.END_OF_EVENT, "End of event: value-creation stories", 0, 0.75),
    (
        "continuing-engagement",
        Wave.Kind.END_OF_EVENT,
        "End of event: continuing engagement",
        0,
        0.92,
    ),
    ("peer-contact", Wave.Kind.PLUS_3, "Three months after: peer contact", 3, 0.7),
    ("pempal-network", Wave.Kind.PLUS_6, "Six months after: network indicators", 6, 0.65),
]
OPEN_WAVE = ("wenger-value-creation", "Follow-up: value creation since the event")

# Mean rating per cycle at the end of the event.
CYCLE_MEANS = {
    "immediate": 4.3,
    "potential": 3.0,
    "applied": 3.3,
    "realised": 2.9,
    "reframing": 2.5,
}

TEXTS = {
    "immediate": [
        "The small-group sessions on arrears were the most useful days of the year.",
        "Hearing how Georgia cleared its payment arrears in two budget cycles.",
        "Frank conversations with peers who had faced the same resistance.",
    ],
    "potential": [
        "A template for monthly cash forecasts that I can adapt at home.",
        "I now know who to call in three treasuries when a reform stalls.",
        "A clearer view of how commitment controls fit the budget calendar.",
    ],
    "applied": [
        "We piloted the commitment register in two line ministries.",
        "I used the cash forecast template for the quarterly plan.",
        "Presented the peer group's checklist to my director's team.",
    ],
    "realised": [
        "Arrears fell in the two pilot ministries within six months.",
        "The ministry adopted the forecast as its official monthly report.",
        "My unit now sets budget ceilings before the call circular.",
    ],
    "other": [
        "Colleagues in other countries who face the same problems as me.",
        "Someone I can ask for an honest view on a reform that is not working.",
        "People doing a similar job in other organisations in other countries.",
    ],
}

STORIES = [
    (
        "Clearing arrears with a commitment register",
        "Day four of the peer event, small group on arrears",
        "We compared how five treasuries record commitments; I saw our gap clearly.",
        "A register design and two peers willing to review our rules.",
        "Arrears in our ministry cut by half within a year.",
    ),
    (
        "A monthly cash forecast that ministries trust",
        "Training on cash forecasting models",
        "An intense afternoon building forecasts together with peers from Kenya and Peru.",
        "A forecasting template and a routine for monthly updates.",
        "The forecast becomes the basis for releasing funds each month.",
    ),
    (
        "Top-down ceilings before the budget call",
        "Small group on the budget calendar",
        "The discussion of sequencing was the most practical of the event.",
        "A draft calendar with ceilings approved by cabinet in May.",
        "Ministries receive binding ceilings before they prepare requests.",
    ),
    (
        "Internal audit of payroll controls",
        "Site visit to the State Treasury",
        "Seeing payroll reconciliations done daily changed my idea of what is possible.",
        "A checklist of controls and a contact in the host treasury.",
        "Payroll errors detected before payment, not after.",
    ),
]
FOLLOW_UPS = [
    (
        "We adopted the register in two ministries and trained their accountants.",
        "Arrears in the pilot ministries fell from 9% to 4% of spending.",
    ),
    ("The template is now used for the quarterly plan.", ""),
]

IMPACT = [
    ("PEFA PI-22 Expenditure arrears", "A-D", ["GE", "KE", "AL", "PE"], ["C", "C+", "B"]),
    ("PEFA PI-21 Predictability of in-year resource allocation", "A-D", ["GE", "UA"], ["C", "B"]),
]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


def _answers_for(
    instrument: Instrument, rng: random.Random, shift: float, peer_ids: list[int], me: int
) -> dict[Item, dict[str, Any]]:
    values: dict[Item, dict[str, Any]] = {}
    for item in instrument.items.all():
        if item.kind == Item.Kind.LIKERT:
            mean = CYCLE_MEANS.get(item.cycle, 3.8) + shift
            values[item] = {"number": float(_rating(rng, mean))}
        elif item.kind == Item.Kind.NUMBER:
            values[item] = {"number": float(rng.randrange(0, 6))}
        elif item.kind == Item.Kind.SINGLE:
            options = [value for value, _label in item.options()]
            if "yes" in options:
                choice = "yes" if rng.random() < 0.6 + shift / 4 else "no"
            else:
                choice = options[min(len(options) - 1, int(rng.random() * len(options)))]
            values[item] = {"choice": choice}
        elif item.kind == Item.Kind.MULTIPLE:
            options = [value for value, _label in item.options()]
            values[item] = {"selected": sorted(rng.sample(options, k=min(2, len(options))))}
        elif item.kind == Item.Kind.PEERS:
            others = [pk for pk in peer_ids if pk != me]
            values[item] = {"selected": sorted(rng.sample(others, k=min(3, len(others))))}
        elif item.required or rng.random() < 0.45:
            pool = TEXTS.get(item.cycle or "", TEXTS["other"])
            values[item] = {"text": rng.choice(pool)}
    return values


def _answer(wave: Wave, membership: Membership, rng: random.Random, peer_ids: list[int]) -> None:
    shift = rng.uniform(-0.6, 0.5)
    # Answers come in over the wave's first two weeks, but never after now: a date ahead would
    # keep the dashboard's record of the latest change in the future.
    submitted = min(
        _moment(wave.opens_on + timedelta(days=rng.randrange(0, 14))),
        timezone.now() - timedelta(minutes=5),
    )
    response = Response.objects.create(
        wave=wave,
        instrument=wave.instrument,
        respondent=membership.user,
        status=Response.Status.SUBMITTED,
        submitted_at=submitted,
        updated_at=submitted,
    )
    values = _answers_for(wave.instrument, rng, shift, peer_ids, membership.user_id)
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
            for item, value in values.items()
        ]
    )


def _comparison_group(programme: Programme, rng: random.Random) -> None:
    """Eleven colleagues who did not take part answered the peer contact wave (Experiment 4
    compared eleven review participants with eleven officials of a control group)."""
    wave = Wave.objects.filter(programme=programme, instrument__family="peer-contact").first()
    if wave is None:
        return
    # As in Experiment 4's control group: 9 of 11 in contact for 3 months or more, 5 of 11 with
    # a peer of their own organisation, 6 of 11 on a shared task, 4 of 11 in touch monthly or less.
    for index in range(11):
        ComparisonInvitee.objects.get_or_create(
            wave=wave,
            email=f"colleague{index + 1:02d}@comparison.demo.peerlearn.org",
            defaults={
                "full_name": f"Comparison colleague {index + 1}",
                "sent_at": _moment(wave.opens_on),
                "submitted_at": _moment(wave.opens_on + timedelta(days=rng.randrange(1, 14))),
                "answers": {
                    "peer_meaning": {"text": rng.choice(TEXTS["other"])},
                    "contact_3_months": {"choice": "yes" if index < 9 else "no"},
                    "duration": {"choice": rng.choice(["1_3", "3_12", "3_12", "12_plus"])},
                    "frequency": {"choice": "less" if index < 4 else "weekly"},
                    "same_organisation": {
                        "choice": "yes" if index % 2 == 0 and index < 10 else "no"
                    },
                    "shared_task": {"choice": "yes" if index >= 5 else "no"},
                },
            },
        )


@transaction.atomic
def extend_demo(programme: Programme) -> None:
    """Add this app's demo data to ``programme``. Must be safe to run any number of times."""
    from .builtin import ensure_builtin_instruments
    from .services import add_months, advance_wave

    ensure_builtin_instruments()
    if Wave.objects.filter(programme=programme).exists():
        return
    rng = random.Random(8)
    cohort = programme.cohorts.order_by("pk").first()
    peers = list(
        all_memberships()
        .filter(programme=programme, role=Role.PEER)
        .select_related("user")
        .order_by("user__email")
    )
    peer_ids = [m.user_id for m in peers]
    today = timezone.localdate()
    for key, kind, title, months, share in WAVES:
        instrument = Instrument.objects.get(family=key, is_current=True)
        opens = add_months(EVENT_END, months)
        wave = Wave.objects.create(
            programme=programme,
            cohort=cohort,
            instrument=instrument,
            kind=kind,
            title=title,
            opens_on=opens,
            due_on=opens + timedelta(days=14),
            closes_on=opens + timedelta(days=28),
        )
        advance_wave(wave=wave, today=today)
        if wave.opens_on > today:
            continue
        for membership in peers:
            if rng.random() < share:
                _answer(wave, membership, rng, peer_ids)
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
    # The first five peers (the demo logins) have not answered yet.
    for membership in peers[5:]:
        if rng.random() < 0.5:
            _answer(follow_up, membership, rng, peer_ids)

    _comparison_group(programme, rng)

    visibilities = [Visibility.PROGRAMME, Visibility.FACILITATORS, Visibility.PROGRAMME]
    for index, membership in enumerate(peers[1:13]):
        title, event, immediate, potential, ending = STORIES[index % len(STORIES)]
        story = Story.objects.create(
            programme=programme,
            author=membership.user,
            title=title,
            event=event,
            immediate_value=immediate,
            potential_value=potential,
            aspirational_ending=ending,
            visibility=visibilities[index % len(visibilities)],
            created_at=_moment(EVENT_END),
        )
        if index % 2 == 0:
            applied, realised = FOLLOW_UPS[(index // 2) % len(FOLLOW_UPS)]
            story.applied_value = applied
            story.realised_value = realised
            story.followed_up_at = timezone.now()
            story.save()

    for name, unit, countries, values in IMPACT:
        indicator, _created = ImpactIndicator.objects.get_or_create(
            programme=programme, name=name, defaults={"unit": unit}
        )
        for country_index, country in enumerate(countries):
            for year_index in range(len(values)):
                ImpactObservation.objects.get_or_create(
                    indicator=indicator,
                    country=country,
                    observed_on=date(2024 + year_index, 6, 30),
                    defaults={"value": values[max(0, year_index - country_index % 2)]},
                )
