"""The `joinedup network` command's one argument definition, and `network analyse` itself, without Django.

Two callers share this module: the Django management command (`commands/network.py`, which also serves
`joinedup network --help`, Django's common options and any argument the `analyse` parser does not know) and
the lean path in `joinedup.cli`, which runs `joinedup network analyse` without setting up Django at all:
analysing files touches neither the database nor the settings, and Django's set-up (every app, model and
service) was about a second of the command's time (ADR 5). So this module imports nothing from Django, and
the heavy imports (polars, numpy, igraph) happen inside `analyse_files`.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from joinedup.analysis.reading import add_limit_arguments, limits_from

USAGE_ERROR = 2
HELP = "Analyse relationship networks from files (see `joinedup network analyse --help`)."
ANALYSE_HELP = "network metrics of a ties file"
ANALYSE_DESCRIPTION = (
    "Network metrics of a relationship survey. TIES has source,target and optional rating columns "
    "(trust_reliability, trust_mission, trust_openness, value_power, value_involvement, "
    "value_resources: 1-4; frequency, level: 0-5). NODES has id and optional name, sector, responded."
)
NETWORK_LABELS = {
    "organisations": "Organisations",
    "ties": "Ties (merged per ordered pair)",
    "density": "Density",
    "reciprocity": "Reciprocity",
    "degree_centralization": "Degree centralisation",
    "components": "Components (weak)",
    "isolates": "Isolates",
    "mean_distance": "Mean distance",
    "transitivity": "Transitivity",
    "trust": "Mean trust (1-4)",
    "value": "Mean value (1-4)",
    "ei_index": "Sector E-I index",
    "betweenness_method": "Betweenness",
    "self_ties_dropped": "Self-ties dropped",
    "response_rate": "Response rate",
    "non_respondents": "Organisations that did not respond",
}


class AnalyseFailure(Exception):
    """A problem with an input file; the command reports it as a CommandError."""

    def __init__(self, message: str, returncode: int = USAGE_ERROR) -> None:
        self.returncode = returncode
        super().__init__(message)


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `analyse` action (subparsers are built with the parser's class, so Django's errors apply)."""
    actions = parser.add_subparsers(dest="action", required=True, metavar="{analyse}")
    add_analyse_arguments(actions.add_parser("analyse", help=ANALYSE_HELP, description=ANALYSE_DESCRIPTION))


def analyse_parser() -> argparse.ArgumentParser:
    """`joinedup network analyse` on its own: the parser `add_arguments` adds under `network`, with the prog,
    description and arguments it has there, so its help and its errors read the same."""
    parser = argparse.ArgumentParser(prog="joinedup network analyse", description=ANALYSE_DESCRIPTION)
    add_analyse_arguments(parser)
    return parser


def add_analyse_arguments(analyse: argparse.ArgumentParser) -> None:
    analyse.add_argument("ties", type=Path, help="ties file (.csv or .parquet)")
    analyse.add_argument("--nodes", type=Path, help="organisations file (.csv or .parquet)")
    analyse.add_argument("--format", choices=("json", "csv", "text"), default="json")
    analyse.add_argument(
        "--pivots",
        type=positive,
        default=100,
        help="pivots for sampled betweenness, closeness and mean distance above 20,000 organisations (default 100)",
    )
    analyse.add_argument("--seed", type=int, default=0, help="random seed for the pivots (default 0)")
    add_limit_arguments(analyse)


def analyse_files(options: Mapping[str, Any]) -> tuple[str, str]:
    """Run `network analyse` with parsed options: the output and the line ending to write after it.
    Raises AnalyseFailure for a file that is missing, unreadable or wrong."""
    from joinedup.analysis.network import analyse_network, merge_ties
    from joinedup.analysis.network_io import NetworkInputError, load_network, network_report

    try:
        data = load_network(options["ties"], options["nodes"], limits=limits_from(options))
    except NetworkInputError as exc:
        raise AnalyseFailure(str(exc)) from exc
    except OSError as exc:  # a folder, no permission, a file removed while reading
        raise AnalyseFailure(
            f"{exc.filename or options['ties']}: cannot read: {exc.strerror or exc}"
        ) from exc
    n = len(data.ids)
    ties = merge_ties(n, data.source, data.target, data.items)
    metrics = analyse_network(
        n, ties, sector=data.sector_codes, pivots=options["pivots"], seed=options["seed"]
    )
    fmt = options["format"]
    if fmt == "csv":
        from joinedup.analysis.network_io import organisations_frame
        from joinedup.analysis.safe_cells import frame_csv

        return frame_csv(organisations_frame(data, metrics)), ""
    report = network_report(data, metrics)
    if fmt == "json":
        return json.dumps(report, indent=2, allow_nan=False), "\n"
    return text_summary(report), "\n"


def text_summary(report: dict[str, Any]) -> str:
    network: dict[str, Any] = report["network"]
    organisations: list[dict[str, Any]] = report["organisations"]
    lines = ["Network", "-------"]
    width = max(len(label) for label in NETWORK_LABELS.values())
    for key, label in NETWORK_LABELS.items():
        if key in network:
            lines.append(f"{label:<{width}}  {_number(network[key], key)}")
    if str(network["betweenness_method"]).startswith("sampled"):
        lines.append("(betweenness, closeness and mean distance estimated from random pivots)")
    top = sorted(organisations, key=lambda row: row["betweenness"], reverse=True)[:10]
    if top:
        lines += ["", "Most between (top 10 by betweenness)", "------------------------------------"]
        lines.append(
            f"{'organisation':<30} {'in':>6} {'out':>6} {'betweenness':>12} {'closeness':>10} {'trust':>6}"
        )
        for row in top:
            label = str(row["name"] or row["id"])[:30]
            lines.append(
                f"{label:<30} {row['in_degree']:>6} {row['out_degree']:>6} {_number(row['betweenness']):>12} "
                f"{_number(row['closeness']):>10} {_number(row['trust']):>6}"
            )
    return "\n".join(lines)


def _number(value: Any, key: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if key == "response_rate":
            return f"{value:.0%}"
        return "–" if math.isnan(value) else f"{value:.4f}"
    return str(value)
