"""`analysis.network_io` read directly: what a TIES/NODES file becomes, and every problem it names, where.

The expected problems are worked out here by hand or by `_reference_problems`, a plain `csv`-module reading of
the same rules written for this test (not the numpy/polars code under test), so the two can disagree."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.analysis.network import analyse_network, merge_ties
from joinedup.analysis.network_io import (
    RATING_RANGES,
    NetworkInputError,
    load_network,
    network_report,
    organisations_frame,
    read_table,
)
from joinedup.analysis.reading import MAX_PROBLEMS, Limits


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def problems_of(call) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(NetworkInputError) as caught:
        call()
    return caught.value.problems


# ---- what a good file becomes -----------------------------------------------------------------------------


def test_ties_alone_name_organisations_in_order_of_first_mention(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\n b ,a\nc,b\na,c\n")
    data = load_network(ties)
    assert data.ids == ["b", "a", "c"]  # spaces stripped, first mention order (source before target)
    assert data.source.tolist() == [0, 2, 1]
    assert data.target.tolist() == [1, 0, 2]
    assert data.source.dtype == np.int64 and data.target.dtype == np.int64
    assert data.names is None and data.sectors is None and data.sector_codes is None
    assert data.responded is None and data.items == {}


def test_rating_columns_are_read_as_numbers_with_blanks_missing(tmp_path: Path) -> None:
    ties = write(
        tmp_path, "t.csv", "source,target,trust_reliability,frequency,other\na,b, 4 ,0,x\nb,a,,5,y\n"
    )
    data = load_network(ties)
    assert set(data.items) == {"trust_reliability", "frequency"}  # unknown columns are not ratings
    assert data.items["trust_reliability"][0] == 4.0 and math.isnan(data.items["trust_reliability"][1])
    assert data.items["frequency"].tolist() == [0.0, 5.0]


def test_nodes_come_first_then_organisations_only_ties_name(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\nx,a\nb,y\n")
    nodes = write(
        tmp_path,
        "n.csv",
        "id,name,sector,responded\n b ,Bee Trust, nhs ,Yes\na,Ay Council,council,0\nz,,,true\n",
    )
    data = load_network(ties, nodes)
    assert data.ids == ["b", "a", "z", "x", "y"]
    assert data.names == ["Bee Trust", "Ay Council", None, None, None]
    assert data.sectors == ["nhs", "council", None, None, None]
    # codes number the sectors in sorted order; unknown is -1
    assert data.sector_codes is not None and data.sector_codes.tolist() == [1, 0, -1, -1, -1]
    assert data.responded is not None and data.responded.tolist() == [True, False, True, False, False]
    assert data.source.tolist() == [3, 0] and data.target.tolist() == [1, 4]


def test_an_empty_ties_file_is_an_answer_only_beside_nodes(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\n")
    nodes = write(tmp_path, "n.csv", "id\na\nb\n")
    data = load_network(ties, nodes)
    assert data.ids == ["a", "b"] and data.source.tolist() == []
    assert problems_of(lambda: load_network(ties)) == [
        f"{ties}, line 2: the file has a header row but no data rows below it"
    ]


def test_blank_lines_are_dropped_and_later_lines_keep_their_numbers(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target,trust_reliability\na,b,1\n\nb,a,9\n")
    assert problems_of(lambda: load_network(ties)) == [
        f"{ties}, line 4, column 'trust_reliability': 9 is outside 1-4"
    ]
    frame, lines = read_table(ties, required=("source",))
    assert frame.height == 2 and lines.tolist() == [2, 4]


def test_crlf_and_padded_headers_are_read(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", b" source , target \r\na,b\r\n\r\nb,a\r\n")
    frame, lines = read_table(ties, required=("source", "target"))
    assert frame.columns == ["source", "target"] and lines.tolist() == [2, 4]
    assert load_network(ties).ids == ["a", "b"]


def test_parquet_rows_are_named_as_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pl.DataFrame(
        {"source": ["a", "b", ""], "target": ["b", "a", "a"], "trust_mission": [1, 7, 2]}
    ).write_parquet(path)
    assert problems_of(lambda: load_network(path)) == [
        f"{path}, row 2, column 'trust_mission': 7 is outside 1-4",
        f"{path}, row 3, column 'source': value is missing",
    ]


def test_a_damaged_parquet_file_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "t.parquet", b"PAR1" + b"\x00" * 64 + b"PAR1")
    (problem,) = problems_of(lambda: load_network(path))
    assert problem.startswith(f"{path}: ")


# ---- what is wrong, and where ------------------------------------------------------------------------------


def test_a_missing_file_and_missing_columns(tmp_path: Path) -> None:
    assert problems_of(lambda: load_network(tmp_path / "none.csv")) == [
        f"{tmp_path / 'none.csv'}: file not found"
    ]
    ties = write(tmp_path, "t.csv", "from,target\na,b\n")
    with pytest.raises(NetworkInputError) as caught:
        load_network(ties)
    assert caught.value.problems == [
        f"{ties}, line 1, column 'source': missing column(s) source (found: from, target)"
    ]
    assert (caught.value.line, caught.value.column) == (1, "source")
    nodes = write(tmp_path, "n.csv", "name\nx\n")
    good = write(tmp_path, "g.csv", "source,target\na,b\n")
    assert problems_of(lambda: load_network(good, nodes)) == [
        f"{nodes}, line 1, column 'id': missing column(s) id (found: name)"
    ]


def test_problems_are_listed_in_file_order_line_then_column(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "trust_reliability,source,target\nhigh,,b\n0,a,\n2,a,b\n")
    assert problems_of(lambda: load_network(ties)) == [
        f"{ties}, line 2, column 'trust_reliability': 'high' is not a number",
        f"{ties}, line 2, column 'source': value is missing",
        f"{ties}, line 3, column 'trust_reliability': 0 is outside 1-4",
        f"{ties}, line 3, column 'target': value is missing",
    ]


@pytest.mark.parametrize(
    ("column", "bad", "good"),
    [(name, f"{high + 0.5:g}", f"{low:g}") for name, (low, high) in sorted(RATING_RANGES.items())]
    + [("trust_reliability", "0.99", "1"), ("level", "-1", "0"), ("value_resources", "inf", "4")],
)
def test_each_rating_column_has_its_range(tmp_path: Path, column: str, bad: str, good: str) -> None:
    low, high = RATING_RANGES[column]
    ties = write(tmp_path, "t.csv", f"source,target,{column}\na,b,{good}\nb,a,{bad}\n")
    assert problems_of(lambda: load_network(ties)) == [
        f"{ties}, line 3, column '{column}': {bad} is outside {low:g}-{high:g}"
    ]


def test_node_problems_duplicates_blanks_and_flags(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\na,b\n")
    nodes = write(tmp_path, "n.csv", "id,responded\na,1\n,no\n a ,maybe\nb,\n")
    assert problems_of(lambda: load_network(ties, nodes)) == [
        f"{nodes}, line 3, column 'id': value is missing",
        f"{nodes}, line 4, column 'id': id 'a' appears more than once",
        f"{nodes}, line 4, column 'responded': 'maybe' is not yes/no (use 1/0, true/false or yes/no)",
        f"{nodes}, line 5, column 'responded': None is not yes/no (use 1/0, true/false or yes/no)",
    ]


def test_ties_problems_come_before_reading_nodes(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\na,\n")
    assert problems_of(lambda: load_network(ties, tmp_path / "missing.csv")) == [
        f"{ties}, line 2, column 'target': value is missing"
    ]


def test_field_counts_unquoted_and_quoted(tmp_path: Path) -> None:
    plain = write(tmp_path, "p.csv", "source,target\na,b,c\nb\n\na,b\n")
    assert problems_of(lambda: load_network(plain)) == [
        f"{plain}, line 2: expected 2 fields as in the header, found 3",
        f"{plain}, line 3: expected 2 fields as in the header, found 1",
    ]
    quoted = write(tmp_path, "q.csv", 'source,target\n"a,1",b\n"b\nc",a,x\n')
    assert problems_of(lambda: load_network(quoted)) == [
        f"{quoted}, line 3: expected 2 fields as in the header, found 3"
    ]


def test_a_quoted_line_break_keeps_rows_in_order(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", 'source,target\n"a\nb",c\nc,d\n')
    frame, lines = read_table(ties, required=("source",))
    assert frame["source"].to_list() == ["a\nb", "c"]
    assert lines.tolist() == [2, 4]


def test_the_bounded_reader_speaks_first(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\na,b\n")
    (problem,) = problems_of(lambda: load_network(ties, limits=Limits(max_bytes=10)))
    assert problem.startswith(f"{ties}: ") and "10 bytes" in problem
    control = write(tmp_path, "c.csv", "source,target\na,b\x07\n")
    assert problems_of(lambda: load_network(control)) == [
        f"{control}, line 2, column 'target': the field holds the control character 7 (0x07), which text cannot contain"
    ]
    empty = write(tmp_path, "e.csv", "")
    (problem,) = problems_of(lambda: load_network(empty))
    assert problem.startswith(f"{empty}: ") and "empty" in problem


def test_problems_are_capped_with_a_count(tmp_path: Path) -> None:
    rows = "".join("a,\n" for _ in range(MAX_PROBLEMS + 7))
    ties = write(tmp_path, "t.csv", "source,target\n" + rows)
    problems = problems_of(lambda: load_network(ties))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == f"{ties}, line 2, column 'target': value is missing"
    assert problems[MAX_PROBLEMS - 1] == f"{ties}, line {MAX_PROBLEMS + 1}, column 'target': value is missing"
    assert problems[-1] == "and 7 more problems"
    wide = write(tmp_path, "w.csv", "source,target\n" + "a,b,c\n" * (MAX_PROBLEMS + 1))
    assert problems_of(lambda: load_network(wide))[-1] == "and 1 more problem"


def test_caps_hold_when_several_columns_are_wrong(tmp_path: Path) -> None:
    rows = "".join(",,9\n" for _ in range(MAX_PROBLEMS))
    ties = write(tmp_path, "t.csv", "source,target,trust_reliability\n" + rows)
    problems = problems_of(lambda: load_network(ties))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[:3] == [
        f"{ties}, line 2, column 'source': value is missing",
        f"{ties}, line 2, column 'target': value is missing",
        f"{ties}, line 2, column 'trust_reliability': 9 is outside 1-4",
    ]
    assert problems[-1] == f"and {3 * MAX_PROBLEMS - MAX_PROBLEMS:,} more problems"


# ---- the reference: the same rules read with the csv module -------------------------------------------------


def _reference_problems(path: Path, text: str) -> list[str]:
    """Field counts, then (if none) missing source/target and trust_reliability outside 1-4, in line-then-column order."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    found: list[tuple[int, int, str]] = []
    for number, row in enumerate(rows[1:], start=2):
        if row and len(row) != len(header):
            found.append(
                (
                    number,
                    0,
                    f"{path}, line {number}: expected {len(header)} fields as in the header, found {len(row)}",
                )
            )
    if found:
        return [m for _n, _o, m in found]
    for number, row in enumerate(rows[1:], start=2):
        if not row or all(v == "" for v in row):
            continue
        for order, name in enumerate(header):
            value = row[order].strip()
            if name in ("source", "target") and value == "":
                found.append((number, order, f"{path}, line {number}, column '{name}': value is missing"))
            if name == "trust_reliability" and value != "":
                try:
                    number_value = float(value)
                except ValueError:
                    found.append(
                        (
                            number,
                            order,
                            f"{path}, line {number}, column '{name}': {row[order]!r} is not a number",
                        )
                    )
                    continue
                if not 1 <= number_value <= 4:
                    found.append(
                        (number, order, f"{path}, line {number}, column '{name}': {value} is outside 1-4")
                    )
    return [m for _n, _o, m in sorted(found)]


cell = st.sampled_from(["", "a", "b", " c ", "1", "2.5", "4", "0", "5", "x"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    columns=st.permutations(["source", "target", "trust_reliability"]),
    rows=st.lists(st.lists(cell, min_size=0, max_size=4), min_size=1, max_size=12),
)
def test_problems_agree_with_the_reference(tmp_path: Path, columns: list[str], rows: list[list[str]]) -> None:
    text = ",".join(columns) + "\n" + "".join(",".join(row) + "\n" for row in rows)
    path = write(tmp_path, "t.csv", text)
    body_rows = [row for row in rows if row and any(v != "" for v in row)]
    if not "".join(",".join(row) for row in rows).strip(" ,"):  # nothing but separators below the header
        expected = [f"{path}, line 2: the file has a header row but no data rows below it"]
    else:
        expected = _reference_problems(path, text)
    if expected:
        assert problems_of(lambda: load_network(path)) == expected[:MAX_PROBLEMS]
    else:
        assert len(load_network(path).source) == len(body_rows)


# ---- the organisations table and the report ------------------------------------------------------------------


def test_the_organisations_frame_and_report(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target,trust_reliability,value_power\na,b,4,2\nb,a,2,\nc,a,1,1\n")
    nodes = write(tmp_path, "n.csv", "id,name,sector,responded\na,Ay,nhs,1\nb,Bee,council,0\nd,Dee,,no\n")
    data = load_network(ties, nodes)
    n = len(data.ids)
    metrics = analyse_network(
        n, merge_ties(n, data.source, data.target, data.items), sector=data.sector_codes
    )
    frame = organisations_frame(data, metrics)
    assert frame.columns == [
        "id",
        "name",
        "sector",
        "in_degree",
        "out_degree",
        "betweenness",
        "closeness",
        "trust",
        "value",
        "responded",
    ]
    assert frame["id"].to_list() == ["a", "b", "d", "c"]
    assert frame["name"].to_list() == ["Ay", "Bee", "Dee", None]
    assert frame["in_degree"].to_list() == [2, 1, 0, 0]
    assert frame["trust"].to_list() == [1.5, 4.0, None, None]  # received; NaN becomes null
    assert frame["responded"].to_list() == [True, False, False, False]
    report = network_report(data, metrics)
    assert report["network"]["response_rate"] == 0.25  # type: ignore[index]
    assert report["network"]["non_respondents"] == 3  # type: ignore[index]
    assert report["organisations"][3] == frame.row(3, named=True)  # type: ignore[index]


def test_the_report_without_nodes_has_no_response_figures(tmp_path: Path) -> None:
    data = load_network(write(tmp_path, "t.csv", "source,target\na,b\n"))
    metrics = analyse_network(2, merge_ties(2, data.source, data.target, data.items))
    report = network_report(data, metrics)
    assert "response_rate" not in report["network"]  # type: ignore[operator]
    frame = organisations_frame(data, metrics)
    assert "responded" not in frame.columns
    assert frame["name"].to_list() == [None, None] and frame["trust"].to_list() == [None, None]
    assert frame.schema["name"] == pl.String and frame.schema["sector"] == pl.String


# ---- edges found by mutation testing (docs/testing.md): each expectation worked out by hand ------------------


def test_the_exception_text_is_the_problems_one_a_line(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\n,b\na,\n")
    with pytest.raises(NetworkInputError) as caught:
        load_network(ties)
    assert str(caught.value) == (
        f"{ties}, line 2, column 'source': value is missing\n{ties}, line 3, column 'target': value is missing"
    )


def test_a_last_line_without_a_line_break_is_checked_too(tmp_path: Path) -> None:
    short = write(tmp_path, "s.csv", "source,target\na,b\nc")
    assert problems_of(lambda: load_network(short)) == [
        f"{short}, line 3: expected 2 fields as in the header, found 1"
    ]
    long = write(tmp_path, "l.csv", "source,target\na,b\nc,d,e")
    assert problems_of(lambda: load_network(long)) == [
        f"{long}, line 3: expected 2 fields as in the header, found 3"
    ]
    # a one-letter header: the file's second byte is its first line break
    tiny = write(tmp_path, "x.csv", "x\na\nb,c")
    assert problems_of(lambda: read_table(tiny, required=("x",))) == [
        f"{tiny}, line 3: expected 1 fields as in the header, found 2"
    ]
    crlf = write(tmp_path, "c.csv", b"source,target\r\na,b\r\nc,d")
    frame, lines = read_table(crlf, required=("source",))
    assert frame["target"].to_list() == ["b", "d"] and lines.tolist() == [2, 3]


def test_a_missing_id_and_a_bad_flag_on_one_line_are_both_named(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\na,b\n")
    nodes = write(tmp_path, "n.csv", "id,responded\n,maybe\n")
    assert problems_of(lambda: load_network(ties, nodes)) == [
        f"{nodes}, line 2, column 'id': value is missing",
        f"{nodes}, line 2, column 'responded': 'maybe' is not yes/no (use 1/0, true/false or yes/no)",
    ]


def test_two_missing_ids_are_missing_not_duplicates(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\na,b\n")
    # polars reads an empty field as null and " " as text, blank once stripped: neither is an id
    nodes = write(tmp_path, "n.csv", "id,name\n,X\n ,Y\n  ,W\nb,Z\n")
    assert problems_of(lambda: load_network(ties, nodes)) == [
        f"{nodes}, line 2, column 'id': value is missing",
        f"{nodes}, line 3, column 'id': value is missing",
        f"{nodes}, line 4, column 'id': value is missing",
    ]


def test_the_limits_apply_to_the_nodes_file_too(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\na,b\n")  # 18 bytes
    nodes = write(tmp_path, "n.csv", "id,name\na,Alpha Trust\nb,Beta Council\n")  # 37 bytes
    (problem,) = problems_of(lambda: load_network(ties, nodes, limits=Limits(max_bytes=30)))
    assert problem.startswith(f"{nodes}: the file is larger than 30 bytes")


def test_the_row_limit_applies_to_csv_and_parquet(tmp_path: Path) -> None:
    hint = "(to allow more, use --max-rows on the command line; see docs/limits.md)"
    ties = write(tmp_path, "t.csv", "source,target\na,b\nb,a\n")
    (problem,) = problems_of(lambda: load_network(ties, limits=Limits(max_rows=1)))
    assert problem.startswith(f"{ties}") and "1 row" in problem and problem.endswith(hint)
    path = tmp_path / "t.parquet"
    pl.DataFrame({"source": ["a", "b"], "target": ["b", "a"]}).write_parquet(path)
    assert problems_of(lambda: load_network(path, limits=Limits(max_rows=1))) == [
        f"{path}: the file has 2 rows; at most 1 are read {hint}"
    ]


def test_a_large_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import tracemalloc

    ties = write(tmp_path, "t.csv", b"source,target\n" + b"aaaaaaaa,bbbbbbbb\n" * 600_000)  # about 11 MB
    tracemalloc.start()
    try:
        (problem,) = problems_of(lambda: load_network(ties, limits=Limits(max_bytes=1_000_000)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem.startswith(f"{ties}: the file is larger than")
    assert peak < 2_000_000  # the size is looked at first; the 11 MB are never read


def test_a_gzipped_csv_is_read_when_its_name_says_so(tmp_path: Path) -> None:
    import gzip

    ties = write(tmp_path, "t.csv.gz", gzip.compress(b"source,target\na,b\nb,c\n"))
    assert load_network(ties).ids == ["a", "b", "c"]


def test_a_parquet_file_with_no_rows_or_no_columns(tmp_path: Path) -> None:
    empty = tmp_path / "e.parquet"
    pl.DataFrame(
        {"source": [], "target": []}, schema={"source": pl.String, "target": pl.String}
    ).write_parquet(empty)
    with pytest.raises(NetworkInputError) as caught:
        load_network(empty)
    # line 2 of a CSV is the first data row; in Parquet words that is row 1
    assert caught.value.problems == [f"{empty}, row 1: the file has a header row but no rows of data"]
    assert caught.value.line == 2
    nodes = write(tmp_path, "n.csv", "id\na\n")
    assert load_network(empty, nodes).ids == ["a"]  # beside a nodes file, no ties is an answer
    bare = tmp_path / "b.parquet"
    pl.DataFrame().write_parquet(bare)
    assert problems_of(lambda: load_network(bare)) == [
        f"{bare}, row 0, column 'source': missing column(s) source, target (found: none)"
    ]


def test_every_missing_column_is_named(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "from,to\na,b\n")
    assert problems_of(lambda: load_network(ties)) == [
        f"{ties}, line 1, column 'source': missing column(s) source, target (found: from, to)"
    ]


def test_a_csv_polars_cannot_read_is_named(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", 'source,target\n"a"b,c\n')  # text after a closing quote
    (problem,) = problems_of(lambda: load_network(ties))
    assert problem.startswith(f"{ties}: cannot read CSV: ")


def test_rows_polars_splits_differently_fall_back_to_row_order(tmp_path: Path) -> None:
    # The csv module reads one row here (the CRLF is inside a quoted field), polars two, split at the CRLF:
    # `"aa"aa"a,"` on line 2 and `a` on line 3, neither with a target. The rows are named by their order.
    ties = write(tmp_path, "t.csv", b'source,target\n"aa"aa"a,"\r\na\n')
    assert problems_of(lambda: load_network(ties)) == [
        f"{ties}, line 2, column 'target': value is missing",
        f"{ties}, line 3, column 'target': value is missing",
    ]


def test_quoted_field_count_problems_are_capped_with_a_count(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\n" + '"a",b,c\n' * (MAX_PROBLEMS + 3))
    problems = problems_of(lambda: load_network(ties))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == f"{ties}, line 2: expected 2 fields as in the header, found 3"
    assert (
        problems[MAX_PROBLEMS - 1]
        == f"{ties}, line {MAX_PROBLEMS + 1}: expected 2 fields as in the header, found 3"
    )
    assert problems[-1] == "and 3 more problems"


def test_a_quoted_field_longer_than_the_csv_module_reads_is_named(tmp_path: Path) -> None:
    # Python's csv module stops at 131,072 characters in a field (csv.field_size_limit()).
    ties = write(tmp_path, "t.csv", 'source,target\na,b\n"' + "x" * 131_073 + '",b\n')
    assert problems_of(lambda: load_network(ties)) == [
        f"{ties}, line 3: field larger than field limit (131072)"
    ]


def test_a_quoted_header_alone_gives_no_lines(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", '"source",target\n')
    frame, lines = read_table(ties, required=("source",), require_rows=False)
    assert frame.height == 0 and lines.dtype == np.int64 and lines.tolist() == []


def test_ids_and_ratings_stay_as_written(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target,trust_reliability\n007,1.0,  \n1.0,007,2\n")
    data = load_network(ties)
    assert data.ids == ["007", "1.0"]  # text, not numbers: "007" and "7" are different organisations
    assert math.isnan(data.items["trust_reliability"][0])  # spaces only: blank, not "not a number"
    assert data.items["trust_reliability"][1] == 2.0


def test_the_organisations_frame_keeps_sectors_and_number_types(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\na,b\nc,a\n")
    nodes = write(tmp_path, "n.csv", "id,sector\na,nhs\nb,council\n")
    data = load_network(ties, nodes)
    metrics = analyse_network(3, merge_ties(3, data.source, data.target, data.items))
    frame = organisations_frame(data, metrics)
    assert frame["id"].to_list() == ["a", "b", "c"]
    assert frame["sector"].to_list() == ["nhs", "council", None]
    assert frame["name"].to_list() == [None, None, None]
    # no rating columns: trust and value are empty number columns, not columns of nothing
    assert frame.schema["trust"] == pl.Float64 and frame.schema["value"] == pl.Float64
    assert frame["trust"].to_list() == [None, None, None] and frame["value"].to_list() == [None, None, None]


def test_damaged_text_inside_a_parquet_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    ids = [f"org{n:03}" for n in range(200)]  # distinct, so written as plain text, not a dictionary
    pl.DataFrame({"source": ids, "target": ids[::-1]}).write_parquet(path, compression="uncompressed")
    data = path.read_bytes()
    assert data.count(b"org123") == 2  # once in each column
    path.write_bytes(data.replace(b"org123", b"org\xff23"))  # no longer UTF-8; the file's layout is intact
    (problem,) = problems_of(lambda: load_network(path))
    assert problem.startswith(f"{path}: cannot read Parquet: ") and "UTF-8" in problem


def test_the_value_received_is_the_mean_of_the_ratings_given(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target,value_power\na,b,2\nb,a,\nc,a,1\nc,b,4\n")
    data = load_network(ties)
    n = len(data.ids)
    metrics = analyse_network(n, merge_ties(n, data.source, data.target, data.items))
    frame = organisations_frame(data, metrics)
    assert frame["id"].to_list() == ["a", "b", "c"]
    # a: from b (blank, not counted) and c (1) -> 1.0; b: from a (2) and c (4) -> 3.0; c: nobody -> null
    assert frame["value"].to_list() == [1.0, 3.0, None]
    assert frame["trust"].to_list() == [None, None, None]


def test_a_nodes_file_needs_rows_even_when_ties_has_none(tmp_path: Path) -> None:
    ties = write(tmp_path, "t.csv", "source,target\na,b\n")
    nodes = write(tmp_path, "n.csv", "id,name\n")
    assert problems_of(lambda: load_network(ties, nodes)) == [
        f"{nodes}, line 2: the file has a header row but no data rows below it"
    ]
    frame, lines = read_table(nodes, required=("id",), require_rows=False)
    assert frame.height == 0 and lines.tolist() == []
