"""The shape of the code: import circles, star imports and module sizes.

The import rules themselves are import-linter contracts (``make check``); these tests measure
what contracts cannot express.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import networkx as nx

PACKAGES = ("peerlearn", "programmes", "matching", "group_life", "evaluation", "diffusion")
MAX_CIRCLES = 4
MAX_MODULE_LINES = 700


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
    # What remains is a service queueing its job and the job calling the service back: every
    # cycle runs only between one app's services and its tasks.
    for cycle in nx.simple_cycles(_import_graph()):
        apps = {module.split(".")[0] for module in cycle}
        kinds = {module.split(".")[1] for module in cycle}
        assert len(apps) == 1 and kinds == {"services", "tasks"}, cycle


def _source_files() -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    return [
        path
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_no_star_imports() -> None:
    starred = []
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                starred.append(f"{path}:{node.lineno}")
    assert starred == []


def test_no_module_over_700_lines() -> None:
    sizes = {
        str(path): len(path.read_text(encoding="utf-8").splitlines()) for path in _source_files()
    }
    assert {path: lines for path, lines in sizes.items() if lines > MAX_MODULE_LINES} == {}
