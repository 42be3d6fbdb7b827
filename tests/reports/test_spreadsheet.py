"""The XLSX of a pack, from a pack built by hand: formula-like text stays text, hidden cells are the symbol, numbers
and dates stay numbers and dates, sheet names are valid and unique."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from joinedup.reports.pack import HIDDEN, SYMBOL, Pack, Section, Table, cell_text
from joinedup.reports.spreadsheet import neutralise, pack_xlsx

NOW = datetime.datetime(2026, 12, 1, 9, 30)


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x","y")'])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Plain words", "1 = one", "", "'quoted", "-2", "+44"])
def test_other_text_and_numbers_written_as_text_are_left_alone(text: str) -> None:
    assert neutralise(text) == text


def _pack() -> Pack:
    table = Table(
        "Flags: a/b [1]?",
        "=Title",
        "-note",
        ["=Name", "Count", "Day"],
        [["=cmd|' /C calc'!A0", 3, datetime.date(2026, 1, 2)], ["@me", HIDDEN, None]],
    )
    twin = Table("Flags: a/b [1]?", "Twin", "Same key", ["A"], [["x"]])
    return Pack("=Pack", "P", None, NOW, "-someone", NOW, [Section("s", "+Section", tables=[table, twin])])


def test_the_workbook_keeps_text_as_text_and_hidden_as_the_symbol() -> None:
    book = openpyxl.load_workbook(io.BytesIO(pack_xlsx(_pack())))
    assert book.sheetnames == ["Contents", "Flags a b 1", "Flags a b 1 2"]
    sheet = book["Flags a b 1"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "'=Title" and rows[1][0] == "'-note" and rows[2][0] == "'=Name"
    assert rows[3] == ("'=cmd|' /C calc'!A0", 3, datetime.datetime(2026, 1, 2))
    assert rows[4] == ("'@me", SYMBOL, None)
    assert all(cell.data_type != "f" for s in book.worksheets for row in s.iter_rows() for cell in row)
    contents = list(book["Contents"].iter_rows(values_only=True))
    assert contents[0][0] == "'=Pack" and contents[6][:2] == ("Flags a b 1", "'+Section")


def test_cells_read_in_plain_figures() -> None:
    assert [cell_text(c) for c in (HIDDEN, None, 6400000.0, 3.25, 12, datetime.date(2026, 3, 1))] == [
        SYMBOL,
        "—",
        "6,400,000",
        "3.25",
        "12",
        "1 March 2026",
    ]
