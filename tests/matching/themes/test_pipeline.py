"""The pure themes pipeline: honoured counts, guided themes, late statements, names, caching."""

from __future__ import annotations

import numpy as np
import pytest

from matching.themes import (
    SeedTheme,
    StatementVector,
    ThemeModel,
    VersionMismatch,
    adjusted_rand_index,
    assign,
    embed,
    fit_model,
    propose,
    propose_guided,
    propose_themes,
)
from matching.themes.clustering import enforce_k, partition
from matching.themes.text import stop_words, words

PROCUREMENT = [
    "Most tenders attract a single bidder and prices are high",
    "Bidders collude in public procurement",
    "La plupart des appels d'offres ne reçoivent qu'une seule soumission",
    "Les marchés de gré à gré sont trop nombreux",
    "На большинство закупок подаётся только одна заявка",
    "Las licitaciones públicas reciben una sola oferta",
]
PAYROLL = [
    "Ghost workers remain on the payroll",
    "Allowances make up most of civil servants' pay",
    "Des agents fictifs figurent sur le fichier de la solde",
    "La masse salariale absorbe les recettes",
    "В ведомостях на зарплату числятся мёртвые души",
    "Hay funcionarios fantasma cobrando en la nómina",
]
TAX = [
    "VAT refunds to exporters take more than a year",
    "Les exonérations fiscales coûtent cher à l'État",
    "Собираемость налогов низкая",
    "La evasión del IVA es muy alta",
    "Tax exemptions are never evaluated",
    "A sonegação fiscal é alta",
]


def _labels(themes: list, n: int) -> list[int]:
    labels = [-1] * n
    for index, theme in enumerate(themes):
        for member in theme.members:
            labels[member] = index
    return labels


def test_statements_about_one_problem_group_together_across_languages() -> None:
    texts = PROCUREMENT + PAYROLL + TAX
    proposal = propose(texts, k=3)
    truth = [0] * 6 + [1] * 6 + [2] * 6
    assert adjusted_rand_index(truth, _labels(proposal.themes, len(texts))) >= 0.8


def test_count_is_chosen_when_not_given() -> None:
    texts = PROCUREMENT + PAYROLL + TAX
    proposal = propose(texts)
    assert 2 <= len(proposal.themes) <= 4
    assert set(proposal.scores) == set(range(2, 4))


@pytest.mark.parametrize("k", [1, 4, 7, 15])
def test_asked_count_is_honoured_with_duplicates_and_empty_statements(k: int) -> None:
    texts = ["Tenders attract a single bidder"] * 8 + ["", "   ", "?"] + PAYROLL[:4]
    proposal = propose(texts, k=k)
    assert len(proposal.themes) == k
    assert sorted(m for t in proposal.themes for m in t.members) == list(range(len(texts)))
    assert all(t.members for t in proposal.themes)


def test_asked_count_is_honoured_at_scale_by_the_clustering() -> None:
    rng = np.random.default_rng(3)
    distinct = rng.normal(size=(60, 16))
    points = distinct[rng.integers(0, 60, size=2500)]  # 2,500 points, only 60 distinct
    for k in (12, 75):
        labels = partition(points, k=k, seed=1).labels
        assert len(labels) == 2500
        assert sorted(set(labels.tolist())) == list(range(k))


def test_modularity_finds_the_number_of_well_separated_groups() -> None:
    rng = np.random.default_rng(5)
    centres = rng.normal(size=(5, 20)) * 10
    points = np.vstack([c + rng.normal(size=(40, 20)) for c in centres])
    result = partition(points, k_min=2, k_max=12)
    assert result.k == 5
    assert max(result.scores, key=lambda k: result.scores[k]) == 5


def test_enforce_k_splits_identical_points_and_merges_extra_clusters() -> None:
    points = np.ones((6, 3))
    assert sorted(set(enforce_k(np.zeros(6, dtype=np.int64), points, 3).tolist())) == [0, 1, 2]
    merged = enforce_k(np.arange(6), np.eye(6), 2)
    assert sorted(set(merged.tolist())) == [0, 1]


def test_asked_count_outside_the_statements_is_refused() -> None:
    with pytest.raises(ValueError, match="between 1 and 3"):
        propose(PROCUREMENT[:3], k=4)
    with pytest.raises(ValueError):
        propose(PROCUREMENT[:3], k=0)
    assert len(propose_themes(PROCUREMENT[:3], k=9)) == 3  # the earlier entry point clamps


def test_same_seed_gives_the_same_themes() -> None:
    texts = PROCUREMENT + PAYROLL + TAX
    first = propose(texts, seed=4)
    second = propose(texts, seed=4)
    assert [(t.name, t.members) for t in first.themes] == [
        (t.name, t.members) for t in second.themes
    ]


def test_names_are_concepts_in_the_facilitator_language_never_stop_words() -> None:
    texts = PROCUREMENT + PAYROLL + TAX
    french = propose(texts, k=3, language="fr")
    english = propose(texts, k=3, language="en")
    assert "Marchés publics" in {t.name for t in french.themes}
    assert "Public procurement" in {t.name for t in english.themes}
    for proposal, language in ((french, "fr"), (english, "en")):
        for theme in proposal.themes:
            content = [w for w in words(theme.name) if w not in stop_words(language)]
            assert content, theme.name


def test_theme_without_shared_concept_is_named_by_a_statement() -> None:
    texts = ["The weather was lovely at the seaside", "Our football team won the cup"] * 3
    proposal = propose(texts, k=2)
    assert {t.name for t in proposal.themes} <= set(texts)


def test_guided_themes_take_what_fits_and_propose_new_themes_for_the_rest() -> None:
    texts = PROCUREMENT + PAYROLL + TAX
    seeds = [
        SeedTheme("Public procurement", "Tenders, bidders, competition and contracts"),
        SeedTheme("Payroll", "Ghost workers, salaries and allowances"),
    ]
    proposal = propose_guided(texts, seeds)
    by_seed = {t.seed: t for t in proposal.themes}
    assert by_seed[0].name == "Public procurement" and by_seed[1].name == "Payroll"
    assert set(by_seed[0].members) == set(range(6))
    assert set(by_seed[1].members) == set(range(6, 12))
    new = [t for t in proposal.themes if t.seed is None]
    assert new and {m for t in new for m in t.members} == set(range(12, 18))


def test_guided_seed_without_statements_is_kept() -> None:
    seeds = [SeedTheme("Public debt", "Borrowing, guarantees and debt strategy")]
    proposal = propose_guided(PROCUREMENT, seeds)
    assert proposal.themes[0].name == "Public debt" and proposal.themes[0].members == []
    assert {m for t in proposal.themes[1:] for m in t.members} == set(range(6))


def test_late_statements_are_assigned_with_the_proposal_model() -> None:
    texts = PROCUREMENT + PAYROLL + TAX
    proposal = propose(texts, k=3)
    procurement = next(i for i, t in enumerate(proposal.themes) if 0 in t.members)
    late = assign("Los pliegos de licitación se redactan para un solo proveedor", proposal.model)
    assert late.theme == procurement and late.nearest == procurement
    stored = ThemeModel.from_dict(proposal.model.to_dict())
    again = stored.assign(embed(["Los pliegos de licitación favorecen a un proveedor"]))[0]
    assert again.theme == procurement


def test_model_refitted_from_stored_vectors_after_edits() -> None:
    texts = PROCUREMENT + PAYROLL
    vectors = [StatementVector.from_dict(v.to_dict()) for v in embed(texts)]
    model = fit_model(vectors, [0] * 6 + [1] * 6, ["Buying", "People"])
    result = model.assign(embed(["Des soumissionnaires s'entendent sur les prix des marchés"]))
    assert result[0].theme == 0
    unthemed = fit_model(vectors, [None] * 12, ["Buying"])
    assert unthemed.assign(vectors[:1])[0].theme is None


def test_statement_vectors_round_trip_and_refuse_another_version() -> None:
    vector = embed(["Закупки у единственного поставщика"])[0]
    data = vector.to_dict()
    again = StatementVector.from_dict(data)
    assert again.language == "ru" and "procurement" in again.concepts
    assert np.allclose(again.embedding, vector.embedding)
    with pytest.raises(VersionMismatch):
        StatementVector.from_dict({**data, "version": "another"})


def test_proposal_vectors_can_be_reused_without_the_encoder() -> None:
    texts = PROCUREMENT + PAYROLL
    first = propose(texts, k=2)
    again = propose(texts, k=2, vectors=first.vectors)
    assert [t.members for t in again.themes] == [t.members for t in first.themes]
    with pytest.raises(ValueError):
        propose(texts, vectors=first.vectors[:3])
