"""The matching demo: intakes whose statements have stored vectors, themes proposed through
the pipeline from the facilitator's theme names, accepted, and published groups."""

from __future__ import annotations

from matching import themes
from matching.demo import extend_demo
from matching.models import Challenge, ChallengeVector, MatchingRun, ThemeSet
from programmes.demo import DEMO_PROGRAMME, load_demo
from programmes.models import Programme


def test_demo_themes_come_through_the_pipeline_and_are_idempotent(db: None) -> None:
    load_demo(password="x", peers=12)
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    extend_demo(programme)
    statements = Challenge.objects.filter(response__survey__cohort__programme=programme)
    assert statements.count() == 36
    vectors = ChallengeVector.objects.filter(challenge__in=statements)
    assert vectors.count() == 36
    assert set(vectors.values_list("version", flat=True)) == {themes.model_version()}
    assert not statements.filter(language="").exists()
    version = ThemeSet.objects.get()
    assert version.kind == ThemeSet.Kind.PROPOSED and version.status == ThemeSet.Status.SAVED
    survey = version.survey
    assert survey.current_set_id == version.pk and survey.themes_accepted_at is not None
    seeded = [t["name"] for t in version.themes if t["seed"] is not None]
    assert "Public procurement" in seeded
    assert statements.filter(theme__isnull=False).count() == 36
    assert MatchingRun.objects.filter(published_at__isnull=False).count() == 1
    extend_demo(programme)
    assert ThemeSet.objects.count() == 1 and ChallengeVector.objects.count() == 36
