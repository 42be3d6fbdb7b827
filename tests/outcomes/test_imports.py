"""Reading a measurements file: every problem named by row (the header is row 1) and column."""

from __future__ import annotations

import pytest

from joinedup.outcomes.imports import ImportProblems, read_measurements
from tests.outcomes.helpers import TODAY


def problems(data: bytes, frequency: str = "quarterly", unit: str = "%") -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        read_measurements(data, frequency=frequency, unit=unit, today=TODAY, filename="m.csv")
    return caught.value.problems


def test_a_good_file_is_read_with_its_optional_columns():
    rows = read_measurements(
        b"Period,Value,Numerator,Denominator,Note\n2025-04,50,5,10,half\n2025-07,25,,,\n",
        frequency="quarterly",
        unit="%",
        today=TODAY,
    )
    assert [(r.row, r.period.isoformat(), r.value, r.numerator, r.denominator, r.note) for r in rows] == [
        (2, "2025-04-01", 50.0, 5.0, 10.0, "half"),
        (3, "2025-07-01", 25.0, None, None, ""),
    ]


def test_every_problem_is_listed_with_its_row_and_column():
    data = (
        b"period,value,numerator,denominator\n"
        b"2025-04,50,5,10\n"
        b"2025-05,50,,\n"  # not the start of a quarter
        b"2025-07,,,\n"  # no value
        b"2025-04,12,,\n"  # twice
        b"2025-10,40,5,10\n"  # does not agree
        b"2099-01,1,,\n"  # not started
        b"2026-01,x,3,\n"  # not a number, and no denominator
    )
    assert problems(data) == [
        "row 3, column period: '2025-05' does not start a period: write the first month of a quarter "
        "(January, April, July or October), written 2025-04",
        "row 4, column value: the value is missing",
        "row 5, column period: the period is in row 2 too",
        "row 6, column value: The value 40 does not agree with the numerator and denominator: 5 ÷ 10 × 100 = 50 "
        "(in %). Correct one of them",
        "row 7, column period: Jan to Mar 2099 has not started yet",
        "row 8, column value: 'x' is not a number",
    ]


def test_the_header_is_checked_first():
    assert problems(b"when,value,colour\n2025-04,1,red\n") == [
        "row 1, column when: unknown column (the file has period, value, numerator, denominator, note)",
        "row 1, column colour: unknown column (the file has period, value, numerator, denominator, note)",
        "row 1, column period: the column is missing",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty (it needs a header row naming the columns)"),
        (b"period,value\n", "row 2: the file has a header row but no data rows below it"),
        (b"period,value\n2025-04,1\x00\n", "row 2, column value: the field holds a NUL byte"),
        (b"\x1f\x8b\x08\x00rest", "gzip"),
    ],
)
def test_files_the_bounded_reader_refuses_say_why(data, expected):
    found = problems(data)
    assert len(found) == 1 and expected in found[0]


def test_a_short_row_and_annual_periods():
    assert problems(b"period,value\n2025/26\n2024/26,3\n", frequency="annual") == [
        "row 2: 1 fields where the header has 2",
        "row 3, column period: '2024/26' is not a financial year (the years must follow each other, as 2025/26)",
    ]
