"""Matching's part of the demo programme of any size (``manage.py load_demo --peers N``).

Peers write their three challenges in the language of their country (English, French, Russian
or Spanish), drawn from ``matching/data/demo_challenges.csv`` (statements labelled with twelve
public-finance themes). The statements are given the theme they were written for directly, not
through the theme pipeline: embedding tens of thousands of statements with the multilingual
encoder would take most of the time the whole demo may take, and the demo needs the themes, not
the proposal. The first cohort's themes are accepted and its groups are formed by the real
engine (problem strategy, groups of five or six) and published, with a few moves and pending
requests to move; the second cohort is still answering: some submitted, some drafts.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from peerlearn.roles import Role
from programmes.selectors import all_memberships

from . import engine, services
from .demo import CAREERS, EDUCATION, INFLUENCE, ROLES, SENIORITIES, STAGES, TASKS
from .models import (
    Challenge,
    GroupMember,
    GroupMove,
    IntakeResponse,
    MatchingRun,
    MoveRequest,
    Theme,
)

if TYPE_CHECKING:
    from programmes.models import Cohort, Membership, Programme

DATA = Path(__file__).resolve().parent / "data" / "demo_challenges.csv"
BATCH = 2000
LANGUAGE_OF_COUNTRY = {
    **dict.fromkeys(["SN", "CI", "BJ", "MA"], "fr"),
    **dict.fromkeys(["AM", "AZ", "BY", "KZ", "KG", "TJ", "UZ", "MD"], "ru"),
    **dict.fromkeys(["PE", "CO"], "es"),
}
SPOKEN = {"en": "English", "fr": "French, English", "ru": "Russian, English", "es": "Spanish"}


def demo_statements() -> dict[str, dict[str, list[str]]]:
    """``{theme name: {language: [statements]}}`` from the demo statements file."""
    grouped: dict[str, dict[str, list[str]]] = {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            grouped.setdefault(row["theme"], {}).setdefault(row["lang"], []).append(
                row["statement"]
            )
    return grouped


def _challenges(
    index: int, language: str, statements: dict[str, dict[str, list[str]]]
) -> list[tuple[str, str]]:
    """Three different ``(theme, statement)`` of the peer number ``index``: two about their
    main problem, one about another."""
    themes = sorted(statements)
    primary = themes[index % len(themes)]
    secondary = themes[(index * 5 + 3) % len(themes)]
    if secondary == primary:
        secondary = themes[(index + 1) % len(themes)]
    chosen: list[tuple[str, str]] = []
    for step, theme in enumerate((primary, primary, secondary)):
        pool = statements[theme].get(language) or statements[theme]["en"]
        offset = index // len(themes) + step * 7
        for attempt in range(len(pool)):
            text = pool[(offset + attempt) % len(pool)]
            if all(text != other for _t, other in chosen):
                chosen.append((theme, text))
                break
    return chosen


def _answers(index: int, language: str, country: str, challenges: list[str]) -> dict[str, Any]:
    return {
        "challenges": challenges,
        "goals": "Learn how peers sequenced a similar reform and bring one practical idea home.",
        "task_area": TASKS[index % len(TASKS)],
        "role": ROLES[index % len(ROLES)],
        "seniority": SENIORITIES[index % len(SENIORITIES)],
        "career_level": CAREERS[index % len(CAREERS)],
        "education": EDUCATION[index % len(EDUCATION)],
        "affiliation": "Regional public finance community of practice",
        "context": country,
        "influence": INFLUENCE[index % len(INFLUENCE)],
        "stage": STAGES[index % len(STAGES)],
        "languages": SPOKEN[language],
    }


def _moment(day: Any, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _intake(
    cohort: Cohort,
    memberships: list[Membership],
    statements: dict[str, dict[str, list[str]]],
    *,
    submitted_share: float,
    draft_share: float,
    themed: bool,
    rng: random.Random,
) -> None:
    survey = services.ensure_survey(cohort=cohort)
    now = timezone.now()
    themes = (
        {
            theme.name: theme
            for theme in Theme.objects.bulk_create(
                [Theme(survey=survey, name=name) for name in sorted(statements)]
            )
        }
        if themed
        else {}
    )
    responses: list[IntakeResponse] = []
    chosen: list[list[tuple[str, str]]] = []
    for index, membership in enumerate(memberships):
        country = membership.organisation.country if membership.organisation else ""
        language = LANGUAGE_OF_COUNTRY.get(country, "en")
        challenges = _challenges(index, language, statements)
        draw = rng.random()
        answers = _answers(index, language, country, [text for _t, text in challenges])
        if draw < submitted_share:
            submitted = min(
                now - timedelta(hours=1),
                _moment((cohort.starts_on or now.date()) - timedelta(days=40 - index % 30), 11),
            )
            responses.append(
                IntakeResponse(
                    survey=survey,
                    user_id=membership.user_id,
                    answers=answers,
                    submitted_at=submitted,
                )
            )
            chosen.append(challenges)
        elif draw < submitted_share + draft_share:
            draft = {**answers, "challenges": answers["challenges"][: 1 + index % 3]}
            responses.append(
                IntakeResponse(
                    survey=survey,
                    user_id=membership.user_id,
                    draft=draft,
                    draft_saved_at=now - timedelta(hours=1 + index % 200),
                )
            )
    created = IntakeResponse.objects.bulk_create(responses, batch_size=BATCH)
    rows = [
        Challenge(
            response=response,
            position=position,
            text=text,
            theme=themes.get(theme),
        )
        for response, challenges in zip(
            [r for r in created if r.submitted_at is not None], chosen, strict=True
        )
        for position, (theme, text) in enumerate(challenges)
    ]
    Challenge.objects.bulk_create(rows, batch_size=5000)
    if themed:
        survey.themes_accepted_at = min(now, _moment(cohort.starts_on or now.date(), 8))
        survey.save(update_fields=["themes_accepted_at"])


def _publish(cohort: Cohort, rng: random.Random) -> MatchingRun | None:
    """The engine's groups (problem strategy, five or six), published, with a few moves on
    request after publication and a few requests still pending."""
    peer_count = IntakeResponse.objects.filter(
        survey__cohort=cohort, submitted_at__isnull=False
    ).count()
    if peer_count < 5:
        return None
    # A lighter search than a facilitator's run (a quarter of the default budget), so that
    # thousands of peers are grouped in seconds; the run's parameters say so.
    options = engine.Options(strategy="problem", min_size=5, max_size=6, seed=1, effort=0.25)
    facilitator = cohort.programme.created_by
    run = MatchingRun.objects.create(
        cohort=cohort,
        strategy=options.strategy,
        options=options.to_dict(),
        peer_count=peer_count,
        created_by=facilitator,
    )
    services.execute_run(run_id=run.pk, progress=lambda fraction: None)
    run.refresh_from_db()
    run = services.publish_run(run=run, published_by=facilitator, confirmed=True)
    members = list(GroupMember.objects.filter(run=run).select_related("group"))
    groups = sorted({m.group for m in members}, key=lambda g: g.pk)
    if len(groups) < 2:
        return run
    count = max(1, len(members) // 400)
    requested = rng.sample(members, min(len(members), 2 * count))
    MoveRequest.objects.bulk_create(
        [
            MoveRequest(
                run=run,
                user_id=member.user_id,
                from_group=member.group,
                wanted_group=groups[(groups.index(member.group) + 1) % len(groups)],
                reason="My reform has moved on to procurement; that group works on it.",
            )
            for member in requested[:count]
        ]
    )
    moves = []
    for member in requested[count:]:
        target = groups[(groups.index(member.group) + 2) % len(groups)]
        moves.append(
            GroupMove(
                run=run,
                user_id=member.user_id,
                from_group=member.group,
                to_group=target,
                from_label=member.group.label,
                to_label=target.label,
                kind=GroupMove.Kind.REQUEST,
                reason="Works in the other group's language.",
                moved_by=facilitator,
                after_publication=True,
            )
        )
        member.group = target
        member.source = GroupMember.Source.MOVED
    GroupMove.objects.bulk_create(moves)
    GroupMember.objects.bulk_update(requested[count:], ["group", "source"])
    return run


@transaction.atomic
def extend_bulk_demo(programme: Programme) -> None:
    """Intake of both cohorts; the first one's themes accepted and groups published."""
    rng = random.Random(programme.pk)
    statements = demo_statements()
    cohorts = list(programme.cohorts.order_by("starts_on", "pk"))
    for position, cohort in enumerate(cohorts):
        memberships = list(
            all_memberships()
            .filter(cohort=cohort, role=Role.PEER)
            .select_related("organisation")
            .order_by("pk")
        )
        if position == 0:
            _intake(
                cohort,
                memberships,
                statements,
                submitted_share=1.0,
                draft_share=0.0,
                themed=True,
                rng=rng,
            )
            _publish(cohort, rng)
        else:
            _intake(
                cohort,
                memberships,
                statements,
                submitted_share=0.6,
                draft_share=0.25,
                themed=False,
                rng=rng,
            )
