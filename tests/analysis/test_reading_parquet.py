"""The bounded Parquet reader (analysis/reading_parquet.py): each limit holds at its exact boundary, text
is counted as the bytes it would take once read (nulls as nothing), and a damaged file is refused plainly."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from joinedup.analysis.reading import MB, FileReadError, Limits
from joinedup.analysis.reading_parquet import check_parquet

HINT = "(to allow more, use {} on the command line; see docs/limits.md)"


def mb_down(n: int) -> str:
    """The limit as the message words it, worked out another way: megabytes to one decimal, rounded down."""
    return f"{math.floor(n / MB * 10) / 10:g} MB"


def write(path: Path, columns: dict[str, pa.Array], **options: object) -> Path:
    pq.write_table(pa.table(columns), path, **options)  # type: ignore[arg-type]
    return path


def refusal(path: Path, **limits: int) -> str:
    with pytest.raises(FileReadError) as raised:
        check_parquet(path, limits=Limits(**limits))
    return str(raised.value)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """1,000 rows, 3 columns."""
    return write(
        tmp_path / "ties.parquet", {name: pa.array(range(1000)) for name in ("source", "target", "w")}
    )


def test_rows_columns_and_cells_are_read_to_the_limit_and_refused_past_it(small: Path) -> None:
    check_parquet(small, limits=Limits(max_rows=1000, max_columns=3, max_cells=3000))
    check_parquet(str(small))
    assert (
        refusal(small, max_columns=2)
        == f"the file has 3 columns; at most 2 are read {HINT.format('--max-columns')}"
    )
    assert (
        refusal(small, max_rows=999)
        == f"the file has 1,000 rows; at most 999 are read {HINT.format('--max-rows')}"
    )
    assert refusal(small, max_cells=2999) == (
        f"the file has 3,000 cells; at most 2,999 are read {HINT.format('--max-cells')}"
    )


def test_a_file_over_max_bytes_is_refused_before_it_is_opened(small: Path) -> None:
    on_disk = small.stat().st_size
    check_parquet(small, limits=Limits(max_bytes=on_disk))
    small.write_bytes(b"x" * (MB + 1))  # not Parquet at all: the size is looked at first
    assert refusal(small, max_bytes=MB) == f"the file is larger than 1 MB {HINT.format('--max-bytes')}"


def test_the_unpacked_size_in_the_metadata_is_a_limit_of_its_own(tmp_path: Path) -> None:
    # 4,000 distinct values of 1,000 bytes (4,000,000 bytes of text), stored plainly: the metadata counts a
    # little more (each value's stored length too).
    path = write(
        tmp_path / "names.parquet",
        {"name": pa.array([f"{i:01000d}" for i in range(4000)])},
        use_dictionary=False,
    )
    unpacked = pq.ParquetFile(path).metadata.row_group(0).total_byte_size
    assert 4_000_000 < unpacked < 4_100_000
    check_parquet(path, limits=Limits(max_decompressed_bytes=unpacked))
    # Under the metadata's figure, refused even though the text itself would fit.
    assert refusal(path, max_decompressed_bytes=unpacked - 1) == (
        f"the file's data unpacks to more than {mb_down(unpacked - 1)} {HINT.format('--max-decompressed-bytes')}"
    )


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string(), pa.binary(), pa.large_binary()])
def test_text_is_counted_as_its_length_once_read_and_nulls_as_nothing(
    tmp_path: Path, kind: pa.DataType
) -> None:
    # One 3,000-byte value repeated 1,000 times (a few KB on disk, 3 MB as text), 500 nulls below it, and a
    # column with nothing in it at all.
    value: str | bytes = "x" * 3000 if kind in (pa.string(), pa.large_string()) else b"x" * 3000
    path = write(
        tmp_path / "text.parquet",
        {"long": pa.array([value] * 1000 + [None] * 500, kind), "empty": pa.array([None] * 1500, kind)},
    )
    assert path.stat().st_size < 50_000
    check_parquet(path, limits=Limits(max_decompressed_bytes=3_000_000))
    assert refusal(path, max_decompressed_bytes=2_999_999) == (
        f"the file's data unpacks to more than {mb_down(2_999_999)} {HINT.format('--max-decompressed-bytes')}"
    )


def test_every_batch_adds_to_the_size(tmp_path: Path) -> None:
    # 40,000 rows of 100 bytes (4,000,000 bytes of text, 100 values repeated) come in three batches of at
    # most 16,384 rows.
    path = write(tmp_path / "many.parquet", {"name": pa.array([f"{i % 100:0100d}" for i in range(40_000)])})
    check_parquet(path, limits=Limits(max_decompressed_bytes=4_000_000))
    assert f"unpacks to more than {mb_down(3_999_999)} (" in refusal(path, max_decompressed_bytes=3_999_999)


def test_numbers_count_their_bytes_with_the_text(tmp_path: Path) -> None:
    # 1,000 rows: 2,000,000 bytes of text and 1,000 64-bit numbers (8,000 bytes, and arrow's bitmap of nulls).
    path = write(
        tmp_path / "mixed.parquet", {"name": pa.array(["y" * 2000] * 1000), "n": pa.array(range(1000))}
    )
    check_parquet(path, limits=Limits(max_decompressed_bytes=2_010_000))
    assert f"unpacks to more than {mb_down(2_005_000)} (" in refusal(path, max_decompressed_bytes=2_005_000)


def test_a_file_that_is_not_parquet_is_refused_plainly(tmp_path: Path) -> None:
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"PAR1 not really")
    assert refusal(junk).startswith("the file cannot be read as Parquet (")


def test_a_file_whose_data_is_damaged_is_refused_plainly(tmp_path: Path) -> None:
    # The footer (metadata) is intact, so the file opens; the first data page is overwritten.
    path = write(
        tmp_path / "damaged.parquet",
        {"name": pa.array([f"{i:08d}" for i in range(5000)])},
        compression="none",
        use_dictionary=False,
    )
    data = bytearray(path.read_bytes())
    data[200:250] = b"\xff" * 50
    path.write_bytes(bytes(data))
    assert pq.ParquetFile(path).metadata.num_rows == 5000
    message = refusal(path)
    assert message.startswith("the file cannot be read as Parquet (")
    assert message != "the file cannot be read as Parquet ()"
