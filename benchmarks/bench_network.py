"""Benchmark of `joinedup network analyse` on synthetic relationship surveys.

    python -m benchmarks.bench_network [--quick] [--cases C ...] [--repeats R] [--nx-sources K]
                                       [--before SRC] [--whole-only]

Cases: 5,000 organisations / 40,000 tie rows and 10,000 / 100,000 (exact betweenness), and 100,000 /
1,000,000 (sampled, 100 pivots), with every rating column, written to CSV in a temporary folder. Each case
runs in a fresh process so its peak memory (maxrss of the process and its helper processes) is its own; the
time includes reading the files and building the JSON report.

Floor (every case, same run): `igraph_floor`, a minimal polars + python-igraph script computing the same
outputs with igraph's own routines, in one process, no checks. It and the whole `joinedup network analyse`
process are run alternately, R rounds, and timed as whole processes (wall and CPU time, helpers included);
their outputs are checked to agree. `--before SRC` times another version's command (a `src` folder, for
example from `git archive`) in the same rounds.

Baseline: networkx on the 10k graph, same reading (polars). networkx's exact betweenness, closeness and
mean distance on 10k/100k take tens of minutes, so they are run from `--nx-sources` sources (default 50)
through networkx's own Brandes routines and extrapolated linearly to all n sources (Brandes is exactly one
such single-source pass per source). The same sources are run through igraph, and the two results are
checked to agree, so the per-source comparison is also measured directly, without extrapolation.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

SECTORS = ("nhs", "local_authority", "voluntary", "housing", "police", "probation")
RATINGS = (
    "trust_reliability",
    "trust_mission",
    "trust_openness",
    "value_power",
    "value_involvement",
    "value_resources",
)
REPO = Path(__file__).resolve().parent.parent
CASES = {"5k": (5_000, 40_000), "10k": (10_000, 100_000), "100k": (100_000, 1_000_000)}
EXACT_LIMIT = 20_000  # as joinedup.analysis.network.EXACT_BETWEENNESS_LIMIT


def write_case(folder: Path, n: int, m: int, seed: int = 1) -> tuple[Path, Path]:
    """A directed graph with skewed popularity (a few hubs), a sector per node, ratings on every tie."""
    rng = np.random.default_rng(seed)
    weight = 1.0 / np.arange(1, n + 1) ** 0.6
    source = rng.integers(0, n, m)
    target = rng.choice(n, size=m, p=weight / weight.sum())
    ids = np.char.add("ORG", np.char.zfill(np.arange(n).astype(str), 6))
    ties = pl.DataFrame(
        {
            "source": ids[source],
            "target": ids[target],
            **{name: rng.integers(1, 5, m) for name in RATINGS},
            "frequency": rng.integers(0, 6, m),
            "level": rng.integers(0, 6, m),
        }
    )
    nodes = pl.DataFrame(
        {
            "id": ids,
            "name": np.char.add("Organisation ", ids),
            "sector": np.array(SECTORS)[rng.integers(0, 6, n)],
        }
    )
    ties_path, nodes_path = folder / f"ties_{n}.csv", folder / f"nodes_{n}.csv"
    ties.write_csv(ties_path)
    nodes.write_csv(nodes_path)
    return ties_path, nodes_path


def run_joinedup(ties: Path, nodes: Path, pivots: int) -> dict[str, Any]:
    """The full analysis, as `joinedup network analyse --format json` does it (in this process)."""
    from joinedup.analysis.network import analyse_network, merge_ties
    from joinedup.analysis.network_io import load_network, network_report

    start = time.perf_counter()
    data = load_network(ties, nodes)
    loaded = time.perf_counter()
    n = len(data.ids)
    metrics = analyse_network(
        n, merge_ties(n, data.source, data.target, data.items), sector=data.sector_codes, pivots=pivots
    )
    analysed = time.perf_counter()
    size = len(json.dumps(network_report(data, metrics)))
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "read_seconds": loaded - start,
        "metrics_seconds": analysed - loaded,
        "report_seconds": end - analysed,
        "json_bytes": size,
        "network": metrics.network,
        "maxrss_mib": _maxrss_mib(),
    }


def _maxrss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # kilobytes on Linux


def run_networkx(ties: Path, nodes: Path, sources: int) -> dict[str, Any]:
    """The same outputs with networkx; the all-source parts from `sources` sources, extrapolated."""
    import networkx as nx
    from networkx.algorithms.centrality.betweenness import (
        _accumulate_basic,
        _single_source_shortest_path_basic,
    )

    timings: dict[str, float] = {}
    start = time.perf_counter()
    frame = pl.read_csv(ties)
    node_frame = pl.read_csv(nodes)
    frame = frame.filter(pl.col("source") != pl.col("target"))
    merged = frame.group_by("source", "target").agg(pl.col(list(RATINGS)).mean())
    graph = nx.DiGraph()
    graph.add_nodes_from(node_frame["id"].to_list())
    graph.add_edges_from(zip(merged["source"].to_list(), merged["target"].to_list(), strict=True))
    timings["read_and_build"] = time.perf_counter() - start

    t = time.perf_counter()
    n = graph.number_of_nodes()
    undirected = nx.Graph(graph.to_undirected())
    degrees = dict(undirected.degree())
    top = max(degrees.values())
    sector = dict(zip(node_frame["id"].to_list(), node_frame["sector"].to_list(), strict=True))
    external = sum(1 for u, v in undirected.edges() if sector[u] != sector[v])
    network = {
        "density": nx.density(graph),
        "reciprocity": nx.overall_reciprocity(graph),
        "degree_centralization": sum(top - d for d in degrees.values()) / ((n - 1) * (n - 2)),
        "components": nx.number_weakly_connected_components(graph),
        "isolates": nx.number_of_isolates(graph),
        "transitivity": nx.transitivity(undirected),
        "ei_index": (2 * external - undirected.number_of_edges()) / undirected.number_of_edges(),
    }
    in_degree, out_degree = dict(graph.in_degree()), dict(graph.out_degree())
    trust = merged.select(pl.mean_horizontal(RATINGS[:3]).alias("t"), "target")
    received = {
        row["target"]: row["t"] for row in trust.group_by("target").agg(pl.col("t").mean()).to_dicts()
    }
    network["trust"] = float(trust["t"].mean())  # type: ignore[arg-type]
    timings["whole_graph_metrics"] = time.perf_counter() - t
    del in_degree, out_degree, received

    order = list(graph.nodes())
    picked = [order[i] for i in np.sort(np.random.default_rng(5).choice(n, sources, replace=False))]
    t = time.perf_counter()
    betweenness = dict.fromkeys(graph, 0.0)
    for s in picked:
        stack, predecessors, sigma, _ = _single_source_shortest_path_basic(graph, s)
        betweenness, _ = _accumulate_basic(betweenness, stack, predecessors, sigma, s)
    timings["betweenness_per_source"] = (time.perf_counter() - t) / sources
    t = time.perf_counter()
    harmonic = dict.fromkeys(graph, 0.0)
    total, reachable = 0, 0
    for s in picked:
        for v, d in nx.single_source_shortest_path_length(graph, s).items():
            if d:
                harmonic[v] += 1 / d
                total += d
                reachable += 1
    timings["distances_per_source"] = (time.perf_counter() - t) / sources
    per_source = timings["betweenness_per_source"] + timings["distances_per_source"]
    once = timings["read_and_build"] + timings["whole_graph_metrics"]
    return {
        "measured_seconds": once + per_source * sources,
        "exact_seconds_extrapolated": once + per_source * n,
        "timings": timings,
        "network": network,
        "picked": [order.index(s) for s in picked],
        "betweenness_picked": [betweenness[v] for v in order],
        "harmonic_picked": [harmonic[v] for v in order],
        "mean_distance_picked": total / reachable,
    }


def igraph_same_sources(ties: Path, nodes: Path, picked: list[int]) -> tuple[float, Any]:
    from joinedup.analysis.network import merge_ties, pivot_estimates
    from joinedup.analysis.network_io import load_network

    data = load_network(ties, nodes)
    n = len(data.ids)
    merged = merge_ties(n, data.source, data.target, data.items)
    import igraph as ig

    graph = ig.Graph(n=n, edges=np.column_stack([merged.source, merged.target]), directed=True)
    start = time.perf_counter()
    result = pivot_estimates(graph, np.array(picked), workers=1)
    return (time.perf_counter() - start) / len(picked), result


def igraph_floor(ties: Path, nodes: Path, pivots: int) -> None:
    """The floor: a minimal python-igraph script computing the same outputs, printing the same JSON.

    What someone who knows polars and igraph would write for one file: read (no checks), drop self-ties,
    merge ties per ordered pair, then igraph's own routines (exact betweenness, harmonic closeness and
    average path length up to EXACT_LIMIT organisations; above it, the same K pivots as JoinedUp), in one
    process. Run as a whole process (`--floor`), like the command it is the floor for.
    """
    import igraph as ig

    trust_items, value_items = list(RATINGS[:3]), list(RATINGS[3:])
    node_frame = pl.read_csv(nodes).with_row_index("i")
    n = node_frame.height
    raw = pl.read_csv(ties)
    lookup = node_frame.select("id", "i")
    merged = (
        raw.filter(pl.col("source") != pl.col("target"))
        .join(lookup.rename({"id": "source", "i": "s"}), on="source")
        .join(lookup.rename({"id": "target", "i": "t"}), on="target")
        .group_by("s", "t")
        .agg(pl.col([*RATINGS, "frequency", "level"]).mean())
        .sort("s", "t")
        .with_columns(trust=pl.mean_horizontal(trust_items), value=pl.mean_horizontal(value_items))
    )
    graph = ig.Graph(n=n, edges=merged.select("s", "t").rows(), directed=True)
    simple = graph.as_undirected(mode="collapse")
    m = graph.ecount()
    degree = np.array(simple.degree())
    if n <= EXACT_LIMIT:
        method = "exact"
        betweenness = np.array(graph.betweenness(directed=True)) / ((n - 1) * (n - 2))
        closeness = np.array(graph.harmonic_centrality(mode="in", normalized=True))
        mean_distance = graph.average_path_length(directed=True, unconn=True)
    else:
        method = f"sampled:{pivots}"
        sources = np.sort(np.random.default_rng(0).choice(n, size=pivots, replace=False)).tolist()
        scale = n / pivots
        betweenness = np.array(graph.betweenness(sources=sources)) * scale / ((n - 1) * (n - 2))
        harmonic, total, reachable = np.zeros(n), 0.0, 0
        for start in range(0, pivots, 16):
            dist = np.array(graph.distances(source=sources[start : start + 16], mode="out"))
            finite = np.isfinite(dist) & (dist > 0)
            harmonic += np.where(finite, 1 / np.where(finite, dist, 1), 0).sum(axis=0)
            total, reachable = total + dist[finite].sum(), reachable + int(finite.sum())
        closeness, mean_distance = harmonic * scale / (n - 1), total / reachable
    codes = node_frame["sector"].cast(pl.Categorical).to_physical().to_numpy()
    pairs = np.array(simple.get_edgelist())
    external = int((codes[pairs[:, 0]] != codes[pairs[:, 1]]).sum())
    received = merged.group_by("t").agg(pl.col("trust", "value").mean())
    organisations = (
        node_frame.join(received, left_on="i", right_on="t", how="left")
        .sort("i")
        .select(
            "id",
            "name",
            "sector",
            in_degree=pl.Series(graph.indegree()),
            out_degree=pl.Series(graph.outdegree()),
            betweenness=pl.Series(betweenness),
            closeness=pl.Series(closeness),
            trust="trust",
            value="value",
        )
    )
    network = {
        "organisations": n,
        "ties": m,
        "density": graph.density(loops=False),
        "reciprocity": graph.reciprocity(ignore_loops=True),
        "degree_centralization": float((degree.max() - degree).sum()) / ((n - 1) * (n - 2)),
        "components": len(graph.connected_components(mode="weak")),
        "isolates": int((np.array(graph.degree()) == 0).sum()),
        "mean_distance": mean_distance,
        "transitivity": simple.transitivity_undirected(),
        "trust": merged["trust"].mean(),
        "value": merged["value"].mean(),
        "ei_index": (2 * external - len(pairs)) / len(pairs),
        "betweenness_method": method,
        "self_ties_dropped": raw.height - raw.filter(pl.col("source") != pl.col("target")).height,
    }
    sys.stdout.write(
        json.dumps({"network": network, "organisations": organisations.to_dicts()}, indent=2) + "\n"
    )


def whole_processes(
    case: str, folder: Path, pivots: int, repeats: int, before: Path | None = None
) -> dict[str, Any]:
    """`joinedup network analyse` and the igraph floor as whole processes, alternating, `repeats` times each;
    the outputs are checked to agree. With `before` (a `src` folder of another version of JoinedUp), that
    version's command is timed in the same rounds."""
    n, _ = CASES[case]
    ties, nodes = folder / f"ties_{n}.csv", folder / f"nodes_{n}.csv"
    joinedup = Path(sys.executable).parent / "joinedup"
    arguments = ["network", "analyse", str(ties), "--nodes", str(nodes), "--pivots", str(pivots)]
    commands = {
        "joinedup": [str(joinedup), *arguments],
        "floor": [sys.executable, "-m", "benchmarks.bench_network", "--floor", str(ties), str(nodes)],
    }
    commands["floor"] += ["--pivots", str(pivots)]
    if before is not None:
        start = f"import sys; sys.path.insert(0, {str(before)!r}); from joinedup.cli import main; main()"
        commands["before"] = [sys.executable, "-c", start, *arguments]
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    outputs: dict[str, Any] = {}
    for _ in range(repeats):
        for name, command in commands.items():
            env = {**os.environ, "DEBUG": "true"} if name == "before" else None  # Django's settings
            used = _children_cpu()
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO, env=env)
            seconds[name].append(time.perf_counter() - start)
            cpu[name].append(_children_cpu() - used)  # the process and every helper it waited for
            outputs[name] = json.loads(done.stdout)
    one_row = folder / "one.csv"
    one_row.write_text("source,target\nA,B\n")
    start = time.perf_counter()
    subprocess.run([str(joinedup), "network", "analyse", str(one_row)], capture_output=True, check=True)
    startup = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu": cpu,
        "startup": startup,
        "agree": _agree(outputs["joinedup"], outputs["floor"]),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _agree(ours: dict[str, Any], floor: dict[str, Any]) -> bool:
    for key, value in floor["network"].items():
        if isinstance(value, float) and not abs(ours["network"][key] - value) < 1e-9:
            return False
        if not isinstance(value, float) and ours["network"][key] != value:
            return False
    for column in ("in_degree", "out_degree", "betweenness", "closeness", "trust", "value"):
        a = np.array([row[column] for row in ours["organisations"]], dtype=float)
        b = np.array([row[column] for row in floor["organisations"]], dtype=float)
        if not np.allclose(a, b, atol=1e-9, equal_nan=True):
            return False
    return True


def _print_whole(whole: dict[str, Any], repeats: int) -> None:
    seconds = whole["seconds"]
    ours, floor = seconds["joinedup"], seconds["floor"]
    listed = "; ".join(f"{name} {', '.join(f'{t:.2f}' for t in times)} s" for name, times in seconds.items())
    print(f"  whole processes, {repeats} rounds, alternating: {listed}")
    pairs = sorted(a / b for a, b in zip(ours, floor, strict=True))
    print(
        f"  ratio joinedup / igraph floor: best-of {min(ours) / min(floor):.2f}x, per round "
        f"{', '.join(f'{r:.2f}' for r in pairs)}x; outputs agree: {whole['agree']}; "
        f"start-up (one-row file) {whole['startup']:.2f} s"
    )
    if "before" in seconds:
        before = seconds["before"]
        pairs = sorted(a / b for a, b in zip(ours, before, strict=True))
        print(
            f"  ratio joinedup / before: best-of {min(ours) / min(before):.2f}x, per round "
            f"{', '.join(f'{r:.2f}' for r in pairs)}x; before / floor best-of {min(before) / min(floor):.2f}x"
        )
    cpu = whole["cpu"]
    listed = "; ".join(f"{name} {', '.join(f'{t:.2f}' for t in times)} s" for name, times in cpu.items())
    print(f"  CPU time (process and helpers): {listed}")
    print(
        "  CPU ratio (least of each): "
        + ", ".join(f"{name} / floor {min(times) / min(cpu['floor']):.2f}x" for name, times in cpu.items())
    )


def _whole_only(cases: list[str], repeats: int, pivots: int, before: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_network_") as tmp:
        folder = Path(tmp)
        for case in cases:
            n, m = CASES[case]
            write_case(folder, n, m)
            print(f"\n{case}: {n:,} organisations, {m:,} tie rows")
            _print_whole(whole_processes(case, folder, pivots, repeats, before), repeats)


def child(case: str, folder: Path, pivots: int) -> None:
    n, _ = CASES[case]
    result = run_joinedup(folder / f"ties_{n}.csv", folder / f"nodes_{n}.csv", pivots)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="only the 5k case, one repeat")
    parser.add_argument("--cases", nargs="+", choices=tuple(CASES), help="these cases only (default all)")
    parser.add_argument("--repeats", type=int, default=3, help="whole-process runs of each (default 3)")
    parser.add_argument("--nx-sources", type=int, default=50, help="networkx sources to time (default 50)")
    parser.add_argument("--child", choices=tuple(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--floor", nargs=2, type=Path, metavar=("TIES", "NODES"), help=argparse.SUPPRESS)
    parser.add_argument("--pivots", type=int, default=100, help="pivots for the sampled case (default 100)")
    parser.add_argument(
        "--before",
        type=Path,
        metavar="SRC",
        help="also time the command of this src folder (another version)",
    )
    parser.add_argument(
        "--whole-only",
        action="store_true",
        help="only the whole-process timings (no in-process run, no networkx)",
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.pivots)
        return
    if args.floor:
        igraph_floor(*args.floor, args.pivots)
        return

    cases = ["5k"] if args.quick else (args.cases or list(CASES))
    repeats = 1 if args.quick else args.repeats
    if args.whole_only:
        _whole_only(cases, repeats, args.pivots, args.before)
        return
    with tempfile.TemporaryDirectory(prefix="bench_network_") as tmp:
        folder = Path(tmp)
        print(f"Network benchmark ({', '.join(cases)}); files in {folder}")
        results: dict[str, dict[str, Any]] = {}
        for case in cases:
            n, m = CASES[case]
            t = time.perf_counter()
            write_case(folder, n, m)
            print(f"\n{case}: {n:,} organisations, {m:,} tie rows written in {time.perf_counter() - t:.1f} s")
            command = [
                sys.executable,
                "-m",
                "benchmarks.bench_network",
                "--child",
                case,
                "--folder",
                str(folder),
            ]
            output = subprocess.run(
                [*command, "--pivots", str(args.pivots)], capture_output=True, text=True, check=True, cwd=REPO
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            results[case] = result
            print(
                f"  joinedup in-process: {result['seconds']:.2f} s (read {result['read_seconds']:.2f}, metrics "
                f"{result['metrics_seconds']:.2f}, report {result['report_seconds']:.2f}); "
                f"betweenness {result['network']['betweenness_method']}; peak memory {result['maxrss_mib']:.0f} MiB"
            )
            whole = whole_processes(case, folder, args.pivots, repeats, args.before)
            _print_whole(whole, repeats)

        base = "10k" if "10k" in cases else cases[0]
        n, _ = CASES[base]
        ties, nodes = folder / f"ties_{n}.csv", folder / f"nodes_{n}.csv"
        print(f"\nnetworkx baseline on {base} ({args.nx_sources} sources timed, extrapolated to {n:,}) ...")
        baseline = run_networkx(ties, nodes, args.nx_sources)
        per_source_igraph, (btw, clo, mean_distance) = igraph_same_sources(ties, nodes, baseline["picked"])
        scale = n / len(baseline["picked"])
        nx_btw = np.array(baseline["betweenness_picked"]) * scale / ((n - 1) * (n - 2))
        nx_clo = np.array(baseline["harmonic_picked"]) * scale / (n - 1)
        agree = (
            np.allclose(btw, nx_btw, atol=1e-9)
            and np.allclose(clo, nx_clo, atol=1e-9)
            and abs(mean_distance - baseline["mean_distance_picked"]) < 1e-9
        )
        ours = results[base]
        for key, value in baseline["network"].items():
            agree = agree and abs(ours["network"][key] - value) < 1e-9
        nx_per_source = (
            baseline["timings"]["betweenness_per_source"] + baseline["timings"]["distances_per_source"]
        )
        print(f"  networkx timings: { {k: round(v, 4) for k, v in baseline['timings'].items()} }")
        print(f"  networkx, exact, extrapolated: {baseline['exact_seconds_extrapolated']:.0f} s")
        print(f"  joinedup exact (measured):     {ours['seconds']:.1f} s")
        print(
            f"  ratio full analysis:           {baseline['exact_seconds_extrapolated'] / ours['seconds']:.0f}x"
        )
        print(
            f"  per source, same sources (betweenness + distances), one process: networkx {nx_per_source * 1000:.0f} ms, "
            f"igraph {per_source_igraph * 1000:.0f} ms, ratio {nx_per_source / per_source_igraph:.0f}x"
        )
        print(f"  results agree with networkx (same sources, whole-graph metrics): {agree}")
        print(f"\nPeak memory of this process (networkx baseline included): {_maxrss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
