"""Cells that are safe to open in a spreadsheet: every CSV (or XLSX) JoinedUp writes goes through here.

A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` as a formula (and some treat a leading tab or
carriage return the same way), so a name such as `=HYPERLINK("http://...", "Click")` typed into a survey or an
import file would run when a coordinator opens the export. Such text is written with a `'` in front, which
spreadsheets show as plain text (OWASP, "CSV Injection").

Numbers are left alone: int, float and Decimal values, and text that is just a number ("-1.5", "+44", "1e-3"),
which a spreadsheet reads as that number and cannot run. Everything else that starts with one of those
characters is text and gets the `'`, including "-2+3".

Plain Python (with polars for frames), so the web pages and the command-line tools (which run without Django)
share it. Imports never strip the `'` or evaluate anything: text read in stays the text it was.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
_NUMBER_PATTERN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_NUMBER = re.compile(_NUMBER_PATTERN)


def safe_cell(value: Any) -> Any:
    """The value to write in a cell: text a spreadsheet would run gets a `'` in front; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """`csv.writer` whose every cell goes through `safe_cell` (same arguments, same `writerow(s)`)."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)
        # csv.writer quotes a field holding a carriage return only when the line ends in one; such a row is
        # written with every text field quoted, so the cell stays one cell.
        self._quoted = csv.writer(out, **{**options, "quoting": csv.QUOTE_NONNUMERIC})
        self._bare_cr = "\r" not in self._writer.dialect.lineterminator

    def writerow(self, row: Iterable[Any]) -> Any:
        cells = safe_row(row)
        if self._bare_cr and any(isinstance(cell, str) and "\r" in cell for cell in cells):
            return self._quoted.writerow(cells)
        return self._writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(out: _Writable, **options: Any) -> SafeWriter:
    return SafeWriter(out, **options)


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text column made safe (numeric columns are untouched)."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text_columns:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_PATTERN) & ~pl.col(name).str.contains(_NUMBER_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def frame_csv(frame: pl.DataFrame) -> str:
    """A polars frame as CSV text, safe to open (use instead of `frame.write_csv()`)."""
    return safe_frame(frame).write_csv()


@dataclass
class Sheet:
    """One sheet of a workbook: its name (valid in a spreadsheet: 31 characters at most, no []:*?/\\), its rows,
    the rows (counted from 1) to set in bold, and the cell above and left of which the panes stay in view."""

    name: str
    rows: list[list[Any]]
    bold: tuple[int, ...] = ()
    freeze: str | None = None


def safe_workbook(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX workbook (openpyxl) whose every cell goes through `safe_cell`: a text cell starting with `=` is
    text, never a formula (openpyxl would otherwise write it as one). Numbers and dates stay numbers and dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    first = book.active
    if first is not None:
        book.remove(first)
    bold = Font(bold=True)
    for sheet in sheets:
        out = book.create_sheet(sheet.name)
        for row in sheet.rows:
            out.append(safe_row(row))
        for number in sheet.bold:
            for cell in out[number]:
                cell.font = bold
        for column in out.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            out.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
        if sheet.freeze:
            out.freeze_panes = sheet.freeze
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
