"""The shape of the code: import circles.

The import rules themselves are import-linter contracts (``make check``); these tests measure
what contracts cannot express.
"""

from __future__ import annotations

import grimp
import networkx as nx

PACKAGES = ("peerlearn", "programmes", "matching", "group_life", "evaluation", "diffusion")
MAX_CIRCLES = 4


def _import_graph() -> nx.DiGraph:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    edges = nx.DiGraph()
    for module in graph.modules:
        edges.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    return edges


def _circles() -> list[set[str]]:
    """Groups of modules that import each other, directly or through others."""
    return [c for c in nx.strongly_connected_components(_import_graph()) if len(c) > 1]


def test_no_import_circle_runs_through_the_kernel() -> None:
    through_kernel = [c for c in _circles() if any(m.split(".")[0] == "peerlearn" for m in c)]
    assert through_kernel == []


def test_at_most_four_import_circles_remain() -> None:
    circles = _circles()
    assert len(circles) <= MAX_CIRCLES, sorted(sorted(c) for c in circles)
    cycles = list(nx.simple_cycles(_import_graph()))
    assert len(cycles) <= MAX_CIRCLES, cycles
