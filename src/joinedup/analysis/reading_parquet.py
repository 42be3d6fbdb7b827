"""Bounded reading of Parquet files: judged by their metadata, then batch by batch, before a frame is built.

Part of the bounded reader layer (see `reading`).
"""

from __future__ import annotations

from pathlib import Path

from joinedup.analysis.reading import DEFAULT_LIMITS, FileReadError, Limits, amount, limit_hint


def check_parquet(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a Parquet file whose metadata, or whose text once unpacked, passes the limits, before it is
    read into a frame. Memory while checking is one batch of rows (string columns kept as dictionaries)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = Path(path)
    if path.stat().st_size > limits.max_bytes:
        raise FileReadError(f"the file is larger than {amount(limits.max_bytes)} {limit_hint('--max-bytes')}")
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise FileReadError(f"the file cannot be read as Parquet ({exc})") from exc
    meta = parquet.metadata
    rows, columns = meta.num_rows, meta.num_columns
    if columns > limits.max_columns:
        raise FileReadError(
            f"the file has {columns:,} columns; at most {limits.max_columns:,} are read {limit_hint('--max-columns')}"
        )
    if rows > limits.max_rows:
        raise FileReadError(
            f"the file has {rows:,} rows; at most {limits.max_rows:,} are read {limit_hint('--max-rows')}"
        )
    if rows * columns > limits.max_cells:
        raise FileReadError(
            f"the file has {rows * columns:,} cells; at most {limits.max_cells:,} are read {limit_hint('--max-cells')}"
        )
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    too_big = FileReadError(
        f"the file's data unpacks to more than {amount(limits.max_decompressed_bytes)} "
        f"{limit_hint('--max-decompressed-bytes')}"
    )
    if unpacked > limits.max_decompressed_bytes:
        raise too_big
    text_columns = [
        field.name for field in parquet.schema_arrow if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
        or pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type)
    ]  # fmt: skip
    try:
        reader = pq.ParquetFile(path, read_dictionary=text_columns)
        size = 0
        for batch in reader.iter_batches(batch_size=16_384):
            for array in batch.columns:
                if isinstance(array, pa.DictionaryArray):  # a null takes nothing (and has no index)
                    lengths = pc.binary_length(array.dictionary)
                    size += int(pc.sum(pc.take(lengths, array.indices)).as_py() or 0)
                else:
                    size += array.nbytes
            if size > limits.max_decompressed_bytes:
                raise too_big
    except (pa.ArrowException, OSError) as exc:
        raise FileReadError(f"the file cannot be read as Parquet ({exc})") from exc
