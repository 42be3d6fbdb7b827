"""Reading a responses CSV for scoring: one row per respondent, one column per item key, every other
column a respondent attribute.

Answers are whole numbers on the instrument's scale, blank, or `dk` (don't know); for scoring, blanks and
`dk` are both missing, while an import into a wave keeps `dk` apart (`keep_dont_know`), since "don't
know" is an answer people gave and a blank is not. Anything else stops the read with a `ResponseFileError` listing
every problem (up to `analysis.reading.MAX_PROBLEMS`, then how many more) with its line and column. Lines are
numbered as in the file: the header is line 1, the first respondent line 2 (a respondent whose quoted answer
holds a line break is named by the line it starts on).

The checks run over whole columns (numpy for field counts, polars for values); only a file with
quoted fields falls back to Python's csv module to count fields, since quotes can hide separators.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from joinedup.analysis.instruments import Instrument
from joinedup.analysis.reading import (
    DEFAULT_LIMITS,
    MAX_PROBLEMS,
    FileReadError,
    Limits,
    check_text,
    problems_capped,
    read_bytes,
)

DONT_KNOW = "dk"
__all__ = ["DONT_KNOW", "MAX_PROBLEMS", "ResponseFileError", "parse_responses", "read_responses"]


class ResponseFileError(ValueError):
    """A responses file that cannot be scored; `problems` are plain-English lines naming row and column."""

    def __init__(self, problems: list[str], total: int | None = None) -> None:
        self.problems = problems_capped(problems, total)
        super().__init__("\n".join(self.problems))


def read_responses(
    path: str | Path, instrument: Instrument, *, by: Sequence[str] = (), limits: Limits = DEFAULT_LIMITS
) -> pl.DataFrame:
    """The responses as a frame: item columns as small integers (null = missing), attributes as text."""
    path = Path(path)
    try:
        raw = read_bytes(path, limits=limits)
    except FileReadError as exc:
        raise ResponseFileError([_where(exc)]) from exc
    return parse_responses(raw, instrument, by=by, limits=limits, name=path.name)


def parse_responses(
    raw: bytes,
    instrument: Instrument,
    *,
    by: Sequence[str] = (),
    keep_dont_know: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    name: str = "",
) -> pl.DataFrame:
    """The responses in `raw` (CSV bytes), checked. Item columns are small integers, null for blank or
    `dk`; with `keep_dont_know` (for storing answers, where "don't know" is an answer) they are text
    instead: the whole number ("4"), "dk", or null for a blank.

    The bounded reader (`analysis.reading`) looks at the bytes first: compressed data (unless `name`
    ends in .gz), UTF-16/32, NUL and control characters, a header with no respondents below it and
    files past `limits` are refused before polars reads them. CR line endings are read as LF."""
    try:
        raw = check_text(raw, name=name, limits=limits)
    except FileReadError as exc:
        raise ResponseFileError([_where(exc)]) from exc
    raw = _one_final_line_break(raw)
    header = _header(raw)
    _check_columns(header, instrument, by)
    row_lines = _check_field_counts(raw, len(header))
    keys = instrument.item_keys
    dtype = _answer_type(instrument)
    try:
        if keep_dont_know:
            raise _ReadAsText
        # Fast path: polars parses the answers as integers itself, with "dk" as missing.
        frame = pl.read_csv(
            raw,
            infer_schema=False,
            schema_overrides={key: dtype for key in keys},
            null_values={key: DONT_KNOW for key in keys},
        )
    except (pl.exceptions.PolarsError, _ReadAsText):
        try:  # anything else in an item column: read it as text, to tidy it or to say where the fault is
            frame = pl.read_csv(raw, infer_schema=False)
        except pl.exceptions.PolarsError as exc:
            raise ResponseFileError([f"the file could not be read as CSV ({exc})"]) from exc
    return _parse_answers(frame, instrument, row_lines, keep_dont_know=keep_dont_know)


def _where(error: FileReadError) -> str:
    """The reader's message in this module's words: the line of the file, and the column."""
    where = [f"line {error.line or 1}"]
    if error.column is not None:
        where.append(f"column {error.column}")
    return f"{', '.join(where)}: {error.reason}"


class _ReadAsText(Exception):
    pass


def _one_final_line_break(raw: bytes) -> bytes:
    """`raw` ending in exactly one line break (blank lines at the very end are not respondents).
    Copies the text only when it has to: a 30 MB file usually ends as it should."""
    end = len(raw)
    while end and raw[end - 1] in b"\r\n":
        end -= 1
    if raw[end:] in (b"\n", b"\r\n"):
        return raw
    return raw[:end] + b"\n"


def _header(raw: bytes) -> list[str]:
    first = raw[: raw.index(b"\n")].rstrip(b"\r")  # not split(): that would copy the whole file
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ResponseFileError(["line 1: the file is not UTF-8 text"]) from exc
    return next(csv.reader([text]), [])


def _check_columns(header: list[str], instrument: Instrument, by: Sequence[str]) -> None:
    problems = []
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name.strip():
            problems.append(f"line 1, column {index}: the column has no name")
        elif name in seen:
            problems.append(f"line 1, column {name}: the column name appears twice")
        seen.add(name)
    items = set(instrument.item_keys)
    prefixes = {m.group(1) for key in items if (m := re.fullmatch(r"(.+)_\d+", key))}
    pattern = re.compile(rf"({'|'.join(map(re.escape, sorted(prefixes)))})_\d+") if prefixes else None
    for name in header:
        if name not in items and pattern is not None and pattern.fullmatch(name):
            problems.append(
                f"line 1, column {name}: unknown column: it looks like an item, but instrument "
                f"{instrument.key!r} has no item {name!r}"
            )
    missing = [key for key in instrument.item_keys if key not in seen]
    if missing:
        problems.append(
            f"line 1, column {missing[0]}: the item column is missing"
            + (f" (and {len(missing) - 1} more: {', '.join(missing[1:4])}...)" if len(missing) > 1 else "")
        )
    for column in by:
        if column not in seen:
            problems.append(f"line 1, column {column}: there is no such column to break down by")
        elif column in items:
            problems.append(f"line 1, column {column}: this is an item, not a respondent attribute")
    if problems:
        raise ResponseFileError(problems)


def _check_field_counts(raw: bytes, expected: int) -> np.ndarray | None:
    """Raise unless every row has `expected` fields. Returns the line each data row starts on when rows and
    lines differ (quoted line breaks), else None (data row i is on line i + 2)."""
    if b'"' in raw:
        return _check_field_counts_quoted(raw, expected)
    data = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))  # the text always ends with a line break (see above)
    starts = np.concatenate(([0], ends[:-1] + 1))
    # Each line's segment includes its line break, so no segment is empty (reduceat's one quirk).
    fields = np.add.reduceat(data == ord(","), starts, dtype=np.int64) + 1
    blank = (ends - starts) - (data[np.maximum(ends - 1, 0)] == ord("\r")) <= 0
    bad = np.flatnonzero((fields != expected) | blank)
    if bad.size:
        raise ResponseFileError(
            [
                _malformed(int(line) + 1, 0 if blank[line] else int(fields[line]), expected)
                for line in bad[:MAX_PROBLEMS]
            ],
            total=int(bad.size),
        )
    return None


def _malformed(line: int, found: int, expected: int) -> str:
    if found == 0:
        return f"line {line}: malformed line: the line is empty"
    return f"line {line}: malformed line: {found} fields where the header has {expected}"


def _check_field_counts_quoted(raw: bytes, expected: int) -> np.ndarray:
    reader = csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"), newline=""))
    problems: list[str] = []
    bad = 0
    starts: list[int] = []
    previous_end = 0
    for row in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if start > 1:
            starts.append(start)
        if len(row) != expected:
            bad += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(_malformed(start, len(row), expected))
    if problems:
        raise ResponseFileError(problems, total=bad)
    return np.array(starts, dtype=np.int64)


def _answer_type(instrument: Instrument) -> type[pl.DataType]:
    return pl.Int8 if instrument.scale.min >= -128 and instrument.scale.max <= 127 else pl.Int32


def _parse_answers(
    frame: pl.DataFrame, instrument: Instrument, row_lines: np.ndarray | None, *, keep_dont_know: bool = False
) -> pl.DataFrame:
    lo, hi = instrument.scale.min, instrument.scale.max
    keys = instrument.item_keys
    original = frame
    text_keys = [key for key in keys if frame.schema[key] == pl.String]
    if text_keys:  # tidy (strip, lower-case) answers read as text
        frame = frame.with_columns([pl.col(k).str.strip_chars().str.to_lowercase() for k in text_keys])
    blank = {key: pl.col(key).is_null() for key in keys}
    dont_know = {key: pl.lit(False) for key in keys}
    for key in text_keys:
        blank[key] = blank[key] | (pl.col(key) == "")
        dont_know[key] = pl.col(key) == DONT_KNOW
    missing = {key: blank[key] | dont_know[key] for key in keys}
    number = {key: pl.col(key).cast(pl.Int64, strict=False) for key in keys}
    invalid = {
        key: ~missing[key] & (number[key].is_null() | (number[key] < lo) | (number[key] > hi)) for key in keys
    }
    # Columns polars parsed as integers hold only numbers and nulls: their range is all there is to check.
    flags = frame.select(
        [
            invalid[key].any().alias(key) if key in text_keys else ((pl.col(key).min() < lo) | (pl.col(key).max() > hi)).alias(key)
            for key in keys
        ]
    ).row(0, named=True)  # fmt: skip
    bad_columns = [key for key, flag in flags.items() if flag]
    if bad_columns:
        problems: list[tuple[int, int, str]] = []
        position = {name: index for index, name in enumerate(frame.columns)}
        counts = frame.select([invalid[key].sum().alias(key) for key in bad_columns]).row(0)
        for key in bad_columns:
            rows = frame.with_row_index("__row").filter(invalid[key]).select("__row").head(MAX_PROBLEMS)
            for (index,) in rows.iter_rows():
                value = original[key][index]
                line = int(row_lines[index]) if row_lines is not None else index + 2
                problems.append(
                    (
                        line,
                        position[key],
                        f"line {line}, column {key}: {str(value)!r} is not an answer "
                        f"(use a whole number from {lo} to {hi}, leave it blank, or {DONT_KNOW})",
                    )
                )
        listed = [message for _line, _column, message in sorted(problems)]
        raise ResponseFileError(listed, total=sum(int(n) for n in counts))
    dtype = _answer_type(instrument)
    if keep_dont_know:
        answers = [
            pl.when(blank[key]).then(None).when(dont_know[key]).then(pl.lit(DONT_KNOW))
            .otherwise(number[key].cast(pl.String)).alias(key)
            for key in keys
        ]  # fmt: skip
    else:
        answers = [
            pl.when(missing[key]).then(None).otherwise(number[key]).cast(dtype).alias(key) if key in text_keys
            else pl.col(key)
            for key in keys
        ]  # fmt: skip
    attributes = [pl.col(c).str.strip_chars().replace("", None) for c in frame.columns if c not in set(keys)]
    return frame.select([*attributes, *answers])
