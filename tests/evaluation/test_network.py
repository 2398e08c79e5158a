"""Network metrics on graphs whose values are known by hand."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation import network
from evaluation.indicators import sustained_contact

D = date(2026, 3, 2)


def metrics(
    edges: list[tuple[int, int]], people: list[int] | None = None
) -> network.NetworkMetrics:
    return network.network_metrics(network.build_graph(edges, people or []))


def test_path_of_four_people() -> None:
    # 1 - 2 - 3 - 4: 3 ties of 6 possible; 2 and 3 each lie on 2 of the 3 paths between others.
    result = metrics([(1, 2), (2, 3), (3, 4)])
    assert result.density == pytest.approx(0.5)
    assert result.diameter == 3
    assert result.degree[2] == pytest.approx(2 / 3)
    assert result.degree[1] == pytest.approx(1 / 3)
    assert result.betweenness[2] == pytest.approx(2 / 3)
    assert result.betweenness[1] == pytest.approx(0.0)
    assert result.mean_degree == pytest.approx(0.5)
    assert result.max_betweenness == pytest.approx(2 / 3)


def test_star_the_hub_is_between_everyone() -> None:
    # Hub 0 with four spokes: 4 ties of 10, every other pair's only path runs through 0.
    result = metrics([(0, 1), (0, 2), (0, 3), (0, 4)])
    assert result.density == pytest.approx(0.4)
    assert result.diameter == 2
    assert result.betweenness[0] == pytest.approx(1.0)
    assert result.degree[0] == pytest.approx(1.0)
    assert result.most_central(1)[0][0] == 0


def test_diameter_is_that_of_the_largest_component_and_isolated_peers_count() -> None:
    # A path of three (diameter 2), a separate pair, and one peer with no contact.
    result = metrics([(1, 2), (2, 3), (4, 5)], people=[1, 2, 3, 4, 5, 6])
    assert result.people == 6
    assert result.ties == 3
    assert result.density == pytest.approx(3 / 15)
    assert result.components == 3
    assert result.largest_component == 3
    assert result.diameter == 2
    assert result.isolated == 1


def test_repeated_contacts_and_self_contacts_count_once_or_not_at_all() -> None:
    result = metrics([(1, 2), (2, 1), (1, 2), (3, 3), (2, 3)])
    assert result.ties == 2
    assert result.density == pytest.approx(2 / 3)


def test_complete_graph_has_density_one_and_diameter_one() -> None:
    result = metrics([(a, b) for a in range(5) for b in range(a + 1, 5)])
    assert result.density == pytest.approx(1.0)
    assert result.diameter == 1
    assert result.max_betweenness == pytest.approx(0.0)


def test_empty_graph() -> None:
    result = metrics([])
    assert (result.people, result.ties, result.density, result.diameter) == (0, 0, 0.0, 0)


def test_large_graphs_are_approximated_and_say_so() -> None:
    n = network.EXACT_LIMIT + 50
    result = metrics([(i, i + 1) for i in range(n - 1)])
    assert not result.betweenness_exact
    assert not result.diameter_exact
    assert result.diameter <= n - 1
    assert result.diameter >= (n - 1) // 2


def test_drawing_is_light_and_inside_the_box() -> None:
    graph = network.build_graph([(i, i + 1) for i in range(300)])
    picture = network.drawing(graph, {}, limit=50)
    assert picture.shown == 50
    assert picture.total == 301
    assert all(5 <= node["x"] <= 95 and 5 <= node["y"] <= 95 for node in picture.nodes)


def test_sustained_contact_needs_contacts_spanning_twelve_weeks() -> None:
    edges = [
        (1, 2, D, True),
        (1, 2, date(2026, 5, 25), True),  # exactly 12 weeks later: 1 and 2 sustained
        (3, 4, D, False),
        (3, 5, date(2026, 5, 24), False),  # 3 spans 83 days: not yet
    ]
    assert sustained_contact(edges) == {1, 2}
