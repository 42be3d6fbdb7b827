"""Reference tests: every network metric equals an independent networkx computation (within 1e-9).

Published networks shipped with networkx (Padgett's Florentine families, Zachary's karate club, Davis's
southern women projected onto the women) are used as directed graphs with both directions; random directed
graphs from hypothesis add isolates, self-loops, duplicate rows and missing ratings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.analysis.network import (
    TRUST_ITEMS,
    VALUE_ITEMS,
    analyse_network,
    merge_ties,
    pivot_estimates,
)

TOL = 1e-9


def published(name: str) -> nx.Graph:
    if name == "florentine":
        return nx.florentine_families_graph()
    if name == "karate":
        return nx.karate_club_graph()
    davis = nx.davis_southern_women_graph()
    women = [node for node, data in davis.nodes(data=True) if data["bipartite"] == 0]
    return nx.bipartite.projected_graph(davis, women)


def networkx_reference(digraph: nx.DiGraph, sector: dict[Any, str] | None = None) -> dict[str, Any]:
    """The metrics computed with networkx only (no JoinedUp code), keyed by node."""
    n = digraph.number_of_nodes()
    undirected = nx.Graph(digraph.to_undirected())
    degrees = dict(undirected.degree())
    top = max(degrees.values(), default=0)
    lengths = [d for u, row in nx.all_pairs_shortest_path_length(digraph) for v, d in row.items() if u != v]
    harmonic = nx.harmonic_centrality(digraph)
    triads = sum(d * (d - 1) for d in degrees.values())
    ei = None
    if sector is not None:
        external = sum(1 for u, v in undirected.edges() if sector[u] != sector[v])
        internal = undirected.number_of_edges() - external
        ei = (external - internal) / (external + internal) if external + internal else None
    return {
        "density": nx.density(digraph) if n > 1 else None,
        "reciprocity": nx.overall_reciprocity(digraph) if digraph.number_of_edges() else None,
        "degree_centralization": sum(top - d for d in degrees.values()) / ((n - 1) * (n - 2))
        if n > 2
        else None,
        "components": nx.number_weakly_connected_components(digraph),
        "isolates": nx.number_of_isolates(digraph),
        "mean_distance": sum(lengths) / len(lengths) if lengths else None,
        "transitivity": nx.transitivity(undirected) if triads else None,
        "ei_index": ei,
        "in_degree": dict(digraph.in_degree()),
        "out_degree": dict(digraph.out_degree()),
        "betweenness": nx.betweenness_centrality(digraph, normalized=True),
        "closeness": {v: (harmonic[v] / (n - 1) if n > 1 else 0.0) for v in digraph},
    }


def both_directions(graph: nx.Graph) -> nx.DiGraph:
    return nx.DiGraph(graph.to_directed())


def run(digraph: nx.DiGraph, sector: dict[Any, str] | None = None, **kwargs: Any) -> tuple[list[Any], Any]:
    nodes = list(digraph.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in digraph.edges()], dtype=np.int64).reshape(-1, 2)
    ties = merge_ties(len(nodes), edges[:, 0], edges[:, 1])
    codes = None
    if sector is not None:
        labels = sorted(set(sector.values()))
        codes = np.array([labels.index(sector[node]) for node in nodes], dtype=np.int64)
    return nodes, analyse_network(len(nodes), ties, sector=codes, **kwargs)


def assert_matches(nodes: list[Any], metrics: Any, expected: dict[str, Any]) -> None:
    for key in (
        "density",
        "reciprocity",
        "degree_centralization",
        "mean_distance",
        "transitivity",
        "ei_index",
    ):
        got, want = metrics.network[key], expected[key]
        if want is None:
            assert got is None, key
        else:
            assert got == pytest.approx(want, abs=TOL), key
    assert metrics.network["components"] == expected["components"]
    assert metrics.network["isolates"] == expected["isolates"]
    for key in ("in_degree", "out_degree", "betweenness", "closeness"):
        want = np.array([expected[key][node] for node in nodes], dtype=np.float64)
        np.testing.assert_allclose(getattr(metrics, key), want, rtol=0, atol=TOL, err_msg=key)


@pytest.mark.parametrize("name", ["florentine", "karate", "davis"])
def test_published_networks_match_networkx(name: str) -> None:
    digraph = both_directions(published(name))
    # A made-up sector per node (by name) so the E-I index has something to count.
    sector = {node: ("nhs", "council", "voluntary")[len(str(node)) % 3] for node in digraph}
    nodes, metrics = run(digraph, sector)
    assert metrics.network["ties"] == digraph.number_of_edges()
    assert metrics.network["organisations"] == digraph.number_of_nodes()
    assert metrics.network["reciprocity"] == 1.0
    assert metrics.network["betweenness_method"] == "exact"
    assert_matches(nodes, metrics, networkx_reference(digraph, sector))


def test_karate_club_published_values() -> None:
    """Zachary's club: 34 members, 78 friendships; density 78/561 and transitivity 0.2557 as published."""
    _, metrics = run(both_directions(nx.karate_club_graph()))
    assert metrics.network["ties"] == 156
    assert metrics.network["density"] == pytest.approx(156 / (34 * 33))
    assert metrics.network["transitivity"] == pytest.approx(0.2557, abs=5e-5)


rows_strategy = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=6, max_size=6),
            ),
            max_size=40,
        ),
        st.lists(st.sampled_from(["a", "b", "c", None]), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(rows_strategy)
def test_random_directed_graphs_match_networkx(case: tuple[int, list[Any], list[str | None]]) -> None:
    n, rows, sectors = case
    source = np.array([r[0] for r in rows], dtype=np.int64)
    target = np.array([r[1] for r in rows], dtype=np.int64)
    names = TRUST_ITEMS + VALUE_ITEMS
    items = {
        name: np.array([np.nan if r[2][i] is None else r[2][i] for r in rows], dtype=np.float64)
        for i, name in enumerate(names)
    }
    ties = merge_ties(n, source, target, items)
    codes = np.array([-1 if s is None else "abc".index(s) for s in sectors], dtype=np.int64)
    metrics = analyse_network(n, ties, sector=codes)

    digraph = nx.DiGraph()
    digraph.add_nodes_from(range(n))
    digraph.add_edges_from((u, v) for u, v, _ in rows if u != v)
    expected = networkx_reference(digraph)
    # E-I only over ties whose two ends have a known sector.
    known = [(u, v) for u, v in nx.Graph(digraph.to_undirected()).edges() if sectors[u] and sectors[v]]
    external = sum(1 for u, v in known if sectors[u] != sectors[v])
    expected["ei_index"] = (2 * external - len(known)) / len(known) if known else None
    assert metrics.network["self_ties_dropped"] == sum(1 for u, v, _ in rows if u == v)
    assert metrics.network["ties"] == digraph.number_of_edges()
    assert_matches(list(range(n)), metrics, expected)

    # Trust and value, by plain Python: average each item over duplicate rows, then the tie's mean of its items.
    per_pair: dict[tuple[int, int], list[list[int]]] = defaultdict(lambda: [[] for _ in names])
    for u, v, ratings in rows:
        if u != v:
            for i, rating in enumerate(ratings):
                if rating is not None:
                    per_pair[(u, v)][i].append(rating)
    for label, columns, received in (
        ("trust", range(3), metrics.trust),
        ("value", range(3, 6), metrics.value),
    ):
        tie_score: dict[tuple[int, int], float] = {}
        for pair, lists in per_pair.items():
            means = [sum(lists[i]) / len(lists[i]) for i in columns if lists[i]]
            if means:
                tie_score[pair] = sum(means) / len(means)
        want = sum(tie_score.values()) / len(tie_score) if tie_score else None
        assert metrics.network[label] == (None if want is None else pytest.approx(want, abs=TOL))
        for v in range(n):
            incoming = [score for (_, b), score in tie_score.items() if b == v]
            if incoming:
                assert received[v] == pytest.approx(sum(incoming) / len(incoming), abs=TOL)
            else:
                assert math.isnan(received[v])


def test_no_rating_columns_gives_none() -> None:
    ties = merge_ties(3, np.array([0, 1]), np.array([1, 2]))
    metrics = analyse_network(3, ties)
    assert metrics.network["trust"] is None and metrics.network["value"] is None
    assert metrics.trust is None and metrics.value is None
    assert metrics.network["ei_index"] is None


def test_empty_and_tiny_networks() -> None:
    metrics = analyse_network(1, merge_ties(1, np.array([0]), np.array([0])))
    assert metrics.network["organisations"] == 1
    assert metrics.network["ties"] == 0
    assert metrics.network["self_ties_dropped"] == 1
    assert metrics.network["density"] is None
    assert metrics.network["mean_distance"] is None
    assert metrics.network["isolates"] == 1
    metrics = analyse_network(2, merge_ties(2, np.array([0, 1]), np.array([1, 0])))
    assert metrics.network["density"] == 1.0
    assert metrics.network["degree_centralization"] is None
    assert list(metrics.betweenness) == [0.0, 0.0]


# Sampled betweenness ---------------------------------------------------------------------------------


def karate_igraph() -> ig.Graph:
    digraph = both_directions(nx.karate_club_graph())
    return ig.Graph(n=digraph.number_of_nodes(), edges=list(digraph.edges()), directed=True)


def test_pivots_on_every_source_equal_exact() -> None:
    graph = karate_igraph()
    n = graph.vcount()
    betweenness, closeness, mean_distance = pivot_estimates(graph, np.arange(n))
    exact = nx.betweenness_centrality(both_directions(nx.karate_club_graph()), normalized=True)
    np.testing.assert_allclose(betweenness, [exact[v] for v in range(n)], atol=TOL, rtol=0)
    np.testing.assert_allclose(
        closeness, graph.harmonic_centrality(mode="in", normalized=True), atol=TOL, rtol=0
    )
    assert mean_distance == pytest.approx(graph.average_path_length(directed=True), abs=TOL)


def test_sampled_estimates_are_unbiased() -> None:
    """Averaged over many draws of 8 pivots, the estimates approach the exact values (scaling by n/K is right)."""
    graph = karate_igraph()
    n = graph.vcount()
    rng = np.random.default_rng(7)
    draws = [pivot_estimates(graph, np.sort(rng.choice(n, 8, replace=False))) for _ in range(400)]
    mean_betweenness = np.mean([d[0] for d in draws], axis=0)
    exact = np.array(graph.betweenness(directed=True)) / ((n - 1) * (n - 2))
    assert np.abs(mean_betweenness - exact).max() < 0.03
    assert np.abs(mean_betweenness.sum() - exact.sum()) / exact.sum() < 0.05
    mean_closeness = np.mean([d[1] for d in draws], axis=0)
    np.testing.assert_allclose(mean_closeness, graph.harmonic_centrality(mode="in"), atol=0.02)


def test_method_label_follows_the_threshold() -> None:
    digraph = both_directions(nx.karate_club_graph())
    _, exact = run(digraph)
    assert exact.network["betweenness_method"] == "exact"
    _, sampled = run(digraph, exact_limit=10, pivots=5)
    assert sampled.network["betweenness_method"] == "sampled:5"
    assert not np.allclose(sampled.betweenness, exact.betweenness)
    # Other metrics do not depend on sampling.
    for key in ("density", "reciprocity", "transitivity", "components", "ties"):
        assert sampled.network[key] == exact.network[key]
    # As many pivots as organisations is the exact computation, and says so.
    _, everyone = run(digraph, exact_limit=10, pivots=34)
    assert everyone.network["betweenness_method"] == "exact"
    np.testing.assert_allclose(everyone.betweenness, exact.betweenness, atol=TOL)


@pytest.mark.parametrize("seed", [3, 4])
def test_sampled_estimates_are_brandes_pich_from_the_seeded_pivots(seed: int) -> None:
    """A seed names its 5 pivots (numpy's seeded generator, drawn without replacement), and the estimates
    are networkx's betweenness and distances from exactly those sources, scaled by n/K (Brandes & Pich)."""
    digraph = both_directions(nx.karate_club_graph())
    n, k = digraph.number_of_nodes(), 5
    _, sampled = run(digraph, exact_limit=10, pivots=k, seed=seed)
    pivots = [int(v) for v in np.random.default_rng(seed).choice(n, size=k, replace=False)]
    subset = nx.betweenness_centrality_subset(
        digraph, sources=pivots, targets=list(digraph), normalized=False
    )
    want = np.array([subset[v] for v in range(n)]) * (n / k) / ((n - 1) * (n - 2))
    np.testing.assert_allclose(sampled.betweenness, want, atol=TOL, rtol=0)
    reach = {s: nx.single_source_shortest_path_length(digraph, s) for s in pivots}
    harmonic = [sum(1 / reach[s][v] for s in pivots if s != v and v in reach[s]) for v in range(n)]
    np.testing.assert_allclose(sampled.closeness, np.array(harmonic) * (n / k) / (n - 1), atol=TOL, rtol=0)
    lengths = [d for s in pivots for v, d in reach[s].items() if v != s]
    assert sampled.network["mean_distance"] == pytest.approx(sum(lengths) / len(lengths), abs=TOL)
    # The same seed gives the same figures again; another seed other pivots.
    _, again = run(digraph, exact_limit=10, pivots=k, seed=seed)
    np.testing.assert_array_equal(again.betweenness, sampled.betweenness)
    _, other = run(digraph, exact_limit=10, pivots=k, seed=seed + 10)
    assert not np.allclose(other.betweenness, sampled.betweenness)


def test_work_split_between_processes_gives_the_same_sums() -> None:
    graph = karate_igraph()
    serial = pivot_estimates(graph, np.arange(graph.vcount()), workers=1)
    split = pivot_estimates(graph, np.arange(graph.vcount()), workers=2)
    np.testing.assert_allclose(split[0], serial[0], atol=TOL, rtol=0)
    np.testing.assert_allclose(split[1], serial[1], atol=TOL, rtol=0)
    assert split[2] == pytest.approx(serial[2], abs=TOL)


def test_analysis_in_two_processes_equals_one() -> None:
    digraph = both_directions(nx.karate_club_graph())
    _, one = run(digraph, workers=1)
    _, two = run(digraph, workers=2)
    assert one.network == two.network
    np.testing.assert_allclose(two.betweenness, one.betweenness, atol=TOL, rtol=0)
    np.testing.assert_allclose(two.closeness, one.closeness, atol=TOL, rtol=0)
