"""`joinedup indicator spc`'s plain-Python half (analysis/spc_cli.py): the outputs and every refusal, without Django.

The command itself (Django's and the lean path, exit codes, help) is tested in tests/outcomes/test_indicator_command.py.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from joinedup.analysis.reading import MAX_PROBLEMS
from joinedup.analysis.spc_cli import (
    SPC_DESCRIPTION,
    SPC_HELP,
    SpcFailure,
    add_arguments,
    spc_file,
    spc_parser,
)

# Four steady quarters, then a jump (outside the limits) and, after a rebase, a new level.
SERIES = """period,value,rebase
2023-Q1,10,
2023-Q2,12,0
2023-Q3,11,
2023-Q4,13,
2024-Q1,30,
2024-Q2,20,1
2024-Q3,22,
"""


def run(path: Path, *args: str) -> str:
    options = vars(spc_parser().parse_args([str(path), *args]))
    output, ending = spc_file(options)
    return output + ending


def refusal(tmp_path: Path, text: str | bytes, *args: str, name: str = "series.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(SpcFailure) as raised:
        run(path, *args)
    assert raised.value.returncode == 2
    return str(raised.value)


@pytest.fixture
def series(tmp_path: Path) -> Path:
    path = tmp_path / "series.csv"
    path.write_text(SERIES)
    return path


def test_json_has_exactly_the_documented_shape(series: Path) -> None:
    report = json.loads(run(series, "--direction", "increase", "--target", "40"))
    assert list(report) == ["direction", "points", "variation", "assurance"]
    assert report["direction"] == "increase"
    assert [list(p) for p in report["points"]] == [
        ["period", "value", "mean", "lpl", "upl", "rule", "point_type"]
    ] * 7
    first, jump, rebased = report["points"][0], report["points"][4], report["points"][5]
    # Group 1: 10, 12, 11, 13, 30: mean 15.2; moving ranges 2, 1, 2, 17: mean 5.5; limits 15.2 ± 14.63.
    assert first == {
        "period": "2023-Q1",
        "value": 10.0,
        "mean": pytest.approx(15.2),
        "lpl": pytest.approx(15.2 - 2.66 * 5.5),
        "upl": pytest.approx(15.2 + 2.66 * 5.5),
        "rule": None,
        "point_type": "common_cause",
    }
    assert (jump["rule"], jump["point_type"]) == ("outside_limits", "special_cause_improvement")
    # Group 2: 20, 22: mean 21, mean moving range 2, limits 21 ± 5.32; the target 40 is above them.
    assert (rebased["mean"], rebased["lpl"], rebased["upl"]) == pytest.approx((21, 21 - 5.32, 21 + 5.32))
    assert report["variation"] == "common_cause"
    assert report["assurance"] == "consistent_fail"


def test_json_without_a_target_or_direction_has_nulls(series: Path) -> None:
    report = json.loads(run(series))
    assert report["direction"] == "neutral"
    assert report["assurance"] is None
    assert report["points"][4]["point_type"] == "special_cause_neutral_high"
    assert json.loads(run(series, "--target", "40"))["assurance"] is None  # neutral: no assurance


def test_options_reach_the_reading(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("period,value\n" + "".join(f"{i},{v}\n" for i, v in enumerate([0, 4, 0, 4, 50, 60])))
    fixed = json.loads(run(path, "--fix-after", "4", "--direction", "decrease"))
    assert [p["rule"] for p in fixed["points"]][-2:] == ["outside_limits"] * 2
    assert fixed["points"][0]["mean"] == 2
    assert json.loads(run(path, "--fix-after", "2"))["points"][0]["mean"] == 2  # 2 is the fewest allowed
    assert fixed["variation"] == "special_cause_concern"
    plain = json.loads(run(path))["points"][0]["upl"]
    screened = json.loads(run(path, "--screen-outliers"))["points"][0]["upl"]
    assert screened < plain  # the jump to 50 is left out of the moving ranges


def test_csv_is_one_row_per_point_with_empty_cells_for_null(series: Path, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run(series, "--format", "csv"))))
    assert list(rows[0]) == ["period", "value", "mean", "lpl", "upl", "rule", "point_type"]
    assert [r["period"] for r in rows] == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
    ]
    assert rows[0]["rule"] == "" and rows[4]["rule"] == "outside_limits"
    assert "\r" not in run(series, "--format", "csv")  # lines end as the JSON's and text's do
    assert float(rows[5]["mean"]) == 21
    single = tmp_path / "single.csv"
    single.write_text("period,value,rebase\n=HYPERLINK(1),1,\nb,2,\nc,3,1\n")
    rows = list(csv.DictReader(io.StringIO(run(single, "--format", "csv"))))
    assert rows[0]["period"] == "'=HYPERLINK(1)"  # safe to open in a spreadsheet
    assert (rows[2]["lpl"], rows[2]["upl"], rows[2]["mean"]) == ("", "", "3.0")


TEXT = """Improvement direction: increase
Variation (the last point): common cause: no sign of change beyond the usual ups and downs
Assurance against the target 40: the target will be missed every time unless the process changes

Group 1: 2023-Q1 to 2024-Q1 (5 points)
  mean 15.2
  process limits 0.57 to 29.83
  provisional limits: from 5 points (fewer than 12)

Group 2: 2024-Q2 to 2024-Q3 (2 points)
  mean 21
  process limits 15.68 to 26.32
  provisional limits: from 2 points (fewer than 12)

period          value  rule                  point type
2023-Q1            10  –                     common cause
2023-Q2            12  –                     common cause
2023-Q3            11  –                     common cause
2023-Q4            13  –                     common cause
2024-Q1            30  outside the limits    special cause improvement
2024-Q2            20  –                     common cause
2024-Q3            22  –                     common cause
"""


def test_text_says_what_the_reading_means(series: Path) -> None:
    # Worked by hand: group 1 limits 15.2 ± 2.66 × 5.5, group 2 21 ± 2.66 × 2 (as in the JSON test above).
    assert run(series, "--direction", "increase", "--target", "40", "--format", "text") == TEXT


@pytest.mark.parametrize(
    ("args", "line"),
    [
        ((), "Assurance: none (it needs a target and an increase or decrease direction)"),
        (("--target", "40"), "Assurance: none (it needs a target and an increase or decrease direction)"),
        (("--direction", "increase"), "Assurance: none (it needs a target and an increase or decrease direction)"),
        (("--direction", "decrease", "--target", "20"), "Assurance against the target 20: hit and miss: the "
         "target lies within the limits, so it will sometimes be met and sometimes not"),
        (("--direction", "decrease", "--target", "30"), "Assurance against the target 30: the target will be met "
         "every time while the process stays as it is"),
    ],
    ids=["neutral", "neutral-target", "no-target", "inconsistent", "pass"],
)  # fmt: skip
def test_text_says_why_there_is_no_assurance(series: Path, args: tuple[str, ...], line: str) -> None:
    assert run(series, *args, "--format", "text").splitlines()[2] == line


def test_text_names_a_group_without_limits(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("period,value,rebase\na,1,\nb,2,\nc,9,1\nd,4,1\ne,6,\n")
    lines = run(path, "--direction", "neutral", "--format", "text").splitlines()
    assert lines[1:3] == ["Variation (the last point): common cause: no sign of change beyond the usual ups and downs",
                          "Assurance: none (it needs a target and an increase or decrease direction)"]  # fmt: skip
    assert lines[9:12] == [
        "Group 2: c to c (1 point)",
        "  mean 9",
        "  no limits (they need at least 2 points)",
    ]
    assert lines[13:16] == ["Group 3: d to e (2 points)", "  mean 5", "  process limits -0.32 to 10.32"]
    path.write_text("period,value,rebase\na,1,\nb,2,\nc,9,1\n")
    last = run(path, "--direction", "increase", "--target", "5", "--format", "text")
    assert last.splitlines()[2] == "Assurance: none (the last group has too few points for limits)"


def test_text_neutral_types_are_higher_and_lower(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("period,value\n" + "".join(f"p{i},{v}\n" for i, v in enumerate([0, 4, 0, 4, 40])))
    lines = run(path, "--fix-after", "4", "--format", "text").splitlines()
    assert lines[1] == "Variation (the last point): special cause, higher: a change upwards"
    assert lines[-1] == "p4                40  outside the limits    special cause neutral high"


def test_numbers_signs_exponents_and_spaces_are_read(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text('period,value\n a ,  -1.5 \nb,+2\nc,1e1\n"d, quoted",.5\n')
    points = json.loads(run(path))["points"]
    assert [(p["period"], p["value"]) for p in points] == [
        ("a", -1.5),
        ("b", 2.0),
        ("c", 10.0),
        ("d, quoted", 0.5),
    ]


def test_blank_lines_are_skipped_and_crlf_read(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"period,value\r\na,1\r\n\r\n,\r\nb,2\r\n")
    assert [p["period"] for p in json.loads(run(path))["points"]] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("period,amount\na,1\n", ["row 1, column amount: unknown column", "row 1, column value: the column is missing"]),
        ("value\n1\n2\n", ["row 1, column period: the column is missing"]),
        ("period,value,value\na,1,1\n", ["row 1, column value: the column name appears twice"]),
        ("period,value,\na,1,\n", ["row 1, column 3: the column has no name"]),
        ("period,value\na,1\nb,lots\nc,2\n", ["row 3, column value: 'lots' is not a number"]),
        ("period,value\na,1\nb,\n", ["row 3, column value: the value is missing"]),
        ("period,value\na,1\n,2\n", ["row 3, column period: the period is missing"]),
        ("period,value\na,1\nb,2\na,3\n", ["row 4, column period: 'a' appears more than once (first in row 2)"]),
        ("period,value\na,1\nb,nan\nc,inf\nd,1_000\ne,1,5\n", [
            "row 3, column value: 'nan' is not a number",
            "row 4, column value: 'inf' is not a number",
            "row 5, column value: '1_000' is not a number",
            "row 6: malformed row: 3 fields where the header has 2",
        ]),
        ("period,value\na,1\nb,1e308\nc,-2e150\nd,1e150\n", [
            "row 3, column value: 1e308 is too large (the limit is 1e+150 either way)",
            "row 4, column value: -2e150 is too large (the limit is 1e+150 either way)",
        ]),
        ("period,value,rebase\na,1,\nb,2,yes\n", ["row 3, column rebase: 'yes' is not 0 or 1"]),
        ("period,value\na,1\nb\n", ["row 3: malformed row: 1 field where the header has 2"]),
        ('period,value\n"a\nwith a line break",1\nb,x\n', ["row 4, column value: 'x' is not a number"]),
        ("period,value\na,1\n", ["the series has 1 point; an XmR chart needs at least 2"]),
    ],
    ids=[
        "unknown-column", "no-period", "column-twice", "unnamed-column", "not-a-number", "no-value", "no-period-value",
        "period-twice", "many-problems", "too-large", "bad-rebase", "too-few-fields", "quoted-line-break", "one-point",
    ],
)  # fmt: skip
def test_every_problem_is_listed_by_row_and_column(tmp_path: Path, text: str, problems: list[str]) -> None:
    message = refusal(tmp_path, text)
    lines = message.splitlines()
    assert lines[0] == f"{tmp_path / 'series.csv'}:"
    assert len(lines) == 1 + len(problems)
    for line, problem in zip(lines[1:], problems, strict=True):
        assert line.startswith(problem), (line, problem)


def test_problems_are_listed_up_to_a_limit(tmp_path: Path) -> None:
    assert MAX_PROBLEMS == 50  # the first 50, then how many more, as docs/cli.md says
    rows = "".join(f"p{i},x{i}\n" for i in range(MAX_PROBLEMS + 7))
    lines = refusal(tmp_path, "period,value\n" + rows).splitlines()
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[1] == "row 2, column value: 'x0' is not a number"
    assert (
        lines[MAX_PROBLEMS] == f"row {MAX_PROBLEMS + 1}, column value: 'x{MAX_PROBLEMS - 1}' is not a number"
    )
    assert lines[-1] == "and 7 more problems"
    one_more = "".join(f"p{i},x\n" for i in range(MAX_PROBLEMS + 1))
    assert refusal(tmp_path, "period,value\n" + one_more).splitlines()[-1] == "and 1 more problem"
    two_more = "".join(f"p{i},x\n" for i in range(MAX_PROBLEMS + 2))
    assert refusal(tmp_path, "period,value\n" + two_more).splitlines()[-1] == "and 2 more problems"
    exactly = "".join(f"p{i},x\n" for i in range(MAX_PROBLEMS))
    assert "more problem" not in refusal(tmp_path, "period,value\n" + exactly)


@pytest.mark.parametrize(
    ("content", "args", "problem"),
    [
        (b"", (), "the file is empty"),
        (b"period,value\n", (), "row 2: the file has a header row but no data rows below it"),
        ("period,value\na,1\n".encode("utf-16"), (), "the file is UTF-16 (little-endian) text, not UTF-8"),
        (b"period,value\na,1\x00\n", (), "row 2, column value: the field holds a NUL byte"),
        (b"period,value\na,\xff\n", (), "row 2: the text is not UTF-8"),
        (gzip.compress(b"period,value\na,1\n", mtime=0), (), "the file is gzip-compressed, not text"),
        (b"period,value\na,1\nb,2\nc,3\n", ("--max-rows", "2"), "the file has more than 2 rows (to allow more, use --max-rows"),
    ],
    ids=["empty", "header-only", "utf-16", "nul", "not-utf-8", "gzip-undeclared", "max-rows"],
)  # fmt: skip
def test_the_bounded_reader_refuses_bad_files(
    tmp_path: Path, content: bytes, args: tuple[str, ...], problem: str
) -> None:
    assert refusal(tmp_path, content, *args).splitlines()[1].startswith(problem)


def test_declared_gzip_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.csv.gz"
    path.write_bytes(gzip.compress(b"period,value\na,1\nb,2\n"))
    assert len(json.loads(run(path))["points"]) == 2


def test_a_missing_file_or_a_folder_is_a_message(tmp_path: Path) -> None:
    with pytest.raises(SpcFailure, match=r"nope.csv: cannot read: file not found"):
        run(tmp_path / "nope.csv")
    with pytest.raises(SpcFailure, match=r"cannot read: Is a directory"):
        run(tmp_path)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--direction", "up"], "invalid choice: 'up'"),
        (["--target", "x"], "'x' is not a number"),
        (["--target", "nan"], "'nan' is not a number"),
        (["--fix-after", "1"], "must be a whole number of at least 2, not '1'"),
        (["--fix-after", "two"], "must be a whole number of at least 2"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        ([], "the following arguments are required: SERIES.csv"),
    ],
    ids=["direction", "target-text", "target-nan", "fix-after-1", "fix-after-text", "format", "no-file"],
)
def test_bad_arguments_are_refused(args: list[str], error: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        spc_parser().parse_args(["series.csv", *args] if args else [])
    assert raised.value.code == 2
    assert error in capsys.readouterr().err


HELP = """Read a series as NHS England's Making Data Count does: an XmR chart (mean, process limits), the
special-cause rules (outside the limits, 7-point trend, two of three near the limits, 7-point
shift), each point's type, the series' variation and, with a target, its assurance. SERIES is a
CSV file with columns period,value and an optional rebase column (1 marks the first point of a new
group).

positional arguments:
  SERIES.csv            the series: period,value[,rebase]

options:
  -h, --help            show this help message and exit
  --direction {increase,decrease,neutral}
                        which way is better: increase, decrease, or neutral (default: neutral, no
                        good or bad)
  --target X            a target value, for the assurance (none with a neutral direction)
  --fix-after N         compute each group's mean and limits from its first N points only (at
                        least 2)
  --screen-outliers     leave moving ranges of at least 3.267 times their mean out of the limits
                        (off by default)
  --format {json,csv,text}
                        json (default), csv (one row per point) or text (in words, with a table of
                        the points)

"""


def test_help_says_what_each_option_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps to the terminal's width
    text = spc_parser().format_help()
    assert text.startswith("usage: joinedup indicator spc [-h] [--direction {increase,decrease,neutral}]")
    assert text[text.index("Read a series") : text.index("limits (see docs/limits.md):")] == HELP
    assert "--max-rows N" in text  # the bounded readers' flags follow


def test_json_is_indented_and_output_ends_with_one_line_break(series: Path) -> None:
    assert run(series).startswith(
        '{\n  "direction": "neutral",\n  "points": [\n    {\n      "period": "2023-Q1",'
    )
    assert run(series).endswith("}\n") and not run(series).endswith("\n\n")
    assert run(series, "--format", "csv").endswith("common_cause\n")


def test_a_field_too_long_for_the_csv_module_is_a_message(tmp_path: Path) -> None:
    message = refusal(tmp_path, "period,value\n" + "a" * 200_000 + ",1\nb,2\n")
    assert message.splitlines()[1].startswith(
        "the file could not be read as CSV (field larger than field limit"
    )


def test_a_file_of_empty_quoted_rows_has_no_points(tmp_path: Path) -> None:
    message = refusal(tmp_path, 'period,value\n"",""\n"",""\n')
    assert message.splitlines()[1] == "the series has 0 points; an XmR chart needs at least 2"


def test_the_indicator_command_offers_spc_with_the_same_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    parser = argparse.ArgumentParser(prog="joinedup indicator")
    add_arguments(parser)  # what the management command adds under `joinedup indicator`
    assert parser.format_usage() == "usage: joinedup indicator [-h] {spc} ...\n"
    assert f"    spc       {SPC_HELP}" in parser.format_help()
    options = vars(parser.parse_args(["spc", "s.csv", "--direction", "increase", "--fix-after", "3"]))
    assert options == {
        **vars(spc_parser().parse_args(["s.csv", "--direction", "increase", "--fix-after", "3"])),
        "action": "spc",
    }
    with pytest.raises(SystemExit):
        parser.parse_args([])  # the action is required
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["spc"]
    assert sub.description == SPC_DESCRIPTION
    assert sub.format_help()[sub.format_help().index("Read a series") :].startswith(HELP)
