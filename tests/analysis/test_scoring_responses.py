"""Reading a responses CSV: answers, don't know, blanks, and errors that name row and column."""

from __future__ import annotations

import polars as pl
import pytest

from joinedup.analysis.instruments import parse_instrument
from joinedup.analysis.reading import MAX_PROBLEMS
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


# ---- edges found by mutation testing (docs/testing.md): each expectation worked out by hand ------------------

FIVE = parse_instrument(
    """
key: five
title: Five
version: 1
scale: {min: 1, max: 5, labels: [a, b, c, d, e]}
bands: [{min: 1, label: any}]
dimensions:
  - {key: trust, title: Trust, items: [{key: trust_1, text: x}, {key: trust_2, text: y}]}
  - {key: value, title: Value, items: [{key: value_1, text: x}, {key: value_2, text: y}, {key: value_3, text: z}]}
"""
)


def instrument_on(low: int, high: int, *, items: str = "[{key: d_1, text: x}]"):  # type: ignore[no-untyped-def]
    labels = ", ".join(f"l{n}" for n in range(high - low + 1))
    return parse_instrument(
        f"""
key: scale
title: Scale
version: 1
scale: {{min: {low}, max: {high}, labels: [{labels}]}}
bands: [{{min: {low}, label: any}}]
dimensions:
  - {{key: d, title: D, items: {items}}}
"""
    )


def test_the_exception_text_is_the_problems_one_a_line() -> None:
    with pytest.raises(ResponseFileError) as caught:
        parse_responses(b"org,trust_1,trust_2\nA,1,2\nB,3\nC,1,2,4\n", INSTRUMENT)
    assert str(caught.value) == (
        "line 3: malformed line: 2 fields where the header has 3\n"
        "line 4: malformed line: 4 fields where the header has 3"
    )


def test_malformed_lines_are_capped_with_a_count() -> None:
    plain = "org,trust_1,trust_2\n" + "A,1\n" * (MAX_PROBLEMS + 2)
    found = problems(plain)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[0] == "line 2: malformed line: 2 fields where the header has 3"
    assert (
        found[MAX_PROBLEMS - 1] == f"line {MAX_PROBLEMS + 1}: malformed line: 2 fields where the header has 3"
    )
    assert found[-1] == "and 2 more problems"
    quoted = "org,trust_1,trust_2\n" + '"A",1\n' * (MAX_PROBLEMS + 3)
    found = problems(quoted)
    assert len(found) == MAX_PROBLEMS + 1
    assert (
        found[MAX_PROBLEMS - 1] == f"line {MAX_PROBLEMS + 1}: malformed line: 2 fields where the header has 3"
    )
    assert found[-1] == "and 3 more problems"


def test_answers_off_the_scale_are_capped_with_a_count() -> None:
    # read as numbers (the fast path) and as text (a "dk" sends the whole file that way)
    for first in ("1", "dk"):
        raw = "org,trust_1,trust_2\n" + f"A,{first},2\n" + "B,9,2\n" * (MAX_PROBLEMS + 4)
        found = problems(raw)
        assert len(found) == MAX_PROBLEMS + 1
        assert found[0] == (
            "line 3, column trust_1: '9' is not an answer (use a whole number from 1 to 5, leave it blank, or dk)"
        )
        assert found[-1] == "and 4 more problems"


def test_the_top_of_the_scale_is_an_answer_when_read_as_numbers() -> None:
    df = parse_responses(b"org,trust_1,trust_2\nA,5,5\nB,1,1\n", INSTRUMENT)
    assert df["trust_1"].to_list() == [5, 1] and df["trust_2"].to_list() == [5, 1]


def test_attributes_stay_text_and_blank_ones_are_missing() -> None:
    df = parse_responses(b"team,org,trust_1,trust_2\n007,  ,1,2\n1.50,B,3,4\n", INSTRUMENT, by=["team"])
    assert df["team"].to_list() == ["007", "1.50"]  # not numbers: "007" is a team's code
    assert df["org"].to_list() == [None, "B"]  # spaces only: no answer


def test_an_attribute_ending_in_x_is_kept_whole() -> None:
    df = parse_responses(b"trust_1,trust_2,org\n1,2,BOX\n3,4,XX\n", INSTRUMENT)
    assert df["org"].to_list() == ["BOX", "XX"]


def test_a_header_name_with_a_trailing_space_is_not_the_item() -> None:
    assert problems("org,trust_1,trust_2 \nA,1,2\n") == ["line 1, column trust_2: the item column is missing"]


def test_a_column_with_no_name_is_named_by_its_position() -> None:
    assert problems("org,,trust_1,trust_2\nA,x,1,2\n") == ["line 1, column 2: the column has no name"]
    assert problems("org,trust_1,trust_2, \nA,1,2,x\n") == ["line 1, column 4: the column has no name"]


def problems_with(instrument, text: str | bytes, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ResponseFileError) as caught:
        parse_responses(text.encode() if isinstance(text, str) else text, instrument, **kwargs)
    return caught.value.problems


def test_columns_that_look_like_items_with_several_prefixes() -> None:
    header = "org,trust_1,trust_2,value_1,value_2,value_3"
    assert problems_with(FIVE, f"{header},value_9\nA,1,1,1,1,1,1\n") == [
        "line 1, column value_9: unknown column: it looks like an item, but instrument 'five' has no item 'value_9'"
    ]
    assert problems_with(FIVE, f"{header},trust_9\nA,1,1,1,1,1,1\n") == [
        "line 1, column trust_9: unknown column: it looks like an item, but instrument 'five' has no item 'trust_9'"
    ]


def test_without_numbered_items_no_column_looks_like_one() -> None:
    plain = instrument_on(1, 3, items="[{key: trust, text: x}, {key: voice, text: y}]")
    df = parse_responses(b"org,_2,trust,voice\nA,x,1,3\n", plain)
    assert df["_2"].to_list() == ["x"] and df["voice"].to_list() == [3]


def test_missing_item_columns_name_the_first_and_up_to_three_more() -> None:
    assert problems_with(FIVE, "org\nA\n") == [
        "line 1, column trust_1: the item column is missing (and 4 more: trust_2, value_1, value_2...)"
    ]
    assert problems_with(FIVE, "org,trust_1,trust_2,value_1\nA,1,1,1\n") == [
        "line 1, column value_2: the item column is missing (and 1 more: value_3...)"
    ]


def test_breaking_down_by_an_item_or_an_attribute() -> None:
    assert problems("org,trust_1,trust_2\nA,1,1\n", by=["trust_1"]) == [
        "line 1, column trust_1: this is an item, not a respondent attribute"
    ]
    df = parse_responses(b"org,trust_1,trust_2\nA,1,1\n", INSTRUMENT, by=["org"])
    assert df["org"].to_list() == ["A"]


def test_a_file_polars_cannot_read_is_named() -> None:
    # the csv module counts three fields on line 2; polars refuses text after a closing quote
    (problem,) = problems('org,trust_1,trust_2\n"A"x,1,2\n')
    assert problem.startswith("the file could not be read as CSV (")


def test_the_readers_problem_names_its_line_and_column() -> None:
    assert problems("org,trust_1,trust_2\nA\x07,1,2\n") == [
        "line 2, column org: the field holds the control character 7 (0x07), which text cannot contain"
    ]


def test_the_limits_and_the_name_reach_the_reader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import gzip

    from joinedup.analysis.reading import Limits
    from joinedup.analysis.responses import read_responses

    raw = b"org,trust_1,trust_2\nA,1,2\nB,3,4\n"
    (problem,) = problems_with(INSTRUMENT, raw, limits=Limits(max_rows=1))
    assert problem.startswith("line 1: the file has more than 1 row")
    packed = gzip.compress(raw)
    assert parse_responses(packed, INSTRUMENT, name="r.csv.gz")["trust_1"].to_list() == [1, 3]
    (problem,) = problems_with(INSTRUMENT, packed, name="r.csv")
    assert problem.startswith("line 1: ") and "compressed" in problem
    path = tmp_path / "r.csv.gz"
    path.write_bytes(packed)
    assert read_responses(path, INSTRUMENT)["trust_2"].to_list() == [2, 4]
    assert read_responses(str(path), INSTRUMENT, by=["org"])["org"].to_list() == ["A", "B"]
    plain = tmp_path / "r.csv"
    plain.write_bytes(raw)
    with pytest.raises(ResponseFileError) as caught:
        read_responses(plain, INSTRUMENT, limits=Limits(max_bytes=10))
    assert caught.value.problems == [
        "line 1: the file is larger than 10 bytes (to allow more, use --max-bytes on the command line; see docs/limits.md)"
    ]
    with pytest.raises(ResponseFileError) as caught:
        read_responses(plain, INSTRUMENT, by=["team"])
    assert caught.value.problems == ["line 1, column team: there is no such column to break down by"]


def test_a_one_column_file_with_one_letter_answers() -> None:
    single = instrument_on(1, 5)
    df = parse_responses(b"d_1\n5\n3\n", single)
    assert df["d_1"].to_list() == [5, 3]
    assert problems_with(single, b"d_1\n5\n\n3\n") == ["line 3: malformed line: the line is empty"]


@pytest.mark.parametrize(
    ("low", "high", "values", "dtype"),
    [
        (1, 5, "1\n5", pl.Int8),
        (-128, 127, "-128\n127", pl.Int8),
        (0, 127, "0\n127", pl.Int8),
        (0, 128, "0\n128", pl.Int32),
        (-129, 0, "-129\n0", pl.Int32),
    ],
)
def test_answers_are_the_smallest_integers_that_hold_the_scale(
    low: int, high: int, values: str, dtype
) -> None:  # type: ignore[no-untyped-def]
    df = parse_responses(f"d_1\n{values}\n".encode(), instrument_on(low, high))
    assert df.schema["d_1"] == dtype
    assert df["d_1"].to_list() == [int(v) for v in values.split("\n")]


def test_a_blank_line_in_a_crlf_file_is_named_as_empty() -> None:
    assert problems("org,trust_1,trust_2\r\nA,1,2\r\n\r\nB,3,3\r\n") == [
        "line 3: malformed line: the line is empty"
    ]
    single = instrument_on(1, 5)
    assert problems_with(single, b"d_1\r\n5\r\n\r\n3\r\n") == ["line 3: malformed line: the line is empty"]


def test_a_one_letter_header_is_a_header() -> None:
    df = parse_responses(b"q\n5\n2\n", instrument_on(1, 5, items="[{key: q, text: x}]"))
    assert df["q"].to_list() == [5, 2]


def test_a_last_column_name_ending_in_x_is_kept_whole() -> None:
    df = parse_responses(b"org,trust_1,trust_2,SEX\r\nA,1,2,F\r\n", INSTRUMENT, by=["SEX"])
    assert df["SEX"].to_list() == ["F"]


def test_read_responses_passes_its_limits_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import tracemalloc

    from joinedup.analysis.reading import Limits
    from joinedup.analysis.responses import read_responses

    path = tmp_path / "r.csv"
    path.write_bytes(b"org,trust_1,trust_2\nA,1,2\nB,3,4\n")
    with pytest.raises(ResponseFileError) as caught:
        read_responses(path, INSTRUMENT, limits=Limits(max_rows=1))
    (problem,) = caught.value.problems
    assert problem.startswith("line 1: the file has more than 1 row")
    big = tmp_path / "big.csv"
    big.write_bytes(b"org,trust_1,trust_2\n" + b"Organisation,1,2\n" * 700_000)  # about 12 MB
    tracemalloc.start()
    try:
        with pytest.raises(ResponseFileError) as caught:
            read_responses(big, INSTRUMENT, limits=Limits(max_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.problems[0].startswith("line 1: the file is larger than")
    assert peak < 2_000_000  # the size is looked at first; the 12 MB are never read
