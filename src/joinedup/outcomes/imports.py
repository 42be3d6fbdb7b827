"""Measurements from a CSV file: read through the bounded readers (`analysis.reading`), every row checked, and
every problem listed with its row (as a spreadsheet numbers them: the header is row 1) and column.

Columns: `period` and `value` (required), `numerator`, `denominator` and `note` (optional). Any other column is
an error, so nothing in the file is silently dropped. The import is all or nothing: one problem and no row is
kept (`services.measurements_import`).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from dataclasses import dataclass

from joinedup.analysis.reading import DEFAULT_LIMITS, FileReadError, Limits, check_text, problems_capped
from joinedup.outcomes.checks import measurement_problems
from joinedup.outcomes.periods import parse_period

COLUMNS = ("period", "value", "numerator", "denominator", "note")
REQUIRED = ("period", "value")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class ImportProblems(ValueError):
    """The file cannot be imported; `problems` lists why, one line each ("row N, column X: ...")."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems_capped(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class MeasurementRow:
    row: int
    period: datetime.date
    value: float
    numerator: float | None
    denominator: float | None
    note: str


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return float(text) if _NUMBER.fullmatch(text) else math.nan


def _header(header: list[str]) -> list[str]:
    problems = []
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(f"row 1, column {index}: the column has no name")
        elif name not in COLUMNS:
            problems.append(f"row 1, column {name}: unknown column (the file has {', '.join(COLUMNS)})")
        elif header.index(name) < index - 1:
            problems.append(f"row 1, column {name}: the column name appears twice")
    problems += [f"row 1, column {name}: the column is missing" for name in REQUIRED if name not in header]
    return problems


def read_measurements(
    raw: bytes,
    *,
    frequency: str,
    unit: str,
    today: datetime.date,
    filename: str = "",
    limits: Limits = DEFAULT_LIMITS,
) -> list[MeasurementRow]:
    """The rows of the file, or ImportProblems naming the row and column of every problem."""
    try:
        text = check_text(raw, name=filename, limits=limits).decode()
    except FileReadError as exc:
        where = [f"row {exc.line}"] if exc.line is not None else []
        if exc.column is not None:
            where.append(f"column {exc.column}")
        raise ImportProblems([f"{', '.join(where)}: {exc.reason}" if where else exc.reason]) from exc
    try:
        return _rows(text, frequency=frequency, unit=unit, today=today)
    except csv.Error as exc:
        raise ImportProblems([f"the file could not be read as CSV ({exc})"]) from exc


def _rows(text: str, *, frequency: str, unit: str, today: datetime.date) -> list[MeasurementRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader)]
    problems = _header(header)
    if problems:
        raise ImportProblems(problems)
    position = {name: header.index(name) for name in COLUMNS if name in header}
    rows: list[MeasurementRow] = []
    first_row: dict[datetime.date, int] = {}
    row = reader.line_num + 1
    for fields in reader:
        if fields and any(field.strip() for field in fields):
            found = _row(fields, row, len(header), position, frequency, unit, today, first_row, problems)
            if found is not None:
                rows.append(found)
        row = reader.line_num + 1
    if problems:
        raise ImportProblems(problems)
    return rows


def _row(
    fields: list[str],
    row: int,
    width: int,
    position: dict[str, int],
    frequency: str,
    unit: str,
    today: datetime.date,
    first_row: dict[datetime.date, int],
    problems: list[str],
) -> MeasurementRow | None:
    if len(fields) != width:
        problems.append(f"row {row}: {len(fields)} fields where the header has {width}")
        return None
    cell = {name: fields[index].strip() for name, index in position.items()}
    found: list[str] = []
    period = None
    if not cell["period"]:
        found.append(f"row {row}, column period: the period is missing")
    else:
        try:
            period = parse_period(cell["period"], frequency)
        except ValueError as exc:
            found.append(f"row {row}, column period: {exc}")
    if period is not None and period in first_row:
        found.append(f"row {row}, column period: the period is in row {first_row[period]} too")
    elif period is not None:
        first_row[period] = row
    numbers: dict[str, float | None] = {}
    for name in ("value", "numerator", "denominator"):
        text = cell.get(name, "")
        number = _number(text) if text else None
        if number is not None and math.isnan(number):
            found.append(f"row {row}, column {name}: {text!r} is not a number")
            number = None
        numbers[name] = number
    if not cell["value"]:
        found.append(f"row {row}, column value: the value is missing")
    if not found and period is not None:
        checked = measurement_problems(
            period=period,
            value=numbers["value"],
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            unit=unit,
            frequency=frequency,
            today=today,
        )
        found += [f"row {row}, column {name}: {message}" for name, message in checked.items()]
    problems += found
    if found or period is None or numbers["value"] is None:
        return None
    return MeasurementRow(
        row, period, numbers["value"], numbers["numerator"], numbers["denominator"], cell.get("note", "")
    )
