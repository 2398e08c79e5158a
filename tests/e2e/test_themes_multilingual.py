"""Problem themes in the browser, for a cohort writing in English, French and Russian: the
facilitator proposes themes, curates them, proposes again and sees what would change before
anything is replaced, confirms, then searches the statements (each showing its language) and
moves a batch of them; bad input is refused with a message that says what to do."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from matching import services
from matching.models import Challenge, ThemeSet
from peerlearn.roles import Role
from programmes.models import Membership, Programme
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]

# Three problems, each written twice in each language (independently, not as translations).
PROBLEMS = {
    "procurement": [
        "Most tenders attract a single bidder and prices are high",
        "Bidders collude in public procurement tenders",
        "La plupart des appels d'offres ne reçoivent qu'une seule soumission",
        "Les marchés de gré à gré sont trop nombreux",
        "На большинство закупок подаётся только одна заявка",
        "Поставщики сговариваются на государственных закупках",
    ],
    "payroll": [
        "Ghost workers remain on the payroll",
        "Allowances make up most of civil servants' pay",
        "Des agents fictifs figurent sur le fichier de la solde",
        "La masse salariale absorbe les recettes",
        "В ведомостях на зарплату числятся мёртвые души",
        "Фонд оплаты труда госслужащих растёт быстрее доходов",
    ],
    "tax": [
        "VAT refunds to exporters take more than a year",
        "Tax exemptions are never evaluated",
        "Les exonérations fiscales coûtent cher à l'État",
        "Le remboursement des crédits de TVA prend des mois",
        "Собираемость налогов низкая",
        "Налоговые льготы никто не оценивает",
    ],
}


@pytest.fixture
def cohort_en_fr_ru(transactional_db: None) -> Programme:
    """The demo programme with 12 peers: four write in English, four in French, four in
    Russian, one statement about each of the three problems."""
    from programmes.demo import DEMO_PROGRAMME, load_demo

    load_demo(password="peerlearn-demo", peers=12)
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    cohort = programme.cohorts.get()
    survey = services.ensure_survey(cohort=cohort)
    peers = Membership.objects.filter(cohort=cohort, role=Role.PEER).order_by("user__email")
    for index, membership in enumerate(peers):
        language, variant = index % 3, (index // 3) % 2
        texts = [statements[2 * language + variant] for statements in PROBLEMS.values()]
        services.submit_intake(
            survey=survey, user=membership.user, answers={"challenges": texts, "role": "Analyst"}
        )
    return programme


def _theme_of(cohort: Any, start: str) -> Any:
    """The theme of the statements starting with ``start`` (the same for every peer)."""
    found = {
        c.theme
        for c in Challenge.objects.filter(
            response__survey__cohort=cohort, text__startswith=start
        ).select_related("theme")
    }
    assert len(found) == 1, found
    return found.pop()


def _card(page: Any, name: str) -> Any:
    return page.locator("li.theme-card").filter(has=page.get_by_role("heading", name=name))


def _theme_names(page: Any) -> list[str]:
    return page.locator("li.theme-card h3").all_inner_texts()


def _propose(page: Any, count: str) -> None:
    page.get_by_label("Number of themes").fill(count)
    page.get_by_role("button", name="Propose themes from the statements").click()


def _search(page: Any, text: str) -> Any:
    """Search the statements; returns them once the list shown is the answer (swapped in
    by htmx, or a new page)."""
    page.locator("#statements").evaluate("section => section.setAttribute('data-stale', '')")
    page.get_by_label("Search").fill(text)
    page.get_by_role("button", name="Show").click()
    page.locator("#statements:not([data-stale])").wait_for()
    return page.locator("ul.statements li")


def test_facilitator_themes_a_cohort_writing_in_english_french_and_russian(
    page: Any, cohort_en_fr_ru: Programme
) -> None:
    programme = cohort_en_fr_ru
    cohort = programme.cohorts.get()
    page.set_default_timeout(60_000)  # the encoder runs in the server process
    log_in(page, "facilitator@demo.peerlearn.org")
    page.goto(f"/matching/{programme.pk}/cohorts/{cohort.pk}/themes/")
    page.get_by_text("No themes yet.").wait_for()

    # A count out of range is refused with a message, and nothing is proposed.
    _propose(page, "0")
    page.get_by_text("Ensure this value is greater than or equal to 1.").wait_for()
    assert not ThemeSet.objects.filter(survey__cohort=cohort).exists()

    # First proposal: nothing to lose, so it becomes the cohort's themes.
    _propose(page, "3")
    page.get_by_text("3 themes proposed").wait_for()
    names = _theme_names(page)
    assert len(names) == 3
    assert "36 statements" in page.inner_text("main")
    languages = page.locator("#statement-language").inner_text()
    for language in ("English (12)", "French (12)", "Russian (12)"):
        assert language in languages
    # Each problem is one theme, whatever the language it was written in.
    for statements in PROBLEMS.values():
        assert len({_theme_of(cohort, text[:20]).pk for text in statements}) == 1
    procurement = _theme_of(cohort, "Most tenders attract")
    payroll = _theme_of(cohort, "Ghost workers")
    tax = _theme_of(cohort, "VAT refunds")

    # The facilitator renames one theme and merges two others: curated themes.
    card = _card(page, procurement.name)
    card.locator("summary").click()
    card.get_by_label("New name").fill("Buying well")
    card.get_by_role("button", name="Rename").click()
    page.get_by_text("Theme renamed.").wait_for()
    page.get_by_label("Merge", exact=True).select_option(label=tax.name)
    page.get_by_label("into", exact=True).select_option(label=payroll.name)
    page.get_by_role("button", name="Merge", exact=True).click()
    page.get_by_text(f"“{tax.name}” merged into “{payroll.name}”.").wait_for()
    curated = sorted(_theme_names(page))
    assert curated == sorted(["Buying well", payroll.name])

    # Proposing again replaces nothing: the proposal is compared with the themes in use first.
    _propose(page, "3")
    page.get_by_text("The proposal is ready: compare it with the themes in use.").wait_for()
    assert sorted(_theme_names(page)) == curated
    page.get_by_role("link", name="Compare with the themes in use").click()
    page.get_by_role("heading", name="What would change").wait_for()
    changes = page.inner_text("main")
    assert "1 theme added" in changes
    assert "Buying well" in changes
    assert "Statements that would move" in changes
    # Without the tick, nothing is replaced.
    page.get_by_role("button", name="Replace the themes").click()
    page.get_by_text("Tick the box to confirm").wait_for()
    assert _theme_of(cohort, "Most tenders attract").name == "Buying well"
    # With it, the proposal replaces the curated themes, which are kept as a version.
    page.get_by_label(re.compile("Replace the themes in use by version")).check()
    assert "kept as a new version" in page.inner_text("form.card")
    page.get_by_role("button", name="Replace the themes").click()
    page.get_by_text(re.compile(r"The themes in use are now version \d+ \(3 themes\)")).wait_for()
    assert len(_theme_names(page)) == 3
    assert "Buying well" not in _theme_names(page)
    kept = ThemeSet.objects.get(survey__cohort=cohort, kind=ThemeSet.Kind.CURATED)
    expect(page.get_by_role("link", name=f"Compare version {kept.number}")).to_be_visible()
    tax = _theme_of(cohort, "VAT refunds")
    assert tax == _theme_of(cohort, "Собираемость налогов") != _theme_of(cohort, "Ghost workers")

    # Searching finds statements in any script; each shows its language and theme.
    found = _search(page, "fictifs")
    expect(found).to_have_count(2)
    for item in found.all():
        text = item.inner_text()
        assert "Des agents fictifs" in text and "French" in text
        assert _theme_of(cohort, "Ghost workers").name in text
    found = _search(page, "закуп")
    expect(found).to_have_count(4)
    for item in found.all():
        assert "Russian" in item.inner_text()
        expect(item.locator("label")).to_have_attribute("lang", "ru")

    # Moving with nothing ticked, or with no theme chosen, says what is missing.
    page.get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("Choose the theme to move the statements to.").wait_for()
    page.get_by_label("Move them to").select_option(label="No theme")
    page.get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("Choose at least one statement.").wait_for()
    assert not Challenge.objects.filter(response__survey__cohort=cohort, theme=None).exists()

    # The four Russian procurement statements are moved out of every theme at once...
    found = _search(page, "закуп")
    expect(found).to_have_count(4)
    page.get_by_role("button", name="Tick every statement on this page").click()
    for box in found.locator("input[type=checkbox]").all():
        expect(box).to_be_checked()
    page.get_by_label("Move them to").select_option(label="No theme")
    page.get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("4 statements moved.").wait_for()
    page.get_by_role("link", name="4 without a theme").click()
    found = page.locator("ul.statements li")
    expect(found).to_have_count(4)
    assert all("No theme" in item.inner_text() for item in found.all())

    # ... and, ticked one by one, two of them go to the tax theme.
    found.nth(0).locator("input[type=checkbox]").check()
    found.nth(1).locator("input[type=checkbox]").check()
    page.get_by_label("Move them to").select_option(label=tax.name)
    page.get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("2 statements moved.").wait_for()
    russian = Challenge.objects.filter(
        response__survey__cohort=cohort, text__contains="закуп"
    ).values_list("theme", flat=True)
    assert sorted(russian, key=lambda pk: pk or 0) == [None, None, tax.pk, tax.pk]
    expect(page.get_by_role("link", name="2 without a theme")).to_be_visible()
