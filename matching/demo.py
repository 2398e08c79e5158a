"""Demo data of matching, added to the demo programme by ``manage.py load_demo``.

Every demo peer completes the intake with three challenges drawn from the labelled statements
in ``matching/data`` (eight themes); the facilitator proposes themes starting from those eight
names (the statements' vectors are stored on the way) and accepts them, and a matching run by
shared problem is stored and published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from peerlearn.roles import Role
from programmes.selectors import all_memberships

from . import engine, selectors, services
from .models import IntakeResponse, IntakeSurvey, MatchingRun
from .themes import SeedTheme, load_labelled_statements

if TYPE_CHECKING:
    from programmes.models import Cohort, Programme


ROLES = [
    "Head of budget department",
    "Treasury director",
    "Internal auditor",
    "Tax policy adviser",
    "Procurement specialist",
    "Head of IT unit",
    "Budget analyst",
    "Deputy minister's adviser",
]
SENIORITIES = ["junior", "mid", "senior", "executive"]
CAREERS = ["early", "mid", "late"]
EDUCATION = ["bachelor", "master", "master", "doctorate"]
INFLUENCE = ["low", "some", "high"]
STAGES = ["exploring", "designing", "piloting", "scaling", "sustaining"]
TASKS = [
    "Budget preparation",
    "Budget execution",
    "Public procurement",
    "Accounting and reporting",
    "Internal control",
    "Revenue policy",
]
LANGUAGES = ["English", "English, Russian", "French, English", "Spanish, English", "Russian"]


def demo_answers(index: int, statements: dict[str, list[str]]) -> dict[str, object]:
    """The intake answers of the demo peer number ``index`` (deterministic)."""
    themes = sorted(statements)
    primary = themes[index % len(themes)]
    secondary = themes[(index * 3 + 1) % len(themes)]
    if secondary == primary:
        secondary = themes[(index + 1) % len(themes)]
    first = statements[primary]
    second = statements[secondary]
    challenges = [
        first[(index // len(themes)) % len(first)],
        first[(index // len(themes) + 7) % len(first)],
        second[(index * 5) % len(second)],
    ]
    return {
        "challenges": challenges,
        "goals": "Learn how peers sequenced a similar reform and bring one practical idea home.",
        "task_area": TASKS[index % len(TASKS)],
        "role": ROLES[index % len(ROLES)],
        "seniority": SENIORITIES[index % len(SENIORITIES)],
        "career_level": CAREERS[index % len(CAREERS)],
        "education": EDUCATION[index % len(EDUCATION)],
        "affiliation": "PEMPAL Budget Community of Practice",
        "context": "",
        "influence": INFLUENCE[index % len(INFLUENCE)],
        "stage": STAGES[index % len(STAGES)],
        "languages": LANGUAGES[index % len(LANGUAGES)],
    }


def _statements_by_theme() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for theme, statement in load_labelled_statements():
        grouped.setdefault(theme, []).append(statement)
    return grouped


@transaction.atomic
def complete_demo_intake(cohort: Cohort, *, skip_last: int = 0) -> IntakeSurvey:
    """Every demo peer of ``cohort`` (but the last ``skip_last``) completes the intake; the
    facilitator proposes themes starting from the names of the themes the statements were
    written for (the statements' vectors are stored on the way), and accepts them."""
    survey = services.ensure_survey(cohort=cohort)
    statements = _statements_by_theme()
    memberships = list(
        all_memberships().filter(cohort=cohort, role=Role.PEER).order_by("user__email")
    )
    if skip_last:
        memberships = memberships[:-skip_last]
    for index, membership in enumerate(memberships):
        if IntakeResponse.objects.filter(
            survey=survey, user=membership.user, submitted_at__isnull=False
        ).exists():
            continue
        answers = demo_answers(index, statements)
        answers["context"] = membership.organisation.country if membership.organisation else ""
        services.submit_intake(survey=survey, user=membership.user, answers=answers)
    if not survey.themes.exists() and memberships:
        services.propose_now(
            survey=survey,
            by=cohort.programme.created_by,
            seeds=[SeedTheme(name=name) for name in sorted(statements)],
            language="en",
        )
    if survey.themes.exists() and survey.themes_accepted_at is None:
        services.accept_themes(survey=survey)
    return survey


def publish_demo_groups(cohort: Cohort) -> MatchingRun | None:
    """A matching run by shared problem (groups of five or six), stored and published."""
    published = selectors.published_run(cohort)
    if published is not None:
        return published
    peers = selectors.cohort_peers(cohort)
    if len(peers) < 5:
        return None
    options = engine.Options(strategy="problem", min_size=5, max_size=6, seed=1)
    run = MatchingRun.objects.create(
        cohort=cohort,
        strategy=options.strategy,
        options=options.to_dict(),
        peer_count=len(peers),
        created_by=cohort.programme.created_by,
    )
    services.execute_run(run_id=run.pk, progress=lambda fraction: None)
    run.refresh_from_db()
    return services.publish_run(run=run, published_by=cohort.programme.created_by)


def extend_demo(programme: Programme) -> None:
    """Add this app's demo data to ``programme``. Must be safe to run any number of times."""
    for cohort in programme.cohorts.all():
        if not all_memberships().filter(cohort=cohort, role=Role.PEER).exists():
            continue
        complete_demo_intake(cohort)
        publish_demo_groups(cohort)
