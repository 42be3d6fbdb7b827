"""A pack's tables as an XLSX workbook (openpyxl): a contents sheet with the key to the symbol, then one table a
sheet. A hidden figure is the symbol, never a number; text that a spreadsheet would read as a formula (starting
with = + - @, a tab or a carriage return) is written with a leading apostrophe, so it stays text."""

from __future__ import annotations

import datetime
import io
import re

from joinedup.reports.pack import KEY, SYMBOL, Cell, Hidden, Pack

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Text a spreadsheet must not run: a leading apostrophe keeps "=HYPERLINK(...)" as the words typed."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _value(cell: Cell) -> str | int | float | datetime.date | None:
    if isinstance(cell, Hidden):
        return SYMBOL
    if isinstance(cell, str):
        return neutralise(cell)
    return cell


def _sheet_name(title: str, taken: set[str]) -> str:
    base = " ".join(SHEET_BAD.sub(" ", title).split()).strip("'")[:31].strip() or "Table"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def pack_xlsx(pack: Pack) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    contents = book.active
    assert contents is not None
    contents.title = "Contents"
    bold = Font(bold=True)
    contents.append([neutralise(pack.title)])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append(
        [f"Made on {pack.made_at:%d %B %Y %H:%M}, showing what {neutralise(pack.made_for)} may see."]
    )
    contents.append([])
    contents.append(["Key", SYMBOL, KEY])
    contents.append([])
    contents.append(["Sheet", "Section", "What the numbers mean"])
    for cell in contents[6]:
        cell.font = bold
    taken = {"contents"}
    for section in pack.sections:
        for table in section.tables:
            sheet = book.create_sheet(_sheet_name(table.key, taken))
            contents.append([sheet.title, neutralise(section.title), neutralise(table.note)])
            sheet.append([neutralise(table.title)])
            sheet["A1"].font = Font(bold=True, size=12)
            sheet.append([neutralise(table.note)])
            sheet.append([neutralise(c) for c in table.columns])
            for cell in sheet[3]:
                cell.font = bold
            for row in table.rows:
                sheet.append([_value(c) for c in row])
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in list(column)[2:]) if sheet.max_row > 2 else 10
                sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
            sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
