"""The bounded readers (analysis/reading*.py): each bad-file class gets its plain message, and fuzzed input
gets a FileReadError or a correct result, quickly."""

from __future__ import annotations

import csv
import gzip
import io
import time
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.analysis.reading import MB, FileReadError, Limits, LineChecker, check_text, gunzip_bounded, size
from joinedup.analysis.reading_parquet import check_parquet
from joinedup.analysis.reading_yaml import load_yaml


def refused(data: bytes, **kwargs: object) -> FileReadError:
    with pytest.raises(FileReadError) as raised:
        check_text(data, **kwargs)  # type: ignore[arg-type]
    return raised.value


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"\r\n \r\n", "the file is empty"),
        (b"source,target\n", "a header row but no data rows"),
        (b"source,target\r\r\r", "a header row but no data rows"),
        (b"source;target\nA;B\n", "separated by semicolons"),
        ("source,target\nA,B\n".encode("utf-16-be"), "UTF-16 (big-endian) text without a byte-order mark"),
        ("source,target\nA,B\n".encode("utf-16"), "UTF-16 (little-endian) text, not UTF-8"),
        ("source,target\nA,B\n".encode("utf-32-le"), "UTF-32 (little-endian) text without"),
        (b"\x00" * 4096, "only NUL bytes"),
        (gzip.compress(b"source,target\nA,B\n", mtime=0), "gzip-compressed, not text"),
        (b"PK\x03\x04rest", "zip archive"),
        (b"PAR1....", "Parquet file"),
        (b"source,target\nA,caf\xe9\n", "not UTF-8 (byte 0xE9)"),
    ],
)
def test_each_bad_text_class_is_named_plainly(data: bytes, expected: str) -> None:
    assert expected in str(refused(data, name="ties.csv"))


def test_nul_and_control_characters_are_located_by_line_and_column_name() -> None:
    error = refused(b"source,target,name\nA,B,ok\nC,D,bad\x00name\n")
    assert (error.line, error.column) == (3, "name")
    assert "NUL byte" in error.reason
    error = refused(b"source,target\nA,B\x07\n")
    assert (error.line, error.column) == (2, "target")
    assert "control character 7" in error.reason


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending_reads_the_same(ending: bytes) -> None:
    text = ending.join([b"source,target", b"A,B", b"B,C"]) + ending
    frame = pl.read_csv(io.BytesIO(check_text(text)))
    assert frame.rows() == [("A", "B"), ("B", "C")]


def test_declared_gzip_is_unpacked_and_a_bomb_is_stopped_at_the_cap() -> None:
    assert check_text(gzip.compress(b"a,b\n1,2\n"), name="ties.csv.gz") == b"a,b\n1,2\n"
    bomb = gzip.compress(b"0" * (8 * MB), compresslevel=9)
    assert len(bomb) < 20_000
    with pytest.raises(FileReadError, match="unpacks to more than 4 MB"):
        gunzip_bounded(bomb, limits=Limits(max_decompressed_bytes=4 * MB))
    with pytest.raises(FileReadError, match="cut short"):
        gunzip_bounded(gzip.compress(b"a,b\n1,2\n")[:-12])


def test_rows_and_columns_are_capped_before_parsing() -> None:
    with pytest.raises(FileReadError, match=r"more than 3 rows.*--max-rows"):
        check_text(b"a\n1\n2\n3\n4\n", limits=Limits(max_rows=3))
    check_text(b"a\n1\n2\n3\n", limits=Limits(max_rows=3))
    with pytest.raises(FileReadError, match="4 columns; at most 3"):
        check_text(b"a,b,c,d\n1,2,3,4\n", limits=Limits(max_columns=3))
    with pytest.raises(FileReadError, match="larger than 1 MB"):
        check_text(b"a\n" + b"1\n" * MB, limits=Limits(max_bytes=MB))


def test_the_line_checker_splits_every_ending_across_chunks_and_locates_faults() -> None:
    checker = LineChecker()
    chunks = [b"\xef\xbb\xbfa,b\r", b"\n1,2\r3,4", b"\r", b"\n5,6"]
    assert list(checker.lines(chunks)) == ["a,b\n", "1,2\n", "3,4\n", "5,6\n"]
    with pytest.raises(FileReadError) as raised:
        list(checker.lines([b"a,b\n1,x\x00y\n"]))
    assert (raised.value.line, raised.value.column) == (2, 2)
    with pytest.raises(FileReadError, match="UTF-16"):
        list(checker.lines(["name,sector\nA,nhs\n".encode("utf-16-be")]))
    with pytest.raises(FileReadError, match="more than 2 rows"):
        list(LineChecker(limits=Limits(max_rows=2)).lines([b"h\n1\n2\n3\n"]))


def test_parquet_is_judged_by_its_metadata_and_its_unpacked_text(tmp_path: Path) -> None:
    path = tmp_path / "ties.parquet"
    pl.DataFrame({"source": ["A"] * 1000, "target": ["B"] * 1000}).write_parquet(path)
    check_parquet(path)
    with pytest.raises(FileReadError, match="1,000 rows; at most 999"):
        check_parquet(path, limits=Limits(max_rows=999))
    with pytest.raises(FileReadError, match="2,000 cells; at most 1,999"):
        check_parquet(path, limits=Limits(max_cells=1999))
    # One long string repeated: a few KB on disk (dictionary + run-length), 100 MB once read as text.
    bomb = tmp_path / "bomb.parquet"
    pl.DataFrame({"source": ["x" * 100_000] * 1000, "target": ["B"] * 1000}).write_parquet(bomb)
    assert bomb.stat().st_size < 50_000
    with pytest.raises(FileReadError, match="unpacks to more than 50 MB"):
        check_parquet(bomb, limits=Limits(max_decompressed_bytes=50 * MB))
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"PAR1 not really")
    with pytest.raises(FileReadError, match="cannot be read as Parquet"):
        check_parquet(junk)


ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ALIAS_BOMB, "line 1, column 4: anchors and aliases"),
        ("key: " + "[" * 1000 + "]" * 1000, "nested more than 20 deep"),
        ("key: " + "{a: " * 1000 + "}" * 1000, "nested more than 20 deep"),
        ("key: x\x00y\n", "line 1, column 7: the file holds a NUL byte"),
        ("key: [1,\n", "line 2, column 1: the file is not valid YAML"),
        ("key:\n\t- b", "line 2, column 1: the file is not valid YAML"),
        ("a: !!python/object:os.system x", "is not valid YAML"),
    ],
)
def test_yaml_refusals_name_line_and_column_quickly(text: str, expected: str) -> None:
    started = time.perf_counter()
    with pytest.raises(FileReadError) as raised:
        load_yaml(text)
    assert expected in str(raised.value)
    assert time.perf_counter() - started < 1


def test_yaml_in_utf16_or_too_big_is_refused() -> None:
    with pytest.raises(FileReadError, match="UTF-16"):
        load_yaml("key: value\n".encode("utf-16"))
    with pytest.raises(FileReadError, match="larger than 1 KB"):
        load_yaml(b"a: " + b"x" * 2000, limits=Limits(max_yaml_bytes=1024))
    assert load_yaml(b"\xef\xbb\xbfkey: [1, 2]\n")[1] == {"key": [1, 2]}


def test_sizes_on_the_command_line() -> None:
    assert (size("500M"), size("2G"), size("1024")) == (500 * MB, 2048 * MB, 1024)


# --- fuzzing: a FileReadError or a correct result, in bounded time ------------------------------------

cells = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8) | st.sampled_from(
    ["", "1", "-0", "1e309", "nan", "x" * 200, '"', "a\nb", "\ufeff", "\x00", "\r", "é"]
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "latin-1"])


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    columns = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(cells, min_size=columns, max_size=columns), max_size=6))
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows(
        [[f"c{i}" for i in range(columns)], *rows]
    )
    data = out.getvalue().encode(draw(encodings), errors="replace")
    cut = draw(st.integers(0, len(data)))
    return data[:cut] if draw(st.booleans()) else data


@settings(max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(csv_bytes())
def test_fuzzed_csv_is_refused_plainly_or_read_exactly(data: bytes) -> None:
    try:
        checked = check_text(data, name="fuzz.csv")
    except FileReadError as error:
        assert str(error) and "Traceback" not in str(error)
        return
    text = checked.decode("utf-8")  # what passes is UTF-8 with no control characters and LF/CRLF endings
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text)
    assert "\r" not in text.replace("\r\n", "")
    assert text.lstrip("\ufeff") == text


@st.composite
def yaml_text(draw: st.DrawFn) -> str:
    leaf = st.one_of(st.integers(), st.text(max_size=6), st.booleans(), st.none())
    tree = st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=30,
    )
    import yaml

    text = yaml.safe_dump(draw(tree), allow_unicode=True)
    noise = draw(st.sampled_from(["", "&a ", "*a", "\x00", "[", "{", "\t", ": :", "!!binary x"]))
    at = draw(st.integers(0, len(text)))
    return text[:at] + noise + text[at:]


@settings(max_examples=150, deadline=1000)
@given(yaml_text())
def test_fuzzed_yaml_is_refused_plainly_or_read_safely(text: str) -> None:
    try:
        _node, value = load_yaml(text)
    except FileReadError as error:
        assert str(error)
        return
    assert value is None or isinstance(value, str | int | float | bool | list | dict | bytes)


@st.composite
def parquet_bytes(draw: st.DrawFn) -> bytes:
    n = draw(st.integers(0, 5))
    values = st.one_of(
        st.lists(st.text(max_size=5) | st.none(), min_size=n, max_size=n),
        st.lists(st.integers(-(2**63), 2**63 - 1) | st.none(), min_size=n, max_size=n),
        st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
    columns = draw(
        st.lists(
            st.sampled_from(["source", "target", "trust_mission", "level", "x"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    frame = pl.DataFrame({name: draw(values) for name in columns}, strict=False)
    out = io.BytesIO()
    frame.write_parquet(out)
    data = out.getvalue()
    cut = draw(st.integers(0, len(data)))
    return data[:cut] if draw(st.booleans()) else data


@settings(
    max_examples=60,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=parquet_bytes())
def test_fuzzed_parquet_is_refused_plainly_or_read(data: bytes, tmp_path: Path) -> None:
    from joinedup.analysis.network_io import NetworkInputError, read_table

    path = tmp_path / "ties.parquet"
    path.write_bytes(data)
    try:
        frame, lines = read_table(path, required=("source", "target"))
    except NetworkInputError as error:
        assert str(error).startswith(str(path))
        return
    assert frame.height == len(lines) > 0
    assert {"source", "target"} <= set(frame.columns)
