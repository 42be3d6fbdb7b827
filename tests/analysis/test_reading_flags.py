"""The commands' `--max-*` flags (analysis/reading.py): what they accept, what they refuse and say, what
`--help` shows, and the limits a command ends up with; and `read_bytes`, which every command's file goes
through first."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from joinedup.analysis.reading import (
    DEFAULT_LIMITS,
    MB,
    FileReadError,
    Limits,
    add_limit_arguments,
    count,
    limits_from,
    read_bytes,
    size,
)


def parser() -> argparse.ArgumentParser:
    made = argparse.ArgumentParser(prog="joinedup network analyse", exit_on_error=False)
    add_limit_arguments(made)
    return made


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("2", 2),
        ("1024", 1024),
        ("1K", 1024),
        ("3k", 3 * 1024),
        ("500M", 500 * MB),
        ("500m", 500 * MB),
        ("2G", 2 * 1024 * MB),
        (" 2 GB ", 2 * 1024 * MB),
        ("64KB", 64 * 1024),
        ("7B", 7),
    ],
)
def test_a_size_is_a_whole_number_with_an_optional_unit(text: str, expected: int) -> None:
    assert size(text) == expected


@pytest.mark.parametrize("text", ["0", "0M", "", "M", "1.5G", "-1", "1T", "10 MiB", "ten"])
def test_anything_else_is_not_a_size(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        size(text)
    assert str(raised.value) == f"{text!r} is not a size (a whole number, optionally with K, M or G)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("2", 2),
        ("500", 500),
        ("1,000", 1000),
        ("2_000_000", 2_000_000),
        ("1__000", 1000),
        ("3,000,000", 3_000_000),
    ],
)
def test_a_count_may_be_written_with_thousands_separators(text: str, expected: int) -> None:
    assert count(text) == expected


@pytest.mark.parametrize("text", ["0", "-5", "x", "", "1.5", "1K"])
def test_a_count_under_one_or_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        count(text)
    assert str(raised.value) == f"must be a whole number of at least 1, not {text!r}"


def test_the_flags_set_the_limits_and_the_rest_keep_their_defaults() -> None:
    options = parser().parse_args(
        ["--max-bytes", "2M", "--max-decompressed-bytes", "1G", "--max-rows", "1,000", "--max-columns", "12"]
    )
    limits = limits_from(options)
    assert limits == Limits(max_bytes=2 * MB, max_decompressed_bytes=1024 * MB, max_rows=1000, max_columns=12)
    assert limits_from(parser().parse_args(["--max-cells", "7"])) == Limits(max_cells=7)
    assert limits_from(parser().parse_args([])) == DEFAULT_LIMITS


def test_sizes_and_counts_are_told_apart_by_flag() -> None:
    assert parser().parse_args(["--max-rows", "2_000"]).max_rows == 2000
    with pytest.raises(argparse.ArgumentError, match="must be a whole number of at least 1, not '1K'"):
        parser().parse_args(["--max-columns", "1K"])
    with pytest.raises(argparse.ArgumentError, match="'1,000' is not a size"):
        parser().parse_args(["--max-bytes", "1,000"])
    with pytest.raises(argparse.ArgumentError, match="must be a whole number"):
        parser().parse_args(["--max-cells", "0"])
    with pytest.raises(argparse.ArgumentError, match="is not a size"):
        parser().parse_args(["--max-decompressed-bytes", "lots"])


def test_the_help_lists_each_flag_with_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    shown = " ".join(parser().format_help().split())
    expected = [
        "limits (see docs/limits.md):",
        "--max-bytes SIZE largest file read (default 100M)",
        "--max-decompressed-bytes SIZE largest text after unpacking .csv.gz, or Parquet data (default 200M)",
        "--max-rows N most data rows (default 2,000,000)",
        "--max-columns N most columns (default 500)",
        "--max-cells N most cells of a Parquet file (default 30,000,000)",
    ]
    for line in expected:
        assert line in shown


def test_limits_from_a_dict_or_an_object_without_the_flags() -> None:
    # Django's call_command passes a dict; a flag given as None (not on the command line) keeps the default.
    assert limits_from({"max_rows": 10, "max_bytes": None, "verbosity": 1}) == Limits(max_rows=10)
    assert limits_from({}) == DEFAULT_LIMITS
    assert limits_from(argparse.Namespace(max_cells=99)) == Limits(max_cells=99)
    assert limits_from(object()) == DEFAULT_LIMITS


def test_replace_changes_only_the_limits_given() -> None:
    changed = Limits(max_rows=5, max_yaml_depth=3).replace(max_columns=7, max_rows=None, max_bytes=9)
    assert changed == Limits(max_rows=5, max_yaml_depth=3, max_columns=7, max_bytes=9)
    assert Limits().replace() == Limits()


def test_a_file_is_read_up_to_max_bytes_and_refused_one_byte_over(tmp_path: Path) -> None:
    path = tmp_path / "ties.csv"
    path.write_bytes(b"x" * MB)
    assert read_bytes(path, limits=Limits(max_bytes=MB)) == b"x" * MB
    assert read_bytes(str(path)) == b"x" * MB
    path.write_bytes(b"x" * (2 * MB + 1))
    with pytest.raises(FileReadError) as raised:
        read_bytes(path, limits=Limits(max_bytes=2 * MB))
    assert str(raised.value) == (
        "the file is larger than 2 MB (to allow more, use --max-bytes on the command line; see docs/limits.md)"
    )
    assert (raised.value.line, raised.value.column) == (None, None)
