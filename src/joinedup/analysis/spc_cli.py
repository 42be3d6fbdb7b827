"""`joinedup indicator spc`: its one argument definition, the series file reader and the three outputs.

Plain Python, like `analysis.spc` which it runs, so two callers share it: the Django management command
(`outcomes/management/commands/indicator.py`, which serves `joinedup indicator --help` and Django's common options)
and the lean path in `joinedup.cli`, which runs `joinedup indicator spc` without setting up Django (as ADRs 4 and
5 do for `assess score` and `network analyse`): reading a series touches neither the database nor the settings.

The series file is read through the bounded readers (`analysis.reading`), then every row is checked and every
problem listed, up to `analysis.reading.MAX_PROBLEMS`, naming the row (as a spreadsheet numbers them: the header is row 1) and
the column.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joinedup.analysis.reading import (
    FileReadError,
    add_limit_arguments,
    check_text,
    limits_from,
    problems_capped,
    read_bytes,
)
from joinedup.analysis.safe_cells import SafeWriter
from joinedup.analysis.spc import LARGEST, MIN_POINTS, ROBUST_POINTS, Direction, SpcResult, read_series

USAGE_ERROR = 2
HELP = "Read indicator series from files (see `joinedup indicator spc --help`)."
SPC_HELP = "statistical process control (XmR) reading of a series file"
SPC_DESCRIPTION = (
    "Read a series as NHS England's Making Data Count does: an XmR chart (mean, process limits), "
    "the special-cause rules (outside the limits, 7-point trend, two of three near the limits, 7-point shift), "
    "each point's type, the series' variation and, with a target, its assurance. SERIES is a CSV file with "
    "columns period,value and an optional rebase column (1 marks the first point of a new group)."
)
COLUMNS = ("period", "value", "rebase")
POINT_FIELDS = ("period", "value", "mean", "lpl", "upl", "rule", "point_type")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class SpcFailure(Exception):
    """A problem with the series file; the command reports it as a CommandError."""

    def __init__(self, message: str, returncode: int = USAGE_ERROR) -> None:
        self.returncode = returncode
        super().__init__(message)


@dataclass(frozen=True)
class Series:
    periods: list[str]
    values: list[float]
    rebase: list[bool]


def finite_number(text: str) -> float:
    value = float(text) if _NUMBER.fullmatch(text.strip()) else math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number")
    return value


def fix_after(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < MIN_POINTS:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least {MIN_POINTS}, not {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `spc` action (subparsers are built with the parser's class, so Django's errors apply)."""
    actions = parser.add_subparsers(dest="action", required=True)
    add_spc_arguments(actions.add_parser("spc", help=SPC_HELP, description=SPC_DESCRIPTION))


def spc_parser() -> argparse.ArgumentParser:
    """`joinedup indicator spc` on its own, with the prog, description and arguments it has under `indicator`."""
    parser = argparse.ArgumentParser(prog="joinedup indicator spc", description=SPC_DESCRIPTION)
    add_spc_arguments(parser)
    return parser


def add_spc_arguments(spc: argparse.ArgumentParser) -> None:
    spc.add_argument("series", type=Path, metavar="SERIES.csv", help="the series: period,value[,rebase]")
    spc.add_argument(
        "--direction",
        choices=[d.value for d in Direction],
        default=Direction.NEUTRAL.value,
        help="which way is better: increase, decrease, or neutral (default: neutral, no good or bad)",
    )
    spc.add_argument(
        "--target",
        type=finite_number,
        metavar="X",
        help="a target value, for the assurance (none with a neutral direction)",
    )
    spc.add_argument(
        "--fix-after",
        type=fix_after,
        metavar="N",
        help="compute each group's mean and limits from its first N points only (at least 2)",
    )
    spc.add_argument(
        "--screen-outliers",
        action="store_true",
        help="leave moving ranges of at least 3.267 times their mean out of the limits (off by default)",
    )
    spc.add_argument(
        "--format",
        choices=("json", "csv", "text"),
        default="json",
        help="json (default), csv (one row per point) or text (in words, with a table of the points)",
    )
    add_limit_arguments(spc)


def spc_file(options: Mapping[str, Any]) -> tuple[str, str]:
    """Run `indicator spc` with parsed options: the output and the line ending to write after it.
    Raises SpcFailure for a file that is missing, unreadable or wrong."""
    path: Path = options["series"]
    series = load_series(path, options)
    result = read_series(
        series.periods,
        series.values,
        rebase=series.rebase,
        direction=options["direction"],
        target=options["target"],
        fix_after=options["fix_after"],
        screen_outliers=options["screen_outliers"],
    )
    fmt = options["format"]
    if fmt == "csv":
        return to_csv(result), ""
    if fmt == "json":
        return json.dumps(to_json(result), indent=2, allow_nan=False), "\n"
    return to_text(result), "\n"


def load_series(path: Path, options: Mapping[str, Any]) -> Series:
    limits = limits_from(dict(options))
    try:
        text = check_text(read_bytes(path, limits=limits), name=path.name, limits=limits)
    except FileReadError as exc:
        raise SpcFailure(f"{path}:\n{_where(exc)}") from exc
    except OSError as exc:  # missing, a folder, no permission, removed while reading
        reason = "file not found" if isinstance(exc, FileNotFoundError) else exc.strerror
        raise SpcFailure(f"{path}: cannot read: {reason}") from exc
    problems: list[str] = []
    try:
        series = parse_series(text.decode(), problems)
    except csv.Error as exc:  # a field longer than the csv module reads
        raise SpcFailure(f"{path}:\nthe file could not be read as CSV ({exc})") from exc
    count = len(series.values)
    if not problems and count < MIN_POINTS:
        problems.append(
            f"the series has {count} point{'' if count == 1 else 's'}; an XmR chart needs at least {MIN_POINTS}"
        )
    if problems:
        raise SpcFailure(f"{path}:\n" + "\n".join(problems_capped(problems)))
    return series


def _where(error: FileReadError) -> str:
    """The reader's message in this command's words: rows, as a spreadsheet numbers them."""
    where = [f"row {error.line}"] if error.line is not None else []
    if error.column is not None:
        where.append(f"column {error.column}")
    return f"{', '.join(where)}: {error.reason}" if where else error.reason


def parse_series(text: str, problems: list[str]) -> Series:
    """The series in `text` (checked UTF-8 CSV); every problem found is added to `problems`."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader)]
    series = Series([], [], [])
    if not _header_problems(header, problems):
        return series
    position = {name: header.index(name) for name in COLUMNS if name in header}
    first_row: dict[str, int] = {}
    row = reader.line_num + 1
    for fields in reader:
        if fields and any(field.strip() for field in fields):
            _read_row(fields, row, len(header), position, series, first_row, problems)
        row = reader.line_num + 1
    return series


def _header_problems(header: list[str], problems: list[str]) -> bool:
    """Add the header's problems; True when the rows can be read."""
    found = len(problems)
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(f"row 1, column {index}: the column has no name")
        elif name not in COLUMNS:
            problems.append(
                f"row 1, column {name}: unknown column (the file has period, value and an optional rebase)"
            )
        elif header.index(name) < index - 1:
            problems.append(f"row 1, column {name}: the column name appears twice")
    for name in COLUMNS[:2]:
        if name not in header:
            problems.append(f"row 1, column {name}: the column is missing")
    return len(problems) == found


def _read_row(
    fields: list[str],
    row: int,
    width: int,
    position: dict[str, int],
    series: Series,
    first_row: dict[str, int],
    problems: list[str],
) -> None:
    if len(fields) != width:
        found = f"{len(fields)} field{'' if len(fields) == 1 else 's'}"
        problems.append(f"row {row}: malformed row: {found} where the header has {width}")
        return
    period = fields[position["period"]].strip()
    value = fields[position["value"]].strip()
    mark = fields[position["rebase"]].strip() if "rebase" in position else ""
    if not period:
        problems.append(f"row {row}, column period: the period is missing")
    elif period in first_row:
        problems.append(
            f"row {row}, column period: {period!r} appears more than once (first in row {first_row[period]})"
        )
    else:
        first_row[period] = row
    number = float(value) if _NUMBER.fullmatch(value) else math.nan
    if not value:
        problems.append(f"row {row}, column value: the value is missing")
    elif not math.isfinite(number):
        problems.append(f"row {row}, column value: {value!r} is not a number")
    elif abs(number) > LARGEST:
        problems.append(
            f"row {row}, column value: {value} is too large (the limit is {LARGEST:g} either way)"
        )
    if mark not in ("", "0", "1"):
        problems.append(
            f"row {row}, column rebase: {mark!r} is not 0 or 1 (1 marks the first point of a new group)"
        )
    series.periods.append(period)
    series.values.append(number)
    series.rebase.append(mark == "1")


def to_json(result: SpcResult) -> dict[str, Any]:
    return {
        "direction": result.direction.value,
        "points": [
            {
                "period": point.period,
                "value": point.value,
                "mean": point.mean,
                "lpl": point.lpl,
                "upl": point.upl,
                "rule": point.rule.value if point.rule else None,
                "point_type": point.point_type.value,
            }
            for point in result.points
        ],
        "variation": result.variation.value if result.variation else None,
        "assurance": result.assurance.value if result.assurance else None,
    }


def to_csv(result: SpcResult) -> str:
    """One row per point, the JSON's point fields as columns (an empty cell for no limit or no rule)."""
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\n")
    writer.writerow(POINT_FIELDS)
    for point in to_json(result)["points"]:
        writer.writerow([point[field] for field in POINT_FIELDS])  # the csv module writes None as ""
    return out.getvalue()


VARIATION_WORDS = {
    "common_cause": "common cause: no sign of change beyond the usual ups and downs",
    "special_cause_improvement": "special cause, improvement: a change for the better",
    "special_cause_concern": "special cause, concern: a change for the worse",
    "special_cause_neutral_high": "special cause, higher: a change upwards",
    "special_cause_neutral_low": "special cause, lower: a change downwards",
}
ASSURANCE_WORDS = {
    "consistent_pass": "the target will be met every time while the process stays as it is",
    "consistent_fail": "the target will be missed every time unless the process changes",
    "inconsistent": "hit and miss: the target lies within the limits, so it will sometimes be met and sometimes not",
}
RULE_WORDS = {
    "outside_limits": "outside the limits",
    "trend": "7-point trend",
    "two_in_three": "2 of 3 near a limit",
    "shift": "7-point shift",
}


def to_text(result: SpcResult) -> str:
    lines = [f"Improvement direction: {result.direction.value}"]
    if result.variation is not None:
        lines.append(f"Variation (the last point): {VARIATION_WORDS[result.variation.value]}")
    if result.assurance is not None and result.target is not None:
        lines.append(
            f"Assurance against the target {_number(result.target)}: {ASSURANCE_WORDS[result.assurance]}"
        )
    elif result.target is not None and result.direction is not Direction.NEUTRAL:
        lines.append("Assurance: none (the last group has too few points for limits)")
    else:
        lines.append("Assurance: none (it needs a target and an increase or decrease direction)")
    for number, group in enumerate(result.groups, start=1):
        first, last = result.points[group.start].period, result.points[group.end - 1].period
        count = group.end - group.start
        lines += ["", f"Group {number}: {first} to {last} ({count} point{'' if count == 1 else 's'})"]
        lines.append(f"  mean {_number(group.mean)}")
        if group.lpl is None or group.upl is None:
            lines.append(f"  no limits (they need at least {MIN_POINTS} points)")
            continue
        lines.append(f"  process limits {_number(group.lpl)} to {_number(group.upl)}")
        if group.provisional:
            lines.append(f"  provisional limits: from {group.basis} points (fewer than {ROBUST_POINTS})")
    width = max([len("period"), *(len(p.period) for p in result.points)])
    lines += ["", f"{'period':<{width}}  {'value':>12}  {'rule':<20}  point type"]
    for point in result.points:
        rule = RULE_WORDS[point.rule.value] if point.rule else "–"
        kind = point.point_type.value.replace("_", " ")
        lines.append(f"{point.period:<{width}}  {_number(point.value):>12}  {rule:<20}  {kind}")
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:.6g}"
