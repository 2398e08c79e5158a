"""Language-aware tokenisation, language identification and the multilingual concept lexicon."""

from __future__ import annotations

import pytest
import yaml

from matching.themes.lexicon import LEXICON_PATH, Lexicon, default_lexicon
from matching.themes.text import detect_language, fold, stop_words, tokens, words


def test_words_keep_cyrillic_arabic_and_accented_letters() -> None:
    assert words("Закупки у единственного поставщика") == [
        "закупки",
        "у",
        "единственного",
        "поставщика",
    ]
    assert words("تأخر دفع الرواتب") == ["تأخر", "دفع", "الرواتب"]
    assert words("Les délais de l'État, 2024") == ["les", "délais", "de", "l", "état"]


def test_folding_removes_accents_and_arabic_marks_but_keeps_short_i() -> None:
    assert fold("Délais") == "delais"
    assert fold("Contratación") == "contratacion"
    assert fold("ЁЛКА") == "елка"
    assert fold("край") == "край"
    assert fold("الْمَوَازَنَة") == "الموازنه"


def test_tokens_drop_stop_words_and_fold_stems_so_missing_accents_agree() -> None:
    accented = tokens("Les délais de paiement sont très longs", "fr")
    plain = tokens("les delais de paiement sont tres longs", "fr")
    assert [t.stem for t in accented] == [t.stem for t in plain]
    assert {"les", "de", "sont", "tres"}.isdisjoint(t.folded for t in accented)
    russian = tokens("Закупки и закупок у поставщиков", "ru")
    assert [t.folded for t in russian] == ["закупки", "закупок", "поставщиков"]
    assert all(t.stem for t in russian)


def test_stop_word_files_exist_for_every_lexicon_language() -> None:
    for language in ("en", "fr", "ru", "es", "pt", "ar"):
        assert len(stop_words(language)) > 50
    assert "the" in stop_words("en") and "les" in stop_words("fr") and "и" in stop_words("ru")
    assert "budget" not in stop_words("en") and "бюджет" not in stop_words("ru")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Procurement takes too long and most tenders attract one bidder.", "en"),
        ("Les appels d'offres ne reçoivent qu'une seule soumission.", "fr"),
        ("На большинство закупок подаётся только одна заявка.", "ru"),
        ("Las licitaciones públicas reciben una sola oferta.", "es"),
        ("As licitações têm apenas um participante.", "pt"),
        ("تتأخر المناقصات الحكومية كثيرا", "ar"),
    ],
)
def test_language_and_procurement_concept_in_six_languages(text: str, language: str) -> None:
    assert detect_language(text) == language
    assert "procurement" in default_lexicon().concepts_in(text, language)


def test_distinct_problems_are_distinct_concepts() -> None:
    lexicon = default_lexicon()
    arrears = lexicon.concepts_in("Arrears to suppliers keep building up", "en")
    wages = lexicon.concepts_in("Salaries and wages absorb the budget", "en")
    assert "arrears" in arrears and "wage_bill" not in arrears
    assert "wage_bill" in wages and "arrears" not in wages
    indicators = lexicon.concepts_in("Performance indicators are badly chosen", "en")
    programme = lexicon.concepts_in("We introduced a programme budget last year", "en")
    assert "performance_indicators" in indicators and "programme_budgeting" not in indicators
    assert "programme_budgeting" in programme and "performance_indicators" not in programme


def test_same_concept_across_languages_for_internal_audit() -> None:
    lexicon = default_lexicon()
    for text, language in [
        ("Our internal audit unit is not independent", "en"),
        ("L'audit interne n'est pas indépendant", "fr"),
        ("Служба внутреннего аудита не независима", "ru"),
        ("La auditoría interna no es independiente", "es"),
        ("A auditoria interna não é independente", "pt"),
    ]:
        assert "internal_audit" in lexicon.concepts_in(text, language), text


def test_lexicon_data_is_complete_and_consistent() -> None:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    lexicon = default_lexicon()
    assert len(lexicon.concepts) >= 60
    for concept_id, entry in data["concepts"].items():
        assert set(entry["labels"]) >= {"en", "fr", "ru", "es", "pt", "ar"}, concept_id
        assert set(entry["terms"]) >= {"en", "fr", "ru", "es", "pt"}, concept_id
    assert lexicon.ancestors("procurement_competition") == ["procurement"]


def test_unknown_broader_concept_is_refused() -> None:
    with pytest.raises(ValueError, match="nowhere"):
        Lexicon({"concepts": {"a": {"labels": {"en": "A"}, "broader": ["nowhere"]}}})


def test_prefix_and_multi_word_terms() -> None:
    lexicon = Lexicon(
        {
            "concepts": {
                "tsa": {
                    "labels": {"en": "TSA"},
                    "terms": {"en": ["single treasury account"], "ru": ["казначейств*"]},
                }
            }
        }
    )
    assert lexicon.concepts_in("the single treasury account", "en") == ["tsa"]
    assert lexicon.concepts_in("the single national treasury account", "en") == ["tsa"]
    assert lexicon.concepts_in("a single account at the treasury", "en") == []
    assert lexicon.concepts_in("Казначейству не хватает средств", "ru") == ["tsa"]
    assert lexicon.concepts_in("Казначейская система", "ru") == []
