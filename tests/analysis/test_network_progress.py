"""The progress callback of the network analysis: it counts the single-source computations as they are done,
and asking for progress changes no result (checked against networkx, not against the analysis itself)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from joinedup.analysis.network import PROGRESS_BLOCKS, analyse_network, merge_ties, pivot_estimates
from tests.analysis.test_network import TOL, assert_matches, karate_igraph, networkx_reference

KARATE = nx.DiGraph(nx.karate_club_graph().to_directed())


def big_ring(n: int) -> nx.DiGraph:
    """A directed ring with chords: every organisation names the next and the one 7 further on."""
    return nx.DiGraph([(i, (i + 1) % n) for i in range(n)] + [(i, (i + 7) % n) for i in range(n)])


def analyse(digraph: nx.DiGraph, **kwargs):
    nodes = list(digraph.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in digraph.edges()], dtype=np.int64)
    return nodes, analyse_network(len(nodes), merge_ties(len(nodes), edges[:, 0], edges[:, 1]), **kwargs)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_every_source_once_in_blocks(workers: int) -> None:
    digraph = big_ring(2_000)
    calls: list[tuple[int, int]] = []
    nodes, metrics = analyse(
        digraph, workers=workers, progress=lambda done, total: calls.append((done, total))
    )
    assert calls[0] == (0, 2_000) and calls[-1] == (2_000, 2_000)
    assert {total for _, total in calls} == {2_000}
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(set(done)) == len(done)  # rising, each block once
    assert PROGRESS_BLOCKS // 2 <= len(calls) - 1 <= PROGRESS_BLOCKS + 1
    # and the results are still networkx's
    expected = networkx_reference(digraph)
    np.testing.assert_allclose(
        metrics.betweenness, [expected["betweenness"][v] for v in nodes], atol=TOL, rtol=0
    )
    assert metrics.network["mean_distance"] == pytest.approx(expected["mean_distance"], abs=TOL)


def test_with_or_without_progress_the_karate_club_matches_networkx() -> None:
    nodes, metrics = analyse(KARATE, progress=lambda done, total: None)
    assert_matches(nodes, metrics, networkx_reference(KARATE))


def test_sampled_pivots_report_the_pivots_not_the_organisations() -> None:
    calls: list[tuple[int, int]] = []
    _, metrics = analyse(
        big_ring(300), exact_limit=100, pivots=40, progress=lambda d, t: calls.append((d, t))
    )
    assert metrics.network["betweenness_method"] == "sampled:40"
    assert calls[-1] == (40, 40)


def test_pivot_estimates_in_blocks_equal_one_pass() -> None:
    graph = karate_igraph()
    sources = np.arange(graph.vcount())
    calls: list[int] = []
    blocks = pivot_estimates(graph, sources, progress=lambda done, total: calls.append(done))
    whole = pivot_estimates(graph, sources)
    np.testing.assert_allclose(blocks[0], whole[0], atol=TOL, rtol=0)
    np.testing.assert_allclose(blocks[1], whole[1], atol=TOL, rtol=0)
    assert blocks[2] == pytest.approx(whole[2], abs=TOL) and calls[-1] == graph.vcount()


def test_an_empty_network_reports_nothing_to_do() -> None:
    calls: list[tuple[int, int]] = []
    metrics = analyse_network(
        0, merge_ties(0, np.zeros(0), np.zeros(0)), progress=lambda d, t: calls.append((d, t))
    )
    assert metrics.network["organisations"] == 0 and calls == [(0, 0)]
