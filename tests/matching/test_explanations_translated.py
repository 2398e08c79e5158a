"""Group explanations and strategy warnings are in the catalogue: every sentence the engine
writes has a template the page's language translates, filled with names in that language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from matching import engine
from matching.engine.synthetic import language_peers, make_peers
from matching.explanations import TEMPLATES, WARNINGS, join_words, readable, warning_text

ENGINE = Path(engine.__file__).parent


def _explanations() -> list[dict]:
    found = []
    for strategy in ("problem", "role", "task", "context"):
        peers = make_peers(24, seed=3)
        result = engine.run(peers, engine.Options(strategy=strategy, effort=0))
        found.extend(group.explanation.to_dict() for group in result.groups)
    peers = language_peers(24, seed=5)
    result = engine.run(peers, engine.Options(effort=0))
    found.extend(group.explanation.to_dict() for group in result.groups)
    return found


def test_every_template_the_engine_writes_is_in_the_catalogue() -> None:
    templates = {reason["template"] for e in _explanations() for reason in e["reasons"]}
    assert templates, "the engine explained nothing"
    assert templates <= set(TEMPLATES), templates - set(TEMPLATES)
    # Literal templates in the engine's source are all known too.
    literal = set()
    for path in ENGINE.glob("*.py"):
        literal |= set(re.findall(r'template=\s*"([^"+]*)"\s*[,)]', path.read_text()))
        literal |= set(re.findall(r"template=\s*'([^'+]*)'\s*[,)]", path.read_text()))
    assert literal and literal <= set(TEMPLATES), literal - set(TEMPLATES)


def test_warnings_are_the_engines_own_texts() -> None:
    assert set(WARNINGS) == {engine.TASK_WARNING, engine.CONTEXT_WARNING, engine.ROLE_NOTE}
    for english, translated in WARNINGS.items():
        with translation.override("en"):
            assert str(translated) == english
        with translation.override("fr"):
            assert warning_text(english) != english
            assert "appariement" in warning_text(english).lower() or "groupes" in warning_text(
                english
            )


@pytest.mark.django_db
def test_explanations_read_in_french_with_french_country_names() -> None:
    explanation = {
        "reasons": [
            {
                "code": "countries",
                "template": "The members come from {count} countries: {countries}.",
                "params": {"count": 3, "countries": ["SN", "GE", "DE"]},
                "text": "The members come from 3 countries: SN, GE and DE.",
            },
            {
                "code": "shared_theme",
                "template": '{count} members share the theme "{theme}": {members}.',
                "params": {"count": 2, "theme": "Budget", "members": ["Ana", "Ben"]},
                "text": "",
            },
        ]
    }
    with translation.override("en"):
        english = readable(explanation)
    with translation.override("fr"):
        french = readable(explanation)
    assert english.startswith("The members come from 3 countries: Senegal, Georgia and Germany.")
    assert "Sénégal, Géorgie et Allemagne" in french
    assert "Ana et Ben" in french and "members" not in french
    with translation.override("fr"):
        assert join_words(["a"]) == "a"


def test_unknown_templates_fall_back_to_the_engines_text() -> None:
    reason = {"code": "x", "template": "Something new {thing}.", "params": {}, "text": "Kept."}
    assert readable({"reasons": [reason]}) == "Kept."
