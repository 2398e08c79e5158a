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


# A multilingual cohort: the same three problems written in English, French, Russian, Spanish
# and Portuguese.
MULTILINGUAL = {
    "Procurement": [
        "Most tenders attract a single bidder and prices are high",
        "Bidders collude in public procurement tenders",
        "La plupart des appels d'offres ne reçoivent qu'une seule soumission",
        "Les marchés de gré à gré sont trop nombreux",
        "На большинство закупок подаётся только одна заявка",
        "Las licitaciones públicas reciben una sola oferta",
    ],
    "Payroll": [
        "Ghost workers remain on the payroll",
        "Allowances make up most of civil servants' pay",
        "Des agents fictifs figurent sur le fichier de la solde",
        "La masse salariale absorbe les recettes",
        "В ведомостях на зарплату числятся мёртвые души",
        "Hay funcionarios fantasma cobrando en la nómina",
    ],
    "Tax": [
        "VAT refunds to exporters take more than a year",
        "Les exonérations fiscales coûtent cher à l'État",
        "Собираемость налогов низкая",
        "La evasión del IVA es muy alta",
        "Tax exemptions are never evaluated",
        "A sonegação fiscal é alta",
    ],
}


def multilingual_answers(index: int) -> dict[str, Any]:
    """Three statements of one problem (by ``index``), in several languages."""
    texts = list(MULTILINGUAL.values())[index % 3]
    return {"challenges": [texts[(index + k) % 6] for k in range(3)], "role": "Analyst"}


def add_multilingual_peers(cohort: Cohort, count: int, *, prefix: str = "m") -> list[Any]:
    """``count`` peers of ``cohort`` with their intake done in several languages."""
    users = add_peers(cohort, count, submit=False, prefix=prefix)
    survey = services.ensure_survey(cohort=cohort)
    for index, user in enumerate(users):
        services.submit_intake(survey=survey, user=user, answers=multilingual_answers(index))
    return users


def bulk_statements(cohort: Cohort, peers: int, themes: int = 12) -> IntakeSurvey:
    """A large cohort in a few queries: ``peers`` peers with three submitted statements each,
    spread over ``themes`` themes (nothing embedded)."""
    from django.utils import timezone

    from matching.models import IntakeResponse
    from peerlearn.users.models import User
    from programmes.models import Membership

    survey = services.ensure_survey(cohort=cohort)
    tag = f"{cohort.pk}-{peers}"
    User.objects.bulk_create(
        [User(email=f"bulk{i}.{tag}@example.org", full_name=f"Peer {i}") for i in range(peers)]
    )
    users = list(User.objects.filter(email__endswith=f".{tag}@example.org").order_by("pk"))
    Membership.objects.bulk_create(
        [
            Membership(user=u, programme=cohort.programme, role=Role.PEER, cohort=cohort)
            for u in users
        ]
    )
    now = timezone.now()
    IntakeResponse.objects.bulk_create(
        [IntakeResponse(survey=survey, user=u, answers={}, submitted_at=now) for u in users]
    )
    responses = list(IntakeResponse.objects.filter(survey=survey, user__in=users).order_by("pk"))
    made = [
        Theme.objects.get_or_create(survey=survey, name=f"Theme {t:02d}")[0] for t in range(themes)
    ]
    languages = ["en", "fr", "ru", "es", "pt"]
    Challenge.objects.bulk_create(
        [
            Challenge(
                response=response,
                position=k,
                text=f"Statement {k} of peer {i}: " + "arrears keep growing " * 4,
                theme=made[(i + k) % themes] if (i + k) % 17 else None,
                language=languages[(i + k) % len(languages)],
            )
            for i, response in enumerate(responses)
            for k in range(3)
        ],
        batch_size=2000,
    )
    return survey
