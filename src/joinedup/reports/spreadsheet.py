"""A pack's tables as an XLSX workbook: a Contents sheet with the key to the symbol, then one table a sheet.
A hidden figure is the symbol, never a number. Every cell is written by `analysis.safe_cells.safe_workbook`, so
text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is written
with a leading apostrophe and stays text."""

from __future__ import annotations

import datetime
import re

from joinedup.analysis.safe_cells import Sheet, safe_cell, safe_workbook
from joinedup.reports.pack import KEY, SYMBOL, Cell, Hidden, Pack

SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Text a spreadsheet must not run: a leading apostrophe keeps "=HYPERLINK(...)" as the words typed."""
    return str(safe_cell(text))


def _value(cell: Cell) -> str | int | float | datetime.date | None:
    return SYMBOL if isinstance(cell, Hidden) else cell


def _sheet_name(title: str, taken: set[str]) -> str:
    base = " ".join(SHEET_BAD.sub(" ", title).split()).strip("'")[:31].strip() or "Table"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def pack_xlsx(pack: Pack) -> bytes:
    contents = Sheet(
        "Contents",
        [
            [pack.title],
            [f"Made on {pack.made_at:%d %B %Y %H:%M}, showing what {pack.made_for} may see."],
            [],
            ["Key", SYMBOL, KEY],
            [],
            ["Sheet", "Section", "What the numbers mean"],
        ],
        bold=(1, 6),
    )
    sheets = [contents]
    taken = {"contents"}
    for section in pack.sections:
        for table in section.tables:
            name = _sheet_name(table.key, taken)
            contents.rows.append([name, section.title, table.note])
            rows: list[list[object]] = [[table.title], [table.note], list(table.columns)]
            rows += [[_value(c) for c in row] for row in table.rows]
            sheets.append(Sheet(name, rows, bold=(1, 3), freeze="A4"))
    return safe_workbook(sheets)
