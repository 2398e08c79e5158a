"""Every built-in instrument reads in French: its name, description, every question, guidance
and option (the report's questions translated for meaning)."""

from __future__ import annotations

import pytest

from evaluation.builtin import ensure_builtin_instruments
from evaluation.models import Instrument

pytestmark = pytest.mark.django_db


def _missing(language: str) -> list[tuple[str, ...]]:
    missing: list[tuple[str, ...]] = []
    for instrument in Instrument.objects.filter(programme__isnull=True):
        for part in ("name", "description"):
            if not (getattr(instrument, part) or {}).get(language):
                missing.append((instrument.family, part))
        for item in instrument.items.all():
            if not item.text.get(language):
                missing.append((instrument.family, item.code, "question"))
            if item.help.get("en") and not item.help.get(language):
                missing.append((instrument.family, item.code, "guidance"))
            for choice in item.choices:
                if not choice.get("label", {}).get(language):
                    missing.append((instrument.family, item.code, str(choice.get("value"))))
    return missing


def test_every_builtin_question_guidance_and_option_has_french() -> None:
    ensure_builtin_instruments()
    items = sum(i.items.count() for i in Instrument.objects.filter(programme__isnull=True))
    assert items >= 48
    assert _missing("fr") == []


def test_french_follows_the_interface_vocabulary() -> None:
    ensure_builtin_instruments()
    rubric = Instrument.objects.get(family="end-product-rubric", programme__isnull=True)
    assert "animateurs" in rubric.description["fr"]
    assert "facilitateur" not in rubric.description["fr"]
