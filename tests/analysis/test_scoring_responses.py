"""Reading a responses CSV: answers, don't know, blanks, and errors that name row and column."""

from __future__ import annotations

import pytest

from joinedup.analysis.instruments import parse_instrument
from joinedup.analysis.responses import ResponseFileError, parse_responses

INSTRUMENT = parse_instrument(
    """
key: tiny
title: Tiny
version: 1
scale: {min: 1, max: 5, labels: [a, b, c, d, e], dont_know: true}
bands: [{min: 1, label: any}]
dimensions:
  - {key: trust, title: Trust, items: [{key: trust_1, text: x}, {key: trust_2, text: y, reverse: true}]}
"""
)


def problems(text: str, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ResponseFileError) as caught:
        parse_responses(text.encode(), INSTRUMENT, **kwargs)
    return caught.value.problems


def test_answers_blanks_and_dont_know() -> None:
    df = parse_responses(b"org,trust_1,trust_2\nA,1,dk\nB, 5 ,\n,DK,3\n", INSTRUMENT)
    assert df.columns == ["org", "trust_1", "trust_2"]
    assert df["trust_1"].to_list() == [1, 5, None]
    assert df["trust_2"].to_list() == [None, None, 3]
    assert df["org"].to_list() == ["A", "B", None]


def test_crlf_bom_quotes_and_trailing_blank_lines_are_fine() -> None:
    raw = '\ufefforg,trust_1,trust_2\r\n"Smith, Jones & Co",2,3\r\nB,4,4\r\n\r\n'.encode()
    df = parse_responses(raw, INSTRUMENT)
    assert df["org"].to_list() == ["Smith, Jones & Co", "B"]
    assert df["trust_2"].to_list() == [3, 4]


def test_an_out_of_range_answer_names_row_and_column() -> None:
    assert problems("org,trust_1,trust_2\nA,1,2\nB,3,6\n") == [
        "line 3, column trust_2: '6' is not an answer (use a whole number from 1 to 5, leave it blank, or dk)"
    ]
    assert problems("org,trust_1,trust_2\nA,2.5,2\n")[0].startswith("line 2, column trust_1: '2.5'")
    assert problems("org,trust_1,trust_2\nA,no,2\n")[0].startswith("line 2, column trust_1: 'no'")
    assert problems("org,trust_1,trust_2\nA,1,2\nB,300,2\n")[0].startswith("line 3, column trust_1: '300'")


def test_rows_are_counted_across_quoted_line_breaks() -> None:
    raw = 'org,trust_1,trust_2\n"line one\nline two",1,2\nB,9,2\n'
    assert problems(raw)[0].startswith("line 4, column trust_1: '9'")


def test_malformed_rows_are_named() -> None:
    assert problems("org,trust_1,trust_2\nA,1,2\nB,3\nC,1,2,4\n") == [
        "line 3: malformed line: 2 fields where the header has 3",
        "line 4: malformed line: 4 fields where the header has 3",
    ]
    assert problems("org,trust_1,trust_2\nA,1,2\n\nB,3,3\n") == ["line 3: malformed line: the line is empty"]
    assert problems('org,trust_1,trust_2\n"A",1\n') == [
        "line 2: malformed line: 2 fields where the header has 3"
    ]


def test_missing_and_unknown_item_columns_and_bad_breakdowns() -> None:
    assert problems("org,trust_1\nA,1\n") == ["line 1, column trust_2: the item column is missing"]
    assert problems("org,trust_1,trust_2,trust_3\nA,1,1,1\n") == [
        "line 1, column trust_3: unknown column: it looks like an item, but instrument 'tiny' has no item 'trust_3'"
    ]
    assert problems("org,trust_1,trust_2\nA,1,1\n", by=["sector"]) == [
        "line 1, column sector: there is no such column to break down by"
    ]
    assert problems("org,org,trust_1,trust_2\nA,A,1,1\n") == [
        "line 1, column org: the column name appears twice"
    ]


def test_an_empty_file_is_refused() -> None:
    assert problems("") == ["line 1: the file is empty (it needs a header row naming the columns)"]


def test_dont_know_can_be_kept_apart_from_blank() -> None:
    raw = b"org,trust_1,trust_2\nA,1,dk\nB, 05 ,\n,DK,  \n"
    df = parse_responses(raw, INSTRUMENT, keep_dont_know=True)
    assert df["trust_1"].to_list() == ["1", "5", "dk"]
    assert df["trust_2"].to_list() == ["dk", None, None]
    assert problems("org,trust_1,trust_2\nA,1,dk\nB,6,\n", keep_dont_know=True) == [
        "line 3, column trust_1: '6' is not an answer (use a whole number from 1 to 5, leave it blank, or dk)"
    ]


@pytest.mark.parametrize("value", ["0", "-1", "6", "127"])
def test_whole_numbers_off_the_scale_are_named_when_read_as_numbers(value: str) -> None:
    # Every answer parses as a whole number, so this is the path a clean large file takes.
    raw = f"org,trust_1,trust_2\nA,1,2\nB,3,{value}\nC,,4\n"
    assert problems(raw) == [
        f"line 3, column trust_2: '{value}' is not an answer (use a whole number from 1 to 5, leave it blank, or dk)"
    ]


@pytest.mark.parametrize("ending", ["", "\n", "\r\n", "\n\n\n", "\r\n\r\n", "\n\r\n"])
def test_the_file_may_end_with_any_number_of_line_breaks(ending: str) -> None:
    df = parse_responses(f"org,trust_1,trust_2\nA,1,2\nB,3,4{ending}".encode(), INSTRUMENT)
    assert df["trust_2"].to_list() == [2, 4]
