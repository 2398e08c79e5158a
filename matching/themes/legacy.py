"""Names kept for existing callers: sparse-dictionary vectors, ARI, labelled sample statements."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from .pipeline import propose
from .text import DATA_DIR
from .vectors import Weighting, embed

Vector = dict[str, float]


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two sparse vectors (their cosine when both have unit length)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


@dataclass
class StatementEmbedder:
    """Statements as sparse dictionaries of the pipeline's points (sentence encoder and concept
    lexicon, weighted on the statements embedded together), for :func:`cosine`."""

    name: str = "multilingual"

    def embed(self, texts: Sequence[str]) -> list[Vector]:
        vectors = embed(texts)
        points = Weighting.fit(vectors).points(vectors)
        out = []
        for row in points:
            norm = float((row**2).sum()) ** 0.5 or 1.0
            out.append({str(i): float(x) / norm for i, x in enumerate(row) if x})
        return out


# The earlier name of the embedder, used by the service layer.
TfidfEmbedder = StatementEmbedder


@dataclass
class ProposedTheme:
    name: str
    members: list[int]  # indexes into the input statements


def propose_themes(
    texts: Sequence[str], *, k: int | None = None, seed: int = 0, language: str = "en"
) -> list[ProposedTheme]:
    """Themes of statements, largest first; ``k`` themes exactly (at most one per statement)."""
    if not texts:
        return []
    count = None if k is None else max(1, min(k, len(texts)))
    proposal = propose(texts, k=count, seed=seed, language=language)
    return [ProposedTheme(name=t.name[:120], members=t.members) for t in proposal.themes]


def adjusted_rand_index(truth: Sequence[object], predicted: Sequence[object]) -> float:
    """Adjusted Rand index of two labelings (1 = identical partitions, about 0 = chance)."""
    if len(truth) != len(predicted):
        raise ValueError("Both labelings must have the same length.")
    return float(adjusted_rand_score([str(t) for t in truth], [str(p) for p in predicted]))


def load_labelled_statements(path: Path | None = None) -> list[tuple[str, str]]:
    """The labelled challenge statements shipped with the app: ``[(theme, statement)]``."""
    path = path or DATA_DIR / "challenge_statements.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["theme"], row["statement"]) for row in csv.DictReader(handle)]
