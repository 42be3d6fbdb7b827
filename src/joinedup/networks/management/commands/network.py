"""`joinedup network analyse TIES.csv [--nodes NODES.csv] [--format json|csv|text] [--pivots K]`.

Network metrics of a relationship survey on plain files, for evaluators. Problems in the files stop the
command with a message naming the line and column, and exit code 2. polars and igraph are imported only
when the command runs, so the rest of the CLI starts quickly.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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


class Command(BaseCommand):
    help = "Analyse relationship networks from files (see `joinedup network analyse --help`)."
    # Analysing a file touches neither the database nor the URLs: skip the system checks for a quick start.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True, metavar="{analyse}")
        analyse = subcommands.add_parser(
            "analyse",
            help="network metrics of a ties file",
            description=(
                "Network metrics of a relationship survey. TIES has source,target and optional rating columns "
                "(trust_reliability, trust_mission, trust_openness, value_power, value_involvement, "
                "value_resources: 1-4; frequency, level: 0-5). NODES has id and optional name, sector, responded."
            ),
        )
        analyse.add_argument("ties", type=Path, help="ties file (.csv or .parquet)")
        analyse.add_argument("--nodes", type=Path, help="organisations file (.csv or .parquet)")
        analyse.add_argument("--format", choices=("json", "csv", "text"), default="json")
        analyse.add_argument(
            "--pivots",
            type=_positive,
            default=100,
            help="pivots for sampled betweenness, closeness and mean distance above 20,000 organisations (default 100)",
        )
        analyse.add_argument("--seed", type=int, default=0, help="random seed for the pivots (default 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        from joinedup.analysis.network import analyse_network, merge_ties
        from joinedup.analysis.network_io import NetworkInputError, load_network, network_report

        try:
            data = load_network(options["ties"], options["nodes"])
        except NetworkInputError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        n = len(data.ids)
        ties = merge_ties(n, data.source, data.target, data.items)
        metrics = analyse_network(
            n, ties, sector=data.sector_codes, pivots=options["pivots"], seed=options["seed"]
        )
        report = network_report(data, metrics)
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(report, indent=2, allow_nan=False))
        elif fmt == "csv":
            from joinedup.analysis.network_io import organisations_frame

            self.stdout.write(organisations_frame(data, metrics).write_csv(), ending="")
        else:
            self.stdout.write(_text(report))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _text(report: dict[str, Any]) -> str:
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
