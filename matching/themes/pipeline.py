"""Proposing problem themes, guided themes, and assigning late statements (pure Python).

Steps: :func:`~matching.themes.vectors.embed` (sentence encoder + concept lexicon; cacheable per
statement) → :class:`~matching.themes.vectors.Weighting` fitted on the cohort → points →
:func:`~matching.themes.clustering.partition` → :func:`~matching.themes.naming.theme_names`.

Every proposal carries a :class:`ThemeModel` (the cohort's weighting and one centre per theme)
with which :func:`assign` places a late statement by the same method and the same vectors;
after a facilitator edits the themes, :func:`fit_model` rebuilds the model from the stored
statement vectors and the edited memberships, without embedding anything again.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from .clustering import partition
from .naming import characteristic_concepts, theme_names
from .vectors import StatementVector, Weighting, embed

# A statement belongs to a theme when the cosine similarity of its point to the theme's centre
# is at least this (guided themes and late statements). Measured on the labelled benchmark
# statements: see benchmarks/RESULTS.md.
ASSIGN_THRESHOLD = 0.25
SEED_WEIGHT = 3.0  # a seed theme's description counts as this many statements in its centre
CONCEPT_SHARE = 0.5  # weight of the concept lexicon against the sentence embedding


@dataclass
class SeedTheme:
    """A theme the facilitator starts from (for example a working group)."""

    name: str
    description: str = ""

    @property
    def text(self) -> str:
        return f"{self.name}. {self.description}".strip(" .") + "."


@dataclass
class Theme:
    name: str
    members: list[int]  # indexes into the statements
    concepts: list[str] = field(default_factory=list)  # most characteristic first
    seed: int | None = None  # index of the seed theme it grew from; None for a new theme


@dataclass
class Assignment:
    theme: int | None  # index into the model's themes; None when no theme is close enough
    similarity: float
    nearest: int  # the closest theme, even when it is not close enough


@dataclass
class ThemeModel:
    """What :func:`assign` needs; JSON-serialisable with :meth:`to_dict`."""

    weighting: Weighting
    centres: np.ndarray  # one unit row per theme
    names: list[str]
    threshold: float = ASSIGN_THRESHOLD

    def assign(self, vectors: Sequence[StatementVector]) -> list[Assignment]:
        if not vectors:
            return []
        if len(self.centres) == 0:
            return [Assignment(theme=None, similarity=0.0, nearest=-1) for _ in vectors]
        points = normalize(self.weighting.points(vectors))
        similarity = points @ self.centres.T
        out = []
        for row in similarity:
            nearest = int(np.argmax(row))
            value = float(row[nearest])
            theme = nearest if value >= self.threshold else None
            out.append(Assignment(theme=theme, similarity=value, nearest=nearest))
        return out

    def to_dict(self) -> dict[str, Any]:
        raw = np.asarray(self.centres, dtype="<f4")
        return {
            "weighting": self.weighting.to_dict(),
            "centres": base64.b64encode(raw.tobytes()).decode("ascii"),
            "shape": list(raw.shape),
            "names": list(self.names),
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThemeModel:
        shape = tuple(int(x) for x in data["shape"])
        centres = np.frombuffer(base64.b64decode(data["centres"]), dtype="<f4").reshape(shape)
        return cls(
            weighting=Weighting.from_dict(data["weighting"]),
            centres=centres.astype(np.float32),
            names=[str(n) for n in data["names"]],
            threshold=float(data.get("threshold", ASSIGN_THRESHOLD)),
        )


@dataclass
class Proposal:
    themes: list[Theme]
    model: ThemeModel
    vectors: list[StatementVector]  # one per statement, to store and reuse
    scores: dict[int, float] = field(default_factory=dict)  # modularity of each count tried


def default_k_max(n: int) -> int:
    return max(2, min(25, n // 5))


def _vectors(
    texts: Sequence[str],
    vectors: Sequence[StatementVector] | None,
    languages: Sequence[str | None] | None,
) -> list[StatementVector]:
    if vectors is None:
        return embed(texts, languages=languages)
    if len(vectors) != len(texts):
        raise ValueError("Give one vector per statement.")
    return list(vectors)


def _centres(points: np.ndarray, groups: Sequence[Sequence[int]]) -> np.ndarray:
    if not groups:
        return np.zeros((0, points.shape[1]), dtype=np.float32)
    rows = [points[list(g)].sum(axis=0) if g else np.zeros(points.shape[1]) for g in groups]
    return normalize(np.asarray(rows, dtype=np.float32))


def _themes(
    groups: list[list[int]],
    texts: Sequence[str],
    vectors: Sequence[StatementVector],
    points: np.ndarray,
    language: str,
    names: Sequence[str | None] | None = None,
    seeds: Sequence[int | None] | None = None,
) -> list[Theme]:
    generated = theme_names(groups, texts, vectors, points, language=language)
    themes = []
    for index, members in enumerate(groups):
        given = names[index] if names is not None else None
        themes.append(
            Theme(
                name=given or generated[index],
                members=sorted(members),
                concepts=[c for c, _ in characteristic_concepts(members, vectors)],
                seed=seeds[index] if seeds is not None else None,
            )
        )
    return themes


def propose(
    texts: Sequence[str],
    *,
    vectors: Sequence[StatementVector] | None = None,
    languages: Sequence[str | None] | None = None,
    k: int | None = None,
    k_min: int = 2,
    k_max: int | None = None,
    language: str = "en",
    seed: int = 0,
    concept_share: float = CONCEPT_SHARE,
) -> Proposal:
    """Cluster statements into themes named in ``language``, largest first.

    ``k`` themes exactly when given (``1 <= k <= len(texts)``); otherwise the count in
    ``[k_min, k_max]`` of highest modularity. ``vectors`` are stored statement vectors (one per
    text) to skip the encoder; the proposal returns them for storing.
    """
    if k is not None and not 1 <= k <= max(1, len(texts)):
        raise ValueError(f"Ask for between 1 and {len(texts)} themes.")
    with threadpool_limits(limits=1):
        vectors = _vectors(texts, vectors, languages)
        weighting = Weighting.fit(vectors, concept_share=concept_share)
        points = weighting.points(vectors)
        if not texts:
            return Proposal([], ThemeModel(weighting, _centres(points, []), []), vectors)
        result = partition(
            points,
            k=k,
            k_min=k_min,
            k_max=k_max or default_k_max(len(texts)),
            seed=seed,
        )
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(result.labels):
        groups.setdefault(int(label), []).append(index)
    ordered = sorted(groups.values(), key=lambda m: (-len(m), m[0]))
    themes = _themes(ordered, texts, vectors, points, language)
    model = ThemeModel(weighting, _centres(points, ordered), [t.name for t in themes])
    return Proposal(themes=themes, model=model, vectors=vectors, scores=result.scores)


def propose_guided(
    texts: Sequence[str],
    seeds: Sequence[SeedTheme],
    *,
    vectors: Sequence[StatementVector] | None = None,
    languages: Sequence[str | None] | None = None,
    threshold: float = ASSIGN_THRESHOLD,
    new_k: int | None = None,
    language: str = "en",
    seed: int = 0,
) -> Proposal:
    """Start from the facilitator's themes: statements go to the nearest seed theme when close
    enough; new themes are proposed only for the statements that fit none.

    Seed themes keep their names and order (first in the result, with ``seed`` set, even when
    empty); new themes follow, named like proposed ones. ``new_k`` fixes how many new themes
    (otherwise chosen by modularity; one when few statements are left).
    """
    with threadpool_limits(limits=1):
        vectors = _vectors(texts, vectors, languages)
        weighting = Weighting.fit(vectors)
        points = normalize(weighting.points(vectors))
        seed_points = normalize(weighting.points(embed([s.text for s in seeds])))
        groups: list[list[int]] = [[] for _ in seeds]
        rest = list(range(len(texts)))
        if len(seeds):
            centres = seed_points
            for _round in range(3):
                similarity = points @ centres.T
                nearest = np.argmax(similarity, axis=1)
                best = similarity[np.arange(len(texts)), nearest]
                groups = [[] for _ in seeds]
                rest = []
                for index in range(len(texts)):
                    if best[index] >= threshold:
                        groups[int(nearest[index])].append(index)
                    else:
                        rest.append(index)
                centres = normalize(
                    np.asarray(
                        [
                            SEED_WEIGHT * seed_points[j] + points[g].sum(axis=0)
                            for j, g in enumerate(groups)
                        ]
                    )
                )
        new_groups: list[list[int]] = []
        if rest:
            if new_k is None and len(rest) < 6:
                new_groups = [rest]
            else:
                count = min(new_k, len(rest)) if new_k is not None else None
                result = partition(points[rest], k=count, k_max=default_k_max(len(rest)), seed=seed)
                by_label: dict[int, list[int]] = {}
                for position, label in enumerate(result.labels):
                    by_label.setdefault(int(label), []).append(rest[position])
                new_groups = sorted(by_label.values(), key=lambda m: (-len(m), m[0]))
    all_groups = groups + new_groups
    names: list[str | None] = [s.name for s in seeds] + [None] * len(new_groups)
    origins: list[int | None] = list(range(len(seeds))) + [None] * len(new_groups)
    themes = _themes(all_groups, texts, vectors, points, language, names, origins)
    themes = _unique_names(themes)
    centres = _centres(points, all_groups)
    for j in range(len(seeds)):
        centre = SEED_WEIGHT * seed_points[j] + points[groups[j]].sum(axis=0)
        centres[j] = normalize(centre[None])[0]
    model = ThemeModel(weighting, centres, [t.name for t in themes], threshold)
    return Proposal(themes=themes, model=model, vectors=vectors)


def _unique_names(themes: list[Theme]) -> list[Theme]:
    seen: set[str] = set()
    for theme in themes:
        base, suffix = theme.name, 2
        while theme.name.casefold() in seen:
            theme.name = f"{base} ({suffix})"
            suffix += 1
        seen.add(theme.name.casefold())
    return themes


def fit_model(
    vectors: Sequence[StatementVector],
    labels: Sequence[int | None],
    names: Sequence[str],
    *,
    threshold: float = ASSIGN_THRESHOLD,
) -> ThemeModel:
    """A model from stored statement vectors and the themes as they are now (``labels[i]`` is
    the index in ``names`` of statement ``i``'s theme, None if it has none)."""
    if len(labels) != len(vectors):
        raise ValueError("Give one label (or None) per statement vector.")
    weighting = Weighting.fit(vectors)
    points = normalize(weighting.points(vectors)) if vectors else np.zeros((0, 1))
    groups: list[list[int]] = [[] for _ in names]
    for index, label in enumerate(labels):
        if label is not None:
            groups[label].append(index)
    return ThemeModel(weighting, _centres(points, groups), list(names), threshold)


def assign(
    statement: str | StatementVector,
    model: ThemeModel,
    *,
    language: str | None = None,
) -> Assignment:
    """The theme of a late statement, by the model's vectors and weighting."""
    vector = (
        statement
        if isinstance(statement, StatementVector)
        else embed([statement], languages=[language])[0]
    )
    return model.assign([vector])[0]
