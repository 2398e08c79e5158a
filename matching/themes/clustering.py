"""Clustering statement points into themes (scikit-learn), and choosing how many.

Statements are linked to their ``round(sqrt(n))`` nearest neighbours by cosine similarity (a
symmetric k-nearest-neighbour graph). Spectral clustering splits that graph: its spectral
embedding (:func:`sklearn.manifold.spectral_embedding`) is computed once, then k-means on the
first ``k`` row-normalised coordinates gives the partition into ``k`` themes.

When the number of themes is not given, it is the ``k`` in ``[k_min, k_max]`` whose partition
has the highest modularity on a sparser neighbour graph (``0.7 sqrt(n)`` neighbours): the share
of neighbour links that stay inside themes minus the share expected by chance. Unlike the mean
silhouette, which grows with ``k`` on short statements, modularity penalises splitting a coherent
group.

An asked-for number of themes is always honoured (when there are at least that many
statements): if k-means leaves fewer non-empty clusters, for example with duplicate statements,
the largest clusters are split until there are exactly ``k``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.manifold import spectral_embedding
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

SMALL = 12  # below this many statements, k-means on the points themselves
SCORE_SCALE = 0.7  # neighbours of the graph on which modularity is scored, times sqrt(n)


@dataclass
class Partition:
    labels: np.ndarray  # cluster of each statement, 0..k-1
    k: int
    scores: dict[int, float] = field(default_factory=dict)  # modularity of each k tried


def neighbours(n: int, scale: float = 1.0) -> int:
    return max(2, min(n - 1, round(scale * math.sqrt(n))))


def knn_graph(points: np.ndarray, n_neighbors: int | None = None) -> sparse.csr_matrix:
    """Symmetric 0/1 graph linking each point to its nearest neighbours (cosine)."""
    n = len(points)
    n_neighbors = n_neighbors or neighbours(n)
    # Euclidean distance between unit vectors ranks neighbours as cosine similarity does, and
    # stays defined for an all-zero row.
    model = NearestNeighbors(n_neighbors=min(n - 1, n_neighbors))
    model.fit(normalize(points))
    graph = model.kneighbors_graph(mode="connectivity")
    graph = 0.5 * (graph + graph.T)
    return sparse.csr_matrix(graph)


def modularity(graph: sparse.csr_matrix, labels: np.ndarray) -> float:
    """Newman's modularity of a partition of a weighted undirected graph."""
    degrees = np.asarray(graph.sum(axis=1)).ravel()
    total = degrees.sum()
    if total <= 0:
        return 0.0
    k = int(labels.max()) + 1
    membership = sparse.csr_matrix(
        (np.ones(len(labels)), (np.arange(len(labels)), labels)), shape=(len(labels), k)
    )
    inside = (membership.T @ graph @ membership).diagonal().sum() / total
    expected = float(np.sum((membership.T @ degrees / total) ** 2))
    return float(inside - expected)


def enforce_k(labels: np.ndarray, points: np.ndarray, k: int) -> np.ndarray:
    """Labels 0..k-1 with exactly ``k`` non-empty clusters (``k`` at most the number of points).

    Empty clusters are refilled by splitting the largest cluster: the half of its members
    farthest from its centroid (in a fixed order, so identical points are split too).
    """
    labels = _relabel(labels)
    n = len(labels)
    k = max(1, min(k, n))
    while int(labels.max()) + 1 > k:  # more clusters than asked: merge the smallest away
        sizes = np.bincount(labels)
        smallest = int(np.argmin(sizes))
        members = np.where(labels == smallest)[0]
        similarity = points[members] @ _centroids(points, labels).T
        similarity[:, smallest] = -np.inf
        labels[members] = np.argmax(similarity, axis=1)
        labels = _relabel(labels)
    while int(labels.max()) + 1 < k:
        sizes = np.bincount(labels)
        largest = int(np.argmax(sizes))
        members = np.where(labels == largest)[0]
        centroid = points[members].mean(axis=0)
        distance = np.linalg.norm(points[members] - centroid, axis=1)
        order = members[np.lexsort((members, -distance))]
        labels[order[: max(1, len(order) // 2)]] = int(labels.max()) + 1
    return labels


def _centroids(points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    k = int(labels.max()) + 1
    sums = np.zeros((k, points.shape[1]))
    np.add.at(sums, labels, points)
    return normalize(sums)


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, 2... in order of first appearance."""
    mapping: dict[int, int] = {}
    return np.array([mapping.setdefault(int(x), len(mapping)) for x in labels], dtype=np.int64)


def _kmeans(points: np.ndarray, k: int, seed: int) -> np.ndarray:
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")  # duplicate points: fewer distinct clusters
        model = KMeans(n_clusters=k, n_init=10 if len(points) <= 1000 else 4, random_state=seed)
        return np.asarray(model.fit_predict(points), dtype=np.int64)


def partition(
    points: np.ndarray,
    *,
    k: int | None = None,
    k_min: int = 2,
    k_max: int = 20,
    seed: int = 0,
) -> Partition:
    """Split ``points`` into ``k`` themes, or into the ``k`` of highest modularity."""
    n = len(points)
    if n == 0:
        return Partition(labels=np.zeros(0, dtype=np.int64), k=0)
    if k is not None and k < 1:
        raise ValueError("The number of themes must be at least 1.")
    if n == 1 or k == 1:
        return Partition(labels=np.zeros(n, dtype=np.int64), k=1)
    if k is not None:
        candidates = [min(k, n)]
    else:
        high = max(2, min(k_max, n - 1))
        candidates = list(range(min(max(2, k_min), high), high + 1))
    graph = knn_graph(points) if n >= 4 else None
    # Modularity is scored on a sparser graph: on the denser one, small themes (a dozen
    # statements) look like parts of their neighbours and too few themes come out.
    sparse_graph = knn_graph(points, neighbours(n, SCORE_SCALE)) if n >= 4 else None
    embedding = None
    if graph is not None and n >= SMALL:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a graph in several pieces is fine
            embedding = spectral_embedding(
                graph,
                n_components=min(n - 1, max(candidates)),
                drop_first=False,
                random_state=seed,
            )
    best: tuple[float, int, np.ndarray] | None = None
    scores: dict[int, float] = {}
    for candidate in candidates:
        if embedding is None:
            labels = _kmeans(points, candidate, seed)
        else:
            labels = _kmeans(normalize(embedding[:, :candidate]), candidate, seed)
        labels = enforce_k(labels, points, candidate)
        score = modularity(sparse_graph, labels) if sparse_graph is not None else 0.0
        scores[candidate] = round(score, 6)
        if best is None or score > best[0] + 1e-12:
            best = (score, candidate, labels)
    assert best is not None
    return Partition(labels=best[2], k=best[1], scores=scores)
