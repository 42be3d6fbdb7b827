"""Network metrics for relationship surveys, computed with python-igraph (C core) on numpy arrays.

The graph is directed: a tie source → target means "source says it works with target". Ties are merged
per ordered pair (the ratings of duplicate rows are averaged item by item) and self-ties are dropped and
counted. Organisations are numbered 0..n-1 by the caller; this module never sees names or files.

Definitions (each is checked against networkx in tests/analysis/test_network.py):

- density = ties / (n(n-1)); reciprocity = share of ties whose reverse tie exists;
- degree_centralization = Freeman's on the undirected underlying simple graph, Σ(max-dᵢ)/((n-1)(n-2));
- components = weakly connected components; isolates = organisations with no tie in or out;
- mean_distance = mean directed shortest-path length over ordered pairs (u, v), u ≠ v, where v is reachable from u;
- transitivity = global clustering coefficient of the undirected underlying simple graph;
- trust / value = mean over ties of the tie's mean trust (value) items; per organisation, the same mean over the
  ties pointing to it ("received");
- ei_index = Krackhardt & Stern's (E-I)/(E+I) over undirected ties between organisations with a known sector;
- betweenness = directed, normalised by (n-1)(n-2);
- closeness = harmonic closeness over incoming paths, Σ_{u≠v} 1/d(u, v) / (n-1) (networkx's harmonic_centrality
  on a directed graph, divided by n-1): how near the others are to reaching the organisation.

Above `exact_limit` organisations, betweenness, closeness and mean_distance are estimated from the same K random
pivots (Brandes & Pich 2007): single-source computations from K sources drawn without replacement, scaled by n/K
(mean_distance as the ratio of the sampled sums). With K = n the estimates equal the exact values.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import queue
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import igraph as ig
import numpy as np
from numpy.typing import NDArray

EXACT_BETWEENNESS_LIMIT = 20_000
DEFAULT_PIVOTS = 100
TRUST_ITEMS = ("trust_reliability", "trust_mission", "trust_openness")
VALUE_ITEMS = ("value_power", "value_involvement", "value_resources")
_DISTANCE_CHUNK = 16
# sources × (n + m) above which helper processes pay for their start-up: a helper takes about 0.3 s of CPU
# to start (interpreter, numpy, igraph, the graph), and one unit of this work about 33 ns (less on an idle
# machine), so below one to two seconds of work it would join too late to take much more than it cost.
# Measured 2026-12-02 at 5,000 / 40,000 on the shared 2-CPU machine (benchmarks/README.md).
_PARALLEL_WORK = 50_000_000
PROGRESS_BLOCKS = 100  # with a progress callback, the sources are done in about this many blocks

Progress = Callable[[int, int], None]  # (sources done, sources in all)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class MergedTies:
    """Ties after merging duplicate ordered pairs and dropping self-ties."""

    source: IntArray
    target: IntArray
    items: dict[str, FloatArray]  # item name -> mean rating per merged tie (NaN where no row rated it)
    self_ties_dropped: int


@dataclass(frozen=True)
class NetworkMetrics:
    network: dict[str, float | int | str | None]
    in_degree: IntArray
    out_degree: IntArray
    betweenness: FloatArray
    closeness: FloatArray
    trust: FloatArray | None  # per organisation, NaN where nothing was received
    value: FloatArray | None


def merge_ties(
    n: int, source: IntArray, target: IntArray, items: Mapping[str, FloatArray] | None = None
) -> MergedTies:
    """Merge rows per ordered pair (averaging each rating over the rows that gave it) and drop self-ties."""
    source = np.asarray(source, dtype=np.int64)
    target = np.asarray(target, dtype=np.int64)
    items = dict(items or {})
    loops = source == target
    self_ties = int(loops.sum())
    keep = ~loops
    key = source[keep] * n + target[keep]
    unique, inverse = np.unique(key, return_inverse=True)
    merged: dict[str, FloatArray] = {}
    for name, values in items.items():
        values = np.asarray(values, dtype=np.float64)[keep]
        present = ~np.isnan(values)
        sums = np.bincount(inverse, weights=np.where(present, values, 0.0), minlength=len(unique))
        counts = np.bincount(inverse, weights=present.astype(np.float64), minlength=len(unique))
        merged[name] = _safe_divide(sums, counts)
    return MergedTies(
        source=(unique // n).astype(np.int64),
        target=(unique % n).astype(np.int64),
        items=merged,
        self_ties_dropped=self_ties,
    )


def tie_means(items: Mapping[str, FloatArray], names: tuple[str, ...]) -> FloatArray | None:
    """Each tie's mean over the given items it has (NaN if none); None if no such item column exists."""
    present = [np.asarray(items[name], dtype=np.float64) for name in names if name in items]
    if not present:
        return None
    stacked = np.vstack(present)
    rated = ~np.isnan(stacked)
    return _safe_divide(np.where(rated, stacked, 0.0).sum(axis=0), rated.sum(axis=0).astype(np.float64))


def analyse_network(
    n: int,
    ties: MergedTies,
    *,
    sector: IntArray | None = None,
    pivots: int = DEFAULT_PIVOTS,
    exact_limit: int = EXACT_BETWEENNESS_LIMIT,
    seed: int = 0,
    workers: int | None = None,
    progress: Progress | None = None,
) -> NetworkMetrics:
    """All network-level and per-organisation metrics. `sector` holds a code per organisation (-1 = unknown).

    `workers` processes (this one and `workers - 1` helpers) share the single-source computations (default:
    one per CPU, up to 4, when the graph is big enough to repay starting them; see `pivot_estimates`).
    `progress(done, total)` hears how many of the single-source computations (the bulk of the time) are done,
    after each block of them.
    """
    s, t = ties.source, ties.target
    m = len(s)
    edges = np.column_stack([s, t])
    graph = _graph(n, s, t)
    in_degree = np.bincount(t, minlength=n).astype(np.int64)
    out_degree = np.bincount(s, minlength=n).astype(np.int64)

    lo, hi = np.minimum(s, t), np.maximum(s, t)
    pairs = np.unique(lo * n + hi)
    pair_lo, pair_hi = pairs // n, pairs % n
    undirected_degree = np.bincount(pair_lo, minlength=n) + np.bincount(pair_hi, minlength=n)

    if n > exact_limit and pivots < n:
        method = f"sampled:{max(1, pivots)}"
        sources = np.sort(np.random.default_rng(seed).choice(n, size=max(1, pivots), replace=False))
    else:
        method = "exact"
        sources = np.arange(n, dtype=np.int64)
    betweenness, closeness, mean_distance = pivot_estimates(
        graph, sources, workers=workers, edges=edges, progress=progress
    )

    tie_trust = tie_means(ties.items, TRUST_ITEMS)
    tie_value = tie_means(ties.items, VALUE_ITEMS)
    network: dict[str, float | int | str | None] = {
        "organisations": n,
        "ties": m,
        "density": m / (n * (n - 1)) if n > 1 else None,
        "reciprocity": _reciprocity(n, s, t),
        "degree_centralization": (
            float((undirected_degree.max() - undirected_degree).sum()) / ((n - 1) * (n - 2))
            if n > 2
            else None
        ),
        "components": len(graph.connected_components(mode="weak")) if n else 0,
        "isolates": int(((in_degree + out_degree) == 0).sum()),
        "mean_distance": mean_distance,
        # igraph reads a directed graph as undirected with multi-edges ignored: the underlying simple graph.
        "transitivity": _none_if_nan(graph.transitivity_undirected()) if n else None,
        "trust": _mean_or_none(tie_trust),
        "value": _mean_or_none(tie_value),
        "ei_index": _ei_index(sector, pair_lo, pair_hi),
        "betweenness_method": method,
        "self_ties_dropped": ties.self_ties_dropped,
    }
    return NetworkMetrics(
        network=network,
        in_degree=in_degree,
        out_degree=out_degree,
        betweenness=betweenness,
        closeness=closeness,
        trust=None if tie_trust is None else _received(n, t, tie_trust),
        value=None if tie_value is None else _received(n, t, tie_value),
    )


def pivot_estimates(
    graph: ig.Graph,
    sources: IntArray,
    *,
    workers: int | None = 1,
    edges: IntArray | None = None,
    progress: Progress | None = None,
) -> tuple[FloatArray, FloatArray, float | None]:
    """Betweenness, harmonic closeness and mean distance from single-source computations (exact if all sources).

    Brandes' betweenness is a sum over sources s of the dependency δ_s(v); igraph's subset betweenness
    (sources=S, all targets) gives Σ_{s∈S} δ_s(v), which is scaled by n/|S|. Closeness sums 1/d(s, v) over
    the same sources, scaled alike; mean distance is the mean of the finite d(s, v), v ≠ s.

    The sources are done in about PROGRESS_BLOCKS blocks, summed in block order, so the results do not depend
    on which process did which block. With `workers` > 1 this process starts on the blocks at once and
    `workers - 1` helper processes join in as soon as they have started (see `_shared_blocks`); by default
    (None) helpers are started only when the work is big enough to repay starting them. With `progress`,
    `progress(sources done, len(sources))` is called after each block.
    """
    n, m = graph.vcount(), graph.ecount()
    k = len(sources)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if k * (n + m) >= _PARALLEL_WORK else 1
    if progress is not None:
        progress(0, k)
    size = max(_DISTANCE_CHUNK, math.ceil(k / PROGRESS_BLOCKS))
    blocks = [sources[i : i + size] for i in range(0, k, size)]
    if workers > 1 and len(blocks) > 1:
        if edges is None:
            edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        parts = _shared_blocks(graph, edges, blocks, min(workers, len(blocks)) - 1, progress, k)
    else:
        parts, done = [], 0
        for block in blocks:
            parts.append(_source_pass(graph, block))
            done += len(block)
            if progress is not None:
                progress(done, k)
    raw = np.sum([p[0] for p in parts], axis=0) if n and parts else np.zeros(n)
    harmonic = np.sum([p[1] for p in parts], axis=0) if n and parts else np.zeros(n)
    total = sum(p[2] for p in parts)
    reachable = sum(p[3] for p in parts)
    scale = n / k if k else 0.0
    betweenness = raw * scale / ((n - 1) * (n - 2)) if n > 2 else np.zeros(n)
    closeness = harmonic * scale / (n - 1) if n > 1 else np.zeros(n)
    return betweenness, closeness, (total / reachable if reachable else None)


Part = tuple[FloatArray, FloatArray, float, int]


def _shared_blocks(
    graph: ig.Graph, edges: IntArray, blocks: list[IntArray], helpers: int, progress: Progress | None, k: int
) -> list[Part]:
    """The blocks done by this process and `helpers` spawned helper processes, each taking the next block
    nobody has taken yet (a shared counter), so the work balances itself whatever the start-up time.

    This process starts at once; a helper joins when it has imported igraph and built the graph (a few tenths
    of a second), and does nothing but start up if the work is done before that: it is then stopped, not
    waited for. On a machine whose other cores are busy the helpers simply take fewer blocks. A helper that
    dies leaves its block to this process. The parts come back in block order."""
    context = get_context("spawn")  # not fork: polars and igraph may hold threads and locks
    taken = context.Value("i", 0)
    results: Any = context.Queue()
    processes = [
        context.Process(
            target=_helper, args=(graph.vcount(), edges, blocks, taken, results, os.getpid()), daemon=True
        )
        for _ in range(helpers)
    ]
    for process in processes:
        process.start()
    parts: dict[int, Part] = {}
    done = 0

    def receive(index: int, part: Part) -> None:
        nonlocal done
        parts[index] = part
        done += len(blocks[index])
        if progress is not None:
            progress(done, k)

    try:
        while (index := _take(taken, len(blocks))) is not None:
            receive(index, _source_pass(graph, blocks[index]))
            while not results.empty():
                receive(*results.get())
        while len(parts) < len(blocks):
            try:
                receive(*results.get(timeout=0.2))
            except queue.Empty:
                if not any(process.is_alive() for process in processes):  # a helper died with a block
                    for index in sorted(set(range(len(blocks))) - set(parts)):
                        receive(index, _source_pass(graph, blocks[index]))
    finally:
        for process in processes:
            process.terminate()  # done, or still starting: nothing left for it
            process.join()
        results.close()
    return [parts[i] for i in range(len(blocks))]


def _take(taken: Any, count: int) -> int | None:
    """The next block nobody has taken, or None when all are taken."""
    with taken.get_lock():
        index = int(taken.value)
        if index >= count:
            return None
        taken.value = index + 1
        return index


def die_with_parent(parent: int) -> None:
    """Make this (helper) process end when the process that started it ends, even by `kill -9`.

    Linux: prctl(PR_SET_PDEATHSIG, SIGKILL). Elsewhere, and in case the parent died before that took effect, a
    helper whose parent has gone exits at once (the daemon flag only covers a parent that exits normally)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc to hand (a static build): the parent check below remains
            pass
    if os.getppid() != parent:
        os._exit(1)


PR_SET_PDEATHSIG = 1


def _helper(n: int, edges: IntArray, blocks: list[IntArray], taken: Any, results: Any, parent: int) -> None:
    die_with_parent(parent)
    graph = _graph(n, edges[:, 0], edges[:, 1])
    while (index := _take(taken, len(blocks))) is not None:
        results.put((index, _source_pass(graph, blocks[index])))
    results.close()
    results.join_thread()  # every part is in the pipe before this process ends


def _graph(n: int, source: IntArray, target: IntArray) -> ig.Graph:
    # A list of tuples builds faster than a numpy array, which igraph iterates row by row.
    return ig.Graph(n=n, edges=list(zip(source.tolist(), target.tolist(), strict=True)), directed=True)


def _source_pass(graph: ig.Graph, sources: IntArray) -> tuple[FloatArray, FloatArray, float, int]:
    """Σ dependencies, Σ 1/d(s, ·), Σ d and the number of reachable pairs, over the given sources."""
    n = graph.vcount()
    source_list = [int(v) for v in sources]
    raw = np.asarray(graph.betweenness(directed=True, sources=source_list), dtype=np.float64)
    harmonic = np.zeros(n)
    total, reachable = 0.0, 0
    for start in range(0, len(source_list), _DISTANCE_CHUNK):
        dist = np.asarray(
            graph.distances(source=source_list[start : start + _DISTANCE_CHUNK], mode="out"), dtype=np.float64
        )
        finite = np.isfinite(dist) & (dist > 0)
        harmonic += np.where(finite, 1.0 / np.where(finite, dist, 1.0), 0.0).sum(axis=0)
        total += float(dist[finite].sum())
        reachable += int(finite.sum())
    return raw, harmonic, total, reachable


def _reciprocity(n: int, s: IntArray, t: IntArray) -> float | None:
    if len(s) == 0:
        return None
    keys = np.sort(s * n + t)
    reverse = t * n + s
    position = np.clip(np.searchsorted(keys, reverse), 0, len(keys) - 1)
    return float((keys[position] == reverse).mean())


def _ei_index(sector: IntArray | None, lo: IntArray, hi: IntArray) -> float | None:
    if sector is None:
        return None
    sector = np.asarray(sector, dtype=np.int64)
    known = (sector[lo] >= 0) & (sector[hi] >= 0)
    external = int((sector[lo] != sector[hi])[known].sum())
    internal = int(known.sum()) - external
    return (external - internal) / (external + internal) if external + internal else None


def _received(n: int, target: IntArray, tie_score: FloatArray) -> FloatArray:
    rated = ~np.isnan(tie_score)
    sums = np.bincount(target, weights=np.where(rated, tie_score, 0.0), minlength=n)
    counts = np.bincount(target, weights=rated.astype(np.float64), minlength=n)
    return _safe_divide(sums, counts)


def _safe_divide(numerator: NDArray[Any], denominator: NDArray[Any]) -> FloatArray:
    out = np.full(len(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _mean_or_none(values: FloatArray | None) -> float | None:
    if values is None:
        return None
    rated = values[~np.isnan(values)]
    return float(rated.mean()) if len(rated) else None


def _none_if_nan(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)
