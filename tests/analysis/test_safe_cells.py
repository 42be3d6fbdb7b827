"""Spreadsheet-safe cells: text a spreadsheet would run gets a `'`; numbers and other text are untouched."""

from __future__ import annotations

import csv
import decimal
import io

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.analysis.safe_cells import FORMULA_STARTS, frame_csv, safe_cell, safe_frame, safe_writer

HOSTILE = ['=HYPERLINK("http://evil.example","Click")', "+1+1", "@SUM(1)", "-2+3", "\tTAB", "\rCR", "=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_written_as_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [0, -1, 2.5, -1.5, float("-inf"), decimal.Decimal("-3.25"), True, None])
def test_numbers_and_other_values_are_untouched(value: object) -> None:
    assert safe_cell(value) is value


@pytest.mark.parametrize(
    "text", ["-1.5", "+44", "-0", "1e-3", "-2E+5", ".5", "-.5", "", "Plain", "a=b", "'=x"]
)
def test_numbers_written_as_text_and_ordinary_text_are_untouched(text: str) -> None:
    assert safe_cell(text) == text


@given(st.text())
def test_no_cell_written_can_start_a_formula_unless_it_is_a_number(text: str) -> None:
    cell = safe_cell(text)
    if cell.startswith(FORMULA_STARTS):
        float(cell)  # only a plain number may start with + or -
    assert cell in (text, "'" + text)


def test_the_writer_and_the_frame_give_the_same_cells() -> None:
    rows = [["name", "score"], *[[text, -1.5] for text in HOSTILE], ["-1.5", 2]]
    out = io.StringIO()
    safe_writer(out, lineterminator="\n").writerows(rows)
    written = list(csv.reader(io.StringIO(out.getvalue())))
    assert written[1:] == [["'" + t, "-1.5"] for t in HOSTILE] + [["-1.5", "2"]]
    frame = pl.DataFrame({"name": [r[0] for r in rows[1:]], "score": [float(r[1]) for r in rows[1:]]})
    assert list(csv.reader(io.StringIO(frame_csv(frame))))[1:] == [
        [name, str(float(score))] for name, score in written[1:]
    ]
    assert safe_frame(frame.select("score")).equals(frame.select("score"))  # numbers: the same frame
    assert safe_frame(pl.DataFrame({"name": [None, "=x"]}))["name"].to_list() == [None, "'=x"]


def test_a_row_with_a_carriage_return_keeps_the_line_ending_asked_for() -> None:
    # With "\n" line endings csv would leave a bare "\r" unquoted, so that row has its text quoted (numbers
    # not) and still ends in "\n".
    out = io.StringIO()
    safe_writer(out, lineterminator="\n").writerows([["\rCR", "name", -1.5], ["plain", 2]])
    assert out.getvalue() == '"\'\rCR","name",-1.5\nplain,2\n'
    # With the default "\r\n" csv quotes the field itself, and nothing else is quoted.
    out = io.StringIO()
    safe_writer(out).writerows([["\rCR", "name", -1.5], ["plain", 2]])
    assert out.getvalue() == '"\'\rCR",name,-1.5\r\nplain,2\r\n'
