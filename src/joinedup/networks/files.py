"""An evaluator's TIES (and NODES) files analysed in the web app, as `joinedup network analyse` does them.

The request runs only the bounded readers' quick checks (`analysis.reading`: compression, encoding, NUL and
control characters, rows, columns, Parquet metadata; well under a few seconds for the largest file allowed), and
reads small files in full with the command's own reader (`analysis.network_io`), so a bad file gets the same
line-and-column message and nothing is queued. Larger files are read in full by the job, with the same limits;
a problem found there fails the job with the same message. A good pair is kept (zipped) as the
payload of a background job (`networks.jobs`), which analyses it with progress and then replaces the payload
by the command's outputs, byte for byte: `network.json` (`--format json`) and `organisations.csv`
(`--format csv`). The job's result holds what the results page shows: the network measures, the kinds of
column the files had, and the map (one point per organisation, or per sector when there are too many).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.core.files.uploadedfile import UploadedFile

from joinedup.analysis.network import DEFAULT_PIVOTS, analyse_network, merge_ties
from joinedup.analysis.network_io import (
    NetworkInput,
    NetworkInputError,
    load_network,
    network_report,
    organisations_frame,
)
from joinedup.analysis.network_map import AGGREGATE_ABOVE, network_map_spec
from joinedup.analysis.reading import FileReadError, amount, check_text
from joinedup.analysis.reading_parquet import check_parquet
from joinedup.analysis.safe_cells import frame_csv

FILE_JOB = "networks.file"
MAX_FILE_BYTES = 100 * 1024 * 1024  # per file; a million ties with every rating column is about 40 MB
MAP_MAX_TIES = 20_000  # above this, a map of single organisations is drawn by sector (or not at all)
SUFFIXES = (".csv", ".csv.gz", ".parquet")
CHECK_IN_REQUEST_BYTES = 2 * 1024 * 1024  # files up to this (together) are read in full before queueing
JSON_NAME, CSV_NAME = "network.json", "organisations.csv"

Report = Callable[[int, int, str], None]


class FileProblem(ValueError):
    """A problem with an uploaded file, in words for the person who chose it; `field` is "ties" or "nodes"."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def safe_name(name: str) -> str:
    """The file's own name without folders or unusual characters (it appears in messages and file names)."""
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:100] or "file.csv"


def files_check(ties: UploadedFile, nodes: UploadedFile | None) -> tuple[bytes, dict[str, Any]]:
    """Read the files as `joinedup network analyse` does; returns the job's payload and params.

    Raises FileProblem with the command's own message (file, line and column) for any problem.
    """
    uploads = {"ties": ties, "nodes": nodes}
    names: dict[str, str | None] = {}
    contents: dict[str, bytes] = {}
    for field, upload in uploads.items():
        if upload is None:
            names[field] = None
            continue
        name = safe_name(upload.name or f"{field}.csv")
        if not name.lower().endswith(SUFFIXES):
            raise FileProblem(
                f"{name}: choose a CSV file (.csv) or a Parquet file (.parquet); a CSV file may be gzip-compressed (.csv.gz)",
                field=field,
            )
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise FileProblem(f"{name}: the file is larger than {amount(MAX_FILE_BYTES)}", field=field)
        names[field] = name
        contents[field] = b"".join(upload.chunks())
        _quick_check(contents[field], name, field)
    data = _read(contents, names) if sum(map(len, contents.values())) <= CHECK_IN_REQUEST_BYTES else None
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for field, content in contents.items():
            archive.writestr(f"{field}/{names[field]}", content)
    params = {
        "ties": names["ties"],
        "nodes": names["nodes"],
        "organisations": len(data.ids) if data else None,  # None: counted by the job
        "tie_rows": len(data.source) if data else None,
    }
    return payload.getvalue(), params


def _quick_check(content: bytes, name: str, field: str) -> None:
    """The bounded readers' checks that need no parsing: refuse a bomb or a wrong kind of file at once."""
    try:
        if name.lower().endswith(".parquet"):
            with tempfile.TemporaryDirectory(prefix="joinedup-network-") as folder:
                path = Path(folder) / name
                path.write_bytes(content)
                check_parquet(path)
        else:  # a ties file with no rows is an answer beside a nodes file: the full read decides
            check_text(content, name=name, require_rows=False)
    except FileReadError as error:
        where = ", ".join(
            [name]
            + ([f"line {error.line}"] if error.line else [])
            + ([f"column '{error.column}'"] if error.column else [])
        )
        raise FileProblem(f"{where}: {error.reason}", field=field) from error


def _read(contents: dict[str, bytes], names: dict[str, str | None]) -> NetworkInput:
    """load_network on the files written under their own names (so messages name them as the command does)."""
    with tempfile.TemporaryDirectory(prefix="joinedup-network-") as folder:
        paths: dict[str, Path | None] = {"ties": None, "nodes": None}
        for field, content in contents.items():
            path = Path(folder) / field / str(names[field])
            path.parent.mkdir()
            path.write_bytes(content)
            paths[field] = path
        assert paths["ties"] is not None
        try:
            return load_network(paths["ties"], paths["nodes"])
        except NetworkInputError as error:
            field = (
                "nodes"
                if paths["nodes"] is not None and str(error).startswith(str(paths["nodes"]))
                else "ties"
            )
            message = str(error)
            for written in paths.values():
                if written is not None:
                    message = message.replace(str(written), written.name)
            raise FileProblem(message, field=field) from error


def files_analyse(payload: bytes, params: dict[str, Any], report: Report) -> tuple[dict[str, Any], bytes]:
    """The job's work: (result for the page, new payload with the command's JSON and CSV outputs)."""
    report(0, 1, "Reading the files")
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        contents = {name.split("/", 1)[0]: archive.read(name) for name in archive.namelist()}
    data = _read(contents, {"ties": params["ties"], "nodes": params.get("nodes")})
    n = len(data.ids)
    ties = merge_ties(n, data.source, data.target, data.items)

    def sources_done(done: int, total: int) -> None:
        report(done, total, f"Finding shortest paths: {done:,} of {total:,} starting points done")

    metrics = analyse_network(
        n, ties, sector=data.sector_codes, pivots=DEFAULT_PIVOTS, seed=0, progress=sources_done
    )
    document = network_report(data, metrics)
    json_text = json.dumps(document, indent=2, allow_nan=False) + "\n"  # as the command prints it
    frame = organisations_frame(data, metrics)
    csv_text = frame_csv(frame)
    total = int(metrics.network["organisations"] or 0)
    report(total, total, "Drawing the map")
    spec, map_note = _map(data, frame, ties.source.tolist(), ties.target.tolist())
    outputs = io.BytesIO()
    with zipfile.ZipFile(outputs, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json_text)
        archive.writestr(CSV_NAME, csv_text)
    result = {
        "network": document["network"],
        "columns": {
            "names": data.names is not None,
            "sectors": data.sectors is not None,
            "responded": data.responded is not None,
            "ratings": sorted(data.items),
        },
        "map": spec,
        "map_note": map_note,
    }
    return result, outputs.getvalue()


def _map(
    data: NetworkInput, frame: pl.DataFrame, source: list[int], target: list[int]
) -> tuple[dict[str, Any] | None, str]:
    """A map of single organisations when small enough; else one point per sector; else none (and why)."""
    n = frame.height
    small = n <= AGGREGATE_ABOVE and len(source) <= MAP_MAX_TIES
    if not small and data.sectors is None:
        return None, (
            f"There is no map: {n:,} organisations and {len(source):,} ties are too many to draw one by one, "
            "and without a sector column in the organisations file they cannot be drawn by sector."
        )
    nodes = [
        {
            "name": row["name"] or row["id"],
            "sector": row["sector"] or "Unknown",
            "degree": row["in_degree"] + row["out_degree"],
            "in_degree": row["in_degree"],
            "out_degree": row["out_degree"],
            "betweenness": row["betweenness"],
            "trust": row["trust"],
        }
        for row in frame.select(
            "id", "name", "sector", "in_degree", "out_degree", "betweenness", "trust"
        ).iter_rows(named=True)
    ]
    spec = network_map_spec(nodes, source, target, aggregate_above=AGGREGATE_ABOVE if small else 0)
    return spec, ""


def output(payload: bytes, name: str) -> bytes:
    """One of the command's outputs (JSON_NAME or CSV_NAME) from a finished job's payload."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return archive.read(name)


def organisations_page(payload: bytes, *, offset: int, limit: int) -> list[dict[str, Any]]:
    """A slice of the organisations, most between first (ties kept in file order)."""
    frame = pl.read_csv(io.BytesIO(output(payload, CSV_NAME)), schema_overrides={"id": pl.String})
    ordered = frame.with_row_index("_order").sort(["betweenness", "_order"], descending=[True, False])
    return ordered.slice(offset, limit).drop("_order").to_dicts()
