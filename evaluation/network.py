"""Network metrics of a programme's contact log, with networkx. Pure: no Django imports.

The graph is undirected and simple: one node per person (every peer, plus anyone who appears in
a logged contact), one edge per pair of people with at least one logged contact, whoever logged
it and however often. Self-contacts are ignored.

* **density**: edges / possible edges, over all nodes (isolated peers count);
* **degree centrality**: a node's degree divided by (nodes - 1);
* **betweenness centrality**: normalised, over the whole graph; exact up to
  :data:`EXACT_LIMIT` nodes, above that estimated from :data:`SAMPLE_PIVOTS` sampled sources
  (fixed seed, so it is repeatable);
* **diameter**: the longest shortest path *of the largest connected component* (a graph that is
  not connected has no finite diameter); exact up to :data:`EXACT_LIMIT` nodes in that component,
  above that the two-sweep lower bound of ``networkx.approximation.diameter``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

EXACT_LIMIT = 400
SAMPLE_PIVOTS = 40
DRAWN_LIMIT = 120


@dataclass(frozen=True)
class NetworkMetrics:
    people: int
    ties: int
    density: float
    components: int
    largest_component: int
    diameter: int
    diameter_exact: bool
    betweenness_exact: bool
    isolated: int
    degree: dict[int, float] = field(default_factory=dict)
    betweenness: dict[int, float] = field(default_factory=dict)

    @property
    def mean_degree(self) -> float:
        return sum(self.degree.values()) / len(self.degree) if self.degree else 0.0

    @property
    def max_degree(self) -> float:
        return max(self.degree.values(), default=0.0)

    @property
    def mean_betweenness(self) -> float:
        return sum(self.betweenness.values()) / len(self.betweenness) if self.betweenness else 0.0

    @property
    def max_betweenness(self) -> float:
        return max(self.betweenness.values(), default=0.0)

    def most_central(self, count: int = 5) -> list[tuple[int, float, float]]:
        """``(node, degree centrality, betweenness)`` of the most between nodes."""
        ranked = sorted(
            self.degree, key=lambda node: (-self.betweenness.get(node, 0.0), -self.degree[node])
        )
        return [(n, self.degree[n], self.betweenness.get(n, 0.0)) for n in ranked[:count]]


def build_graph(edges: Iterable[Sequence[Any]], people: Iterable[int] = ()) -> nx.Graph:
    """The contact graph: ``edges`` are tuples whose first two values are the two people."""
    graph = nx.Graph()
    graph.add_nodes_from(people)
    for edge in edges:
        a, b = edge[0], edge[1]
        if a == b:
            continue
        graph.add_edge(a, b)
    return graph


def network_metrics(graph: nx.Graph) -> NetworkMetrics:
    nodes = graph.number_of_nodes()
    if nodes == 0:
        return NetworkMetrics(0, 0, 0.0, 0, 0, 0, True, True, 0)
    components = list(nx.connected_components(graph))
    largest = max(components, key=len)
    core = graph.subgraph(largest)
    diameter_exact = len(largest) <= EXACT_LIMIT
    if len(largest) < 2:
        diameter = 0
    elif diameter_exact:
        diameter = int(nx.diameter(core))
    else:
        diameter = int(nx.approximation.diameter(core, seed=0))
    betweenness_exact = nodes <= EXACT_LIMIT
    if betweenness_exact:
        betweenness = nx.betweenness_centrality(graph, normalized=True)
    else:
        betweenness = nx.betweenness_centrality(
            graph, k=min(SAMPLE_PIVOTS, nodes), normalized=True, seed=0
        )
    return NetworkMetrics(
        people=nodes,
        ties=graph.number_of_edges(),
        density=float(nx.density(graph)),
        components=len(components),
        largest_component=len(largest),
        diameter=diameter,
        diameter_exact=diameter_exact,
        betweenness_exact=betweenness_exact,
        isolated=sum(1 for component in components if len(component) == 1),
        degree={int(k): float(v) for k, v in nx.degree_centrality(graph).items()},
        betweenness={int(k): float(v) for k, v in betweenness.items()},
    )


def edges_fingerprint(edges: Iterable[Sequence[Any]], people: Iterable[int]) -> str:
    """A short hash of the graph's content, for caching its metrics and drawing."""
    pairs = sorted({(min(e[0], e[1]), max(e[0], e[1])) for e in edges if e[0] != e[1]})
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(repr(pairs).encode())
    digest.update(repr(sorted(set(people))).encode())
    return digest.hexdigest()[:20]


@dataclass(frozen=True)
class Drawing:
    """Positions in a 0-100 square for an SVG picture of (part of) the graph."""

    nodes: list[dict[str, Any]]
    lines: list[tuple[float, float, float, float]]
    shown: int
    total: int


def drawing(graph: nx.Graph, betweenness: dict[int, float], limit: int = DRAWN_LIMIT) -> Drawing:
    """Lay out at most ``limit`` nodes (the most connected ones) for a light picture."""
    total = graph.number_of_nodes()
    if total == 0:
        return Drawing([], [], 0, 0)
    if total > limit:
        ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[:limit]
        sub = graph.subgraph(ranked).copy()
    else:
        sub = graph
    positions = nx.spring_layout(sub, seed=7, iterations=60) if sub.number_of_nodes() > 1 else {}
    if not positions:
        positions = {node: (0.0, 0.0) for node in sub.nodes}
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def scale(point: Any) -> tuple[float, float]:
        x = 5 + 90 * (float(point[0]) - min(xs)) / span_x
        y = 5 + 90 * (float(point[1]) - min(ys)) / span_y
        return round(x, 2), round(y, 2)

    scaled = {node: scale(point) for node, point in positions.items()}
    top = max(betweenness.values(), default=0.0) or 1.0
    nodes = [
        {
            "id": node,
            "x": scaled[node][0],
            "y": scaled[node][1],
            "r": round(0.9 + 1.6 * math.sqrt(betweenness.get(node, 0.0) / top), 2),
            "degree": sub.degree(node),
        }
        for node in sub.nodes
    ]
    lines = [(*scaled[a], *scaled[b]) for a, b in sub.edges]
    return Drawing(nodes, lines, sub.number_of_nodes(), total)
