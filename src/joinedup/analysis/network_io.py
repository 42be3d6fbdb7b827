"""Reading and checking the TIES and NODES files of a relationship survey (CSV or Parquet) with polars.

TIES has `source,target` and optional numeric columns (trust and value items 1-4, `frequency` and `level`
0-5). NODES has `id` and optional `name`, `sector` and `responded`. The problems in a file are reported
together as one `NetworkInputError`, each naming the line of the file (header = line 1) and the column (the
first MAX_PROBLEMS, then how many more), so an evaluator can fix the file in one go; nothing is silently
dropped except blank lines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from joinedup.analysis.network import TRUST_ITEMS, VALUE_ITEMS, FloatArray, IntArray, NetworkMetrics
from joinedup.analysis.reading import (
    DEFAULT_LIMITS,
    MAX_PROBLEMS,
    FileReadError,
    Limits,
    check_text,
    problems_capped,
    read_bytes,
)
from joinedup.analysis.reading_parquet import check_parquet

RATING_RANGES: dict[str, tuple[float, float]] = {
    **{name: (1.0, 4.0) for name in TRUST_ITEMS + VALUE_ITEMS},
    "frequency": (0.0, 5.0),
    "level": (0.0, 5.0),
}
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


def _located(message: str, path: Path, line: int | None, column: str | None) -> str:
    where = [str(path)]
    if line is not None:
        where.append(f"line {line}" if path.suffix.lower() != ".parquet" else f"row {line - 1}")
    if column is not None:
        where.append(f"column '{column}'")
    return f"{', '.join(where)}: {message}"


class NetworkInputError(ValueError):
    """Problems in an input file, each located by line (header = line 1; Parquet: data row) and column.
    `line` and `column` are the first problem's; `problems` lists them all (capped, see problems_capped)."""

    def __init__(
        self,
        message: str,
        *,
        path: Path,
        line: int | None = None,
        column: str | None = None,
        more: list[str] | None = None,
        total: int | None = None,
    ):
        self.problems = problems_capped([_located(message, path, line, column), *(more or [])], total)
        super().__init__("\n".join(self.problems))
        self.line = line
        self.column = column


class _Problems:
    """The problems found in one file, in the order of the file (line, then column); `check()` raises them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[tuple[int, int, str, str | None, str]] = []  # line, order, column, message
        self.total = 0

    def add(self, message: str, *, line: int, column: str | None, order: int = 0) -> None:
        self.total += 1
        if len(self.found) < MAX_PROBLEMS:  # callers add these in the file's order
            self.found.append((line, order, column or "", column, message))

    def add_rows(self, rows: Any, lines: IntArray, column: str, order: int, message: Any) -> None:
        """One problem for each of `rows` (row indexes, in order), `message(row)` saying what is wrong."""
        self.total += len(rows)
        for row in rows[:MAX_PROBLEMS]:
            index = int(row)
            self.found.append((int(lines[index]), order, column, column, message(index)))

    def check(self) -> None:
        if not self.found:
            return
        ordered = sorted(self.found, key=lambda p: (p[0], p[1]))
        line, _order, _key, column, message = ordered[0]
        more = [_located(m, self.path, n, c) for n, _o, _k, c, m in ordered[1:MAX_PROBLEMS]]
        raise NetworkInputError(
            message, path=self.path, line=line, column=column, more=more, total=self.total
        )


@dataclass(frozen=True)
class NetworkInput:
    ids: list[str]
    names: list[str | None] | None
    sectors: list[str | None] | None
    sector_codes: IntArray | None  # -1 where the sector is unknown
    responded: NDArray[np.bool_] | None
    source: IntArray  # one entry per tie row (before merging)
    target: IntArray
    items: dict[str, FloatArray]  # rating columns present in TIES, NaN where blank


def load_network(
    ties_path: Path, nodes_path: Path | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> NetworkInput:
    # A ties file with no rows is an answer ("no ties") only beside a nodes file naming the organisations.
    ties, ties_lines = read_table(
        ties_path, required=("source", "target"), limits=limits, require_rows=nodes_path is None
    )
    problems = _Problems(ties_path)
    order = {name: index for index, name in enumerate(ties.columns)}
    for column in ("source", "target"):
        ties = ties.with_columns(pl.col(column).str.strip_chars())
        _require_values(ties, column, ties_lines, problems, order[column])
    items = {
        name: _numeric(ties, name, RATING_RANGES[name], ties_lines, problems, order[name])
        for name in RATING_RANGES
        if name in ties.columns
    }
    problems.check()

    named = (
        ties.select(pl.concat_list("source", "target").alias("id"))
        .explode("id")
        .unique(maintain_order=True)["id"]
    )
    names = sectors = None
    responded = None
    if nodes_path is None:
        ids = named.to_list()
    else:
        nodes, node_lines = read_table(nodes_path, required=("id",), limits=limits)
        nodes = nodes.with_columns(pl.col("id").str.strip_chars())
        node_problems = _Problems(nodes_path)
        node_order = {name: index for index, name in enumerate(nodes.columns)}
        _require_values(nodes, "id", node_lines, node_problems, node_order["id"])
        given = nodes["id"].is_not_null() & (nodes["id"] != "")
        duplicated = (given & ~nodes["id"].is_first_distinct()).arg_true()
        node_problems.add_rows(
            duplicated,
            node_lines,
            "id",
            node_order["id"],
            lambda row: f"id {nodes['id'][row]!r} appears more than once",
        )
        flags = None
        if "responded" in nodes.columns:
            flags = _flags(nodes, "responded", node_lines, node_problems, node_order["responded"])
        node_problems.check()
        extra = named.filter(~named.is_in(nodes["id"].implode()))
        ids = nodes["id"].to_list() + extra.to_list()
        padding = [None] * len(extra)
        if "name" in nodes.columns:
            names = nodes["name"].to_list() + padding
        if "sector" in nodes.columns:
            sectors = [s.strip() if s else None for s in nodes["sector"].to_list()] + padding
        if flags is not None:
            responded = np.concatenate([flags, np.zeros(len(extra), dtype=bool)])

    index = pl.DataFrame({"id": ids, "_index": np.arange(len(ids), dtype=np.int64)})
    source = ties.select("source").join(
        index, left_on="source", right_on="id", how="left", maintain_order="left"
    )
    target = ties.select("target").join(
        index, left_on="target", right_on="id", how="left", maintain_order="left"
    )
    sector_codes = None
    if sectors is not None:
        labels = {label: code for code, label in enumerate(sorted({s for s in sectors if s}))}
        sector_codes = np.array([labels.get(s, -1) if s else -1 for s in sectors], dtype=np.int64)
    return NetworkInput(
        ids=ids,
        names=names,
        sectors=sectors,
        sector_codes=sector_codes,
        responded=responded,
        source=source["_index"].to_numpy().astype(np.int64),
        target=target["_index"].to_numpy().astype(np.int64),
        items=items,
    )


def read_table(
    path: Path, *, required: tuple[str, ...], limits: Limits = DEFAULT_LIMITS, require_rows: bool = True
) -> tuple[pl.DataFrame, IntArray]:
    """The file as string columns without blank rows, and the file line of each row (header = line 1).

    The bounded readers (`analysis.reading`) look at the file first: compressed data not named `.csv.gz`,
    UTF-16/32 text, NUL or control characters, a header with no rows, and files past `limits` are refused
    before polars reads anything."""
    path = Path(path)
    if not path.is_file():
        raise NetworkInputError("file not found", path=path)
    if path.suffix.lower() == ".parquet":
        try:
            check_parquet(path, limits=limits)
        except FileReadError as exc:
            raise NetworkInputError(exc.reason, path=path) from exc
        try:
            frame = pl.read_parquet(path)
        except Exception as exc:  # polars raises several kinds for a damaged file
            raise NetworkInputError(f"cannot read Parquet: {exc}", path=path) from exc
        frame = frame.select(pl.all().cast(pl.String))
        lines = np.arange(frame.height, dtype=np.int64) + 2
    else:
        data = _checked_text(path, limits, require_rows)
        lines = _check_fields(data, path)
        try:
            frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
        except Exception as exc:
            raise NetworkInputError(f"cannot read CSV: {exc}", path=path) from exc
        frame = frame.rename({c: c.strip() for c in frame.columns})
        if len(lines) != frame.height:  # quoted line breaks polars read differently: fall back to row order
            lines = np.arange(frame.height, dtype=np.int64) + 2
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise NetworkInputError(
            f"missing column(s) {', '.join(missing)} (found: {', '.join(frame.columns) or 'none'})",
            path=path,
            line=1,
            column=missing[0],
        )
    blank = frame.select(pl.all_horizontal(pl.all().is_null())).to_series().to_numpy()
    if blank.any():
        frame, lines = frame.filter(~pl.Series(blank)), lines[~blank]
    if frame.height == 0 and require_rows:
        raise NetworkInputError("the file has a header row but no rows of data", path=path, line=2)
    return frame, lines


def _checked_text(path: Path, limits: Limits, require_rows: bool) -> bytes:
    """The CSV file's bytes, checked by the bounded reader."""
    try:
        data = read_bytes(path, limits=limits)
        return check_text(data, name=path.name, limits=limits, require_rows=require_rows)
    except FileReadError as exc:
        column = None if exc.column is None else str(exc.column)
        raise NetworkInputError(exc.reason, path=path, line=exc.line, column=column) from exc


def _check_fields(data: bytes, path: Path) -> IntArray:
    """Every non-blank line has as many fields as the header; returns the line number of each data row."""
    if not data.strip():
        raise NetworkInputError("the file is empty", path=path)
    if b'"' in data:
        return _check_fields_quoted(data, path)
    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == ord("\n"))
    ends = newlines if len(raw) and raw[-1] == ord("\n") else np.append(newlines, len(raw))
    starts = np.concatenate([[0], ends[:-1] + 1]) if len(ends) else np.zeros(0, dtype=np.int64)
    commas = np.bincount(
        np.searchsorted(ends, np.flatnonzero(raw == ord(",")), side="left"), minlength=len(ends)
    )
    lengths = ends - starts - (raw[np.maximum(ends - 1, 0)] == ord("\r")) * (ends > starts)
    blank = lengths == 0
    bad = np.flatnonzero((commas != commas[0]) & ~blank)
    problems = _Problems(path)
    for index in bad[:MAX_PROBLEMS]:
        message = f"expected {commas[0] + 1} fields as in the header, found {commas[index] + 1}"
        problems.add(message, line=int(index) + 1, column=None)
    problems.total = len(bad)
    problems.check()
    return np.arange(2, len(ends) + 1, dtype=np.int64)


def _check_fields_quoted(data: bytes, path: Path) -> IntArray:
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    header = next(reader, None)
    if header is None:
        raise NetworkInputError("the file is empty", path=path)
    lines: list[int] = []
    previous = reader.line_num
    problems = _Problems(path)
    try:
        for row in reader:
            if row and len(row) != len(header):
                message = f"expected {len(header)} fields as in the header, found {len(row)}"
                problems.add(message, line=previous + 1, column=None)
            lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        problems.add(str(exc), line=reader.line_num, column=None)
    problems.check()
    return np.asarray(lines, dtype=np.int64)


def _require_values(
    frame: pl.DataFrame, column: str, lines: IntArray, problems: _Problems, order: int
) -> None:
    empty = (frame[column].is_null() | (frame[column] == "")).arg_true()
    problems.add_rows(empty, lines, column, order, lambda row: "value is missing")


def _numeric(
    frame: pl.DataFrame,
    column: str,
    bounds: tuple[float, float],
    lines: IntArray,
    problems: _Problems,
    order: int,
) -> FloatArray:
    stripped = frame[column].str.strip_chars()
    text = pl.when(stripped == "").then(None).otherwise(stripped)
    values = frame.select(text.cast(pl.Float64, strict=False).alias(column))[column]
    given = frame.select(text.is_not_null().alias("g"))["g"]
    bad = (given & values.is_null()).arg_true()
    problems.add_rows(bad, lines, column, order, lambda row: f"{frame[column][row]!r} is not a number")
    array = values.to_numpy().astype(np.float64)
    low, high = bounds
    outside = np.flatnonzero(~np.isnan(array) & ((array < low) | (array > high) | ~np.isfinite(array)))
    problems.add_rows(
        outside, lines, column, order, lambda row: f"{frame[column][row].strip()} is outside {low:g}-{high:g}"
    )
    return array


def _flags(
    frame: pl.DataFrame, column: str, lines: IntArray, problems: _Problems, order: int
) -> NDArray[np.bool_]:
    text = frame[column].fill_null("").str.strip_chars().str.to_lowercase()
    known = text.is_in(sorted(_TRUE | _FALSE))
    bad = (~known).arg_true()
    problems.add_rows(
        bad,
        lines,
        column,
        order,
        lambda row: f"{frame[column][row]!r} is not yes/no (use 1/0, true/false or yes/no)",
    )
    return text.is_in(sorted(_TRUE)).to_numpy()


def organisations_frame(data: NetworkInput, metrics: NetworkMetrics) -> pl.DataFrame:
    """One row per organisation, in the order of NODES then of first mention in TIES; null where unknown."""
    n = len(data.ids)
    columns: dict[str, object] = {
        "id": data.ids,
        "name": data.names if data.names is not None else [None] * n,
        "sector": data.sectors if data.sectors is not None else [None] * n,
        "in_degree": metrics.in_degree,
        "out_degree": metrics.out_degree,
        "betweenness": metrics.betweenness,
        "closeness": metrics.closeness,
        "trust": metrics.trust if metrics.trust is not None else np.full(n, np.nan),
        "value": metrics.value if metrics.value is not None else np.full(n, np.nan),
    }
    schema = {"id": pl.String, "name": pl.String, "sector": pl.String}
    frame = pl.DataFrame(columns, schema_overrides=schema)
    frame = frame.with_columns(pl.col(pl.Float64).fill_nan(None))
    if data.responded is not None:
        frame = frame.with_columns(pl.Series("responded", data.responded, dtype=pl.Boolean))
    return frame


def network_report(data: NetworkInput, metrics: NetworkMetrics) -> dict[str, object]:
    """The JSON document of `joinedup network analyse`."""
    network = dict(metrics.network)
    if data.responded is not None:
        network["response_rate"] = float(data.responded.mean()) if len(data.responded) else None
        network["non_respondents"] = int((~data.responded).sum())
    return {"network": network, "organisations": organisations_frame(data, metrics).to_dicts()}
