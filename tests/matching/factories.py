"""Factories and helpers for matching tests."""

from __future__ import annotations

from typing import Any

from matching import services
from matching.models import Challenge, IntakeSurvey, MatchingRun, Theme
from peerlearn.roles import Role
from programmes.models import Cohort, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

THEMES = {
    "Procurement": [
        "Tenders are cancelled because only one bidder takes part",
        "Collusion between bidders inflates road contract prices",
        "Procurement plans are not linked to the budget",
    ],
    "Payroll": [
        "Ghost workers remain on the payroll",
        "The wage bill absorbs half of revenue",
        "Allowances now exceed basic salaries",
    ],
}


def answers(themes: list[str], index: int = 0) -> dict[str, Any]:
    challenges = [THEMES[t][(index + k) % 3] + f" ({index})" for k, t in enumerate(themes)]
    return {"challenges": challenges, "role": "Budget analyst", "seniority": "mid"}


def add_peers(cohort: Cohort, count: int, *, submit: bool = True, prefix: str = "p") -> list[Any]:
    """``count`` peers of ``cohort``, each from their own organisation, with intake done."""
    survey = services.ensure_survey(cohort=cohort)
    users = []
    for index in range(count):
        organisation: Organisation = OrganisationFactory(
            country=["GH", "KE", "AL", "PE"][index % 4]
        )
        user = UserFactory(email=f"{prefix}{index}.{cohort.pk}@example.org")
        MembershipFactory(
            user=user,
            programme=cohort.programme,
            role=Role.PEER,
            cohort=cohort,
            organisation=organisation,
        )
        if submit:
            theme = "Procurement" if index % 2 == 0 else "Payroll"
            services.submit_intake(
                survey=survey, user=user, answers=answers([theme, theme, theme], index)
            )
        users.append(user)
    return users


def theme_by_statement(survey: IntakeSurvey) -> None:
    """Themes named after the statement families of ``THEMES``."""
    for name, texts in THEMES.items():
        theme, _ = Theme.objects.get_or_create(survey=survey, name=name)
        for text in texts:
            Challenge.objects.filter(response__survey=survey, text__startswith=text).update(
                theme=theme
            )


def finished_run(cohort: Cohort, **options: Any) -> MatchingRun:
    from matching import engine

    run = services.start_run(
        cohort=cohort, created_by=None, options=engine.Options(seed=1, **options)
    )
    services.execute_run(run_id=run.pk)
    run.refresh_from_db()
    return run
