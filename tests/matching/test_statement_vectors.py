"""Statement vectors are computed once and stored; late statements are placed by the model of
the themes in use, with work that does not grow with the cohort."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching import services, themes
from matching.models import Challenge, ChallengeVector, ThemeModelState
from matching.services import statement_vectors
from tests.conftest import World
from tests.matching.factories import MULTILINGUAL, add_multilingual_peers, add_peers

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement text given to the encoder, in order."""
    seen: list[str] = []
    real = themes.embed

    def spy(texts: Any, **kwargs: Any) -> Any:
        seen.extend(texts)
        return real(texts, **kwargs)

    monkeypatch.setattr(themes, "embed", spy)
    return seen


def _submit(world: World, user: Any, texts: list[str]) -> None:
    survey = services.ensure_survey(cohort=world.cohort)
    services.submit_intake(survey=survey, user=user, answers={"challenges": texts})


def test_vectors_are_stored_at_submission_and_reused_by_the_proposal(
    world: World, django_capture_on_commit_callbacks: Any, embedded: list[str]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        add_multilingual_peers(world.cohort, 6)
    assert len(embedded) == 18  # once per statement, in the job queued at submission
    stored = ChallengeVector.objects.filter(challenge__response__survey__cohort=world.cohort)
    assert stored.count() == 18
    assert set(stored.values_list("version", flat=True)) == {themes.model_version()}
    languages = set(Challenge.objects.values_list("language", flat=True))
    assert {"en", "fr", "ru", "es"} <= languages
    survey = services.ensure_survey(cohort=world.cohort)
    embedded.clear()
    proposal = services.propose_now(survey=survey, by=world.facilitator, count=3)
    assert embedded == []  # the proposal read the stored vectors
    assert proposal.theme_count == 3 and survey.themes.count() == 3


def test_a_vector_of_another_version_is_computed_again(world: World, embedded: list[str]) -> None:
    add_peers(world.cohort, 2)
    survey = services.ensure_survey(cohort=world.cohort)
    challenges = list(Challenge.objects.filter(response__survey=survey).order_by("pk"))
    statement_vectors.vectors_of(challenges)
    assert len(embedded) == 6
    ChallengeVector.objects.filter(challenge=challenges[0]).update(version="usem3-old+lexicon-0")
    embedded.clear()
    vectors = statement_vectors.vectors_of(challenges, survey=survey)
    assert embedded == [challenges[0].text] and len(vectors) == 6
    assert ChallengeVector.objects.get(challenge=challenges[0]).version == themes.model_version()


def test_a_reworded_statement_gets_a_new_vector(
    world: World, django_capture_on_commit_callbacks: Any, embedded: list[str]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submit(world, world.peer, ["Arrears grow", "Payroll is padded", "VAT refunds are slow"])
    embedded.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(world, world.peer, ["ARREARS grow", "Payroll is padded", "Tax audits are rare"])
    assert sorted(embedded) == ["ARREARS grow", "Tax audits are rare"]


LATE = [
    "Only one bidder answers most of our tenders",
    "Le fichier de la solde contient des agents fictifs",
    "Налоговые льготы никто не оценивает",
]


def _late_submission(
    world: World, cohort: Any, size: int, capture: Any, embedded: list[str]
) -> tuple[int, dict[str, str], dict[str, str]]:
    """A cohort of ``size`` peers with themes; then a late joiner submits. Returns the queries
    of that submission (its job included), where the late statements went, and the themes of
    the cohort's statements."""
    add_multilingual_peers(cohort, size, prefix=f"c{cohort.pk}-")
    survey = services.ensure_survey(cohort=cohort)
    services.propose_now(survey=survey, by=world.facilitator, count=3)
    assert ThemeModelState.objects.filter(survey=survey).exists()  # stored with the proposal
    theme_of = {
        c.text: c.theme.name
        for c in Challenge.objects.filter(response__survey=survey).select_related("theme")
        if c.theme
    }
    late = add_peers(cohort, 1, submit=False, prefix=f"late{cohort.pk}-")[0]
    embedded.clear()
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        services.submit_intake(survey=survey, user=late, answers={"challenges": LATE})
    assert embedded == LATE  # only the new statements are embedded, never the cohort
    placed = {
        c.text: c.theme.name
        for c in Challenge.objects.filter(response__user=late).select_related("theme")
        if c.theme
    }
    return len(queries), placed, theme_of


def test_late_statements_join_the_themes_by_the_model_at_constant_cost(
    world: World, django_capture_on_commit_callbacks: Any, embedded: list[str]
) -> None:
    small, placed, theme_of = _late_submission(
        world, world.cohort, 6, django_capture_on_commit_callbacks, embedded
    )
    assert placed == {
        LATE[0]: theme_of[MULTILINGUAL["Procurement"][0]],
        LATE[1]: theme_of[MULTILINGUAL["Payroll"][2]],
        LATE[2]: theme_of[MULTILINGUAL["Tax"][4]],
    }
    large, _placed, _theme_of = _late_submission(
        world, world.other_cohort, 30, django_capture_on_commit_callbacks, embedded
    )
    assert small == large  # the same work at 6 and at 30 peers


def test_after_statements_move_the_model_is_fitted_again_from_stored_vectors(
    world: World, django_capture_on_commit_callbacks: Any, embedded: list[str]
) -> None:
    add_multilingual_peers(world.cohort, 6)
    survey = services.ensure_survey(cohort=world.cohort)
    services.propose_now(survey=survey, by=world.facilitator, count=3)
    payroll = Challenge.objects.get(text=MULTILINGUAL["Payroll"][0]).theme
    procurement = Challenge.objects.get(text=MULTILINGUAL["Procurement"][0]).theme
    assert payroll is not None and procurement is not None and payroll != procurement
    # The facilitator makes one theme of procurement and payroll together.
    services.merge_themes(source=payroll, target=procurement, by=world.facilitator)
    assert not ThemeModelState.objects.filter(survey=survey).exists()
    late = add_peers(world.cohort, 1, submit=False, prefix="late-")[0]
    embedded.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_intake(survey=survey, user=late, answers={"challenges": LATE})
    assert embedded == LATE  # fitted again from the stored vectors, nothing else embedded
    state = ThemeModelState.objects.get(survey=survey)
    assert payroll.pk not in state.theme_ids and procurement.pk in state.theme_ids
    late_payroll = Challenge.objects.get(response__user=late, text=LATE[1])
    assert late_payroll.theme_id == procurement.pk


def test_a_statement_far_from_every_theme_stays_without_one(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    add_multilingual_peers(world.cohort, 6)
    survey = services.ensure_survey(cohort=world.cohort)
    services.propose_now(survey=survey, by=world.facilitator, count=3)
    late = add_peers(world.cohort, 1, submit=False, prefix="late-")[0]
    odd = ["Our football team lost again", "The canteen serves cold soup", "Parking is full"]
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_intake(survey=survey, user=late, answers={"challenges": odd})
    themed = Challenge.objects.filter(response__user=late, theme__isnull=False).count()
    assert themed < 3
    assert Challenge.objects.filter(response__user=late).exclude(language="").count() == 3
