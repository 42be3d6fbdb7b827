"""Bounded reading of every file JoinedUp is given: one place that decides what a file may cost.

Every file input (organisation imports, ties and nodes files, responses files, instrument YAML) comes
through here before a parser materialises it, so a small file cannot make a big process:

- compressed data is refused unless the name declares it (`.csv.gz`); declared gzip is unpacked in
  pieces and stopped at `Limits.max_decompressed_bytes`;
- text is looked at before it is parsed: UTF-16/32 (with or without a byte-order mark), NUL bytes and
  other control characters are named plainly with their line and column; CR, LF and CRLF line
  endings are all accepted (CR-only text is turned into LF);
- rows and columns are counted before a parser builds a frame (`max_rows`, `max_columns`); Parquet
  files are judged by their metadata first (rows x columns against `max_cells`, the unpacked size
  against `max_decompressed_bytes`) and then, batch by batch, by the size their text would take;
- YAML is read by a loader that refuses anchors and aliases (instrument files do not need them),
  stops at `max_yaml_depth` levels of nesting and `max_yaml_bytes`, and turns every parser error into
  a line-and-column message.

Every refusal is a `FileReadError` whose text is plain English and which carries the line and column
where known; each reader turns it into its own error type. The defaults fit a million ties and 250,000
respondents; `docs/limits.md` lists them and how to raise them (the commands' `--max-*` flags).
Plain Python (the standard library only, so the commands that run without Django start fast); Parquet
is in `reading_parquet` and YAML in `reading_yaml`.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import dataclasses
import gzip
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def amount(n: int) -> str:
    """A byte count as people read it: 512 KB, 1.5 MB, 100 MB. Rounded down, so "larger than" stays true."""
    for unit, size in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if n >= size:
            tenths = n * 10 // size
            whole, tenth = divmod(tenths, 10)
            return f"{whole}.{tenth} {unit}" if tenth else f"{whole} {unit}"
    return "1 byte" if n == 1 else f"{n} bytes"


@dataclass(frozen=True)
class Limits:
    """What one file may cost. Change one with `dataclasses.replace(DEFAULT_LIMITS, max_rows=...)`."""

    max_bytes: int = 100 * MB  # bytes of the file as given (compressed or not)
    max_decompressed_bytes: int = 200 * MB  # bytes after unpacking gzip, or a Parquet file's data
    max_rows: int = 2_000_000  # data rows (a million ties; 250,000 respondents)
    max_columns: int = 500
    max_cells: int = 30_000_000  # rows x columns of a Parquet file
    max_yaml_bytes: int = 512 * 1024
    max_yaml_depth: int = 20
    max_yaml_nodes: int = 100_000
    max_json_depth: int = 64  # arrays and objects nested in a JSON file (a JoinedUp export uses about 12)

    def replace(self, **changes: int | None) -> Limits:
        """These limits with the given ones changed (None leaves a limit as it is)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT_LIMITS = Limits()

# The evaluator commands (`assess score`, `assess import`, `network analyse`) list every problem in a file up
# to this many, then say how many more there are; a data line is a "line", numbered as in the file (header = 1).
MAX_PROBLEMS = 50


def problems_capped(problems: list[str], total: int | None = None) -> list[str]:
    """The first MAX_PROBLEMS of `problems`, then "and N more problems" when there are more (`total`, if
    more were found than listed)."""
    total = len(problems) if total is None else max(total, len(problems))
    shown = problems[:MAX_PROBLEMS]
    if total > len(shown):
        more = total - len(shown)
        shown.append(f"and {more:,} more problem{'s' if more != 1 else ''}")
    return shown


LIMIT_FLAGS = {  # command-line flag -> Limits field (the commands offer these)
    "--max-bytes": "max_bytes",
    "--max-decompressed-bytes": "max_decompressed_bytes",
    "--max-rows": "max_rows",
    "--max-columns": "max_columns",
    "--max-cells": "max_cells",
}


class FileReadError(ValueError):
    """A file refused before it was parsed. `reason` is the plain-English fault; `line`/`column` locate it."""

    def __init__(self, reason: str, *, line: int | None = None, column: int | str | None = None) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)


def limit_hint(flag: str) -> str:
    return f"(to allow more, use {flag} on the command line; see docs/limits.md)"


# --- compressed and binary data ------------------------------------------------------------------

_MAGIC = (
    (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "a zip archive (or an Excel workbook)"),
    (b"BZh", "bzip2-compressed"),  # then a block size, 1-9
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"PAR1", "a Parquet file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook"),
)


_BZIP2_BLOCK_SIZES = {str(n).encode() for n in range(1, 10)}


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            # "BZh" alone starts ordinary text too (a column named "BZh..."): bzip2 puts its block size next.
            if magic == b"BZh" and data[3:4] not in _BZIP2_BLOCK_SIZES:
                continue
            return kind
    return None


def declared_gzip(name: str) -> bool:
    return name.lower().endswith(".gz")


def gunzip_bounded(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Unpack gzip data in pieces, stopping as soon as it passes `max_decompressed_bytes`."""
    cap = limits.max_decompressed_bytes
    out = bytearray()
    inflater = zlib.decompressobj(wbits=31)
    step = 64 * 1024
    try:
        for start in range(0, len(data), step):
            chunk = data[start : start + step]
            while chunk:
                out += inflater.decompress(chunk, cap + 1 - len(out))
                if len(out) > cap:
                    raise FileReadError(
                        f"the file unpacks to more than {amount(cap)} {limit_hint('--max-decompressed-bytes')}"
                    )
                chunk = inflater.unconsumed_tail
        if not inflater.eof:
            raise FileReadError("the gzip data is cut short (the file is incomplete)")
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise FileReadError(f"the gzip data is damaged ({exc})") from exc
    return bytes(out)


# --- text ------------------------------------------------------------------------------------------

_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
)
SAVE_AS = "save it as UTF-8 (in Excel: CSV UTF-8) and try again"
# C0 controls other than tab, LF and CR, and DEL: never part of a text field.
_CONTROL_RE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LONE_CR = re.compile(rb"\r(?!\n)")


def _utf16_or_32(head: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, told by where the NUL bytes of ASCII text fall."""
    head = head[: len(head) - len(head) % 4]
    if len(head) < 4 or not head.strip(b"\x00"):
        return None
    lanes = [head[i::4].count(0) / (len(head) // 4) for i in range(4)]  # share of NULs at each position mod 4
    many, few = [share > 0.9 for share in lanes], [share < 0.1 for share in lanes]
    if many[0] and many[1] and many[2] and few[3]:
        return "UTF-32 (big-endian)"
    if few[0] and many[1] and many[2] and many[3]:
        return "UTF-32 (little-endian)"
    if many[0] and many[2] and few[1] and few[3]:
        return "UTF-16 (big-endian)"
    if many[1] and many[3] and few[0] and few[2]:
        return "UTF-16 (little-endian)"
    return None


def check_encoding(head: bytes) -> bytes:
    """Refuse binary, compressed, UTF-16/32 and all-NUL starts of a file; returns `head` without a UTF-8 BOM."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            raise FileReadError(f"the file is {name} text, not UTF-8; {SAVE_AS}")
    head = head.removeprefix(b"\xef\xbb\xbf")
    kind = _binary_kind(head)
    if kind is not None:
        raise FileReadError(f"the file is {kind}, not text; unpack or export it as a UTF-8 CSV file")
    wide = _utf16_or_32(head[:4096])
    if wide is not None:
        raise FileReadError(
            f"the file looks like {wide} text without a byte-order mark, not UTF-8; {SAVE_AS}"
        )
    if head and not head.strip(b"\x00"):
        raise FileReadError("the file holds only NUL bytes (character 0): it is not text, and may be damaged")
    return head


def _locate(data: bytes, position: int, delimiter: bytes) -> tuple[int, int]:
    """(line, field number) of the byte at `position` (fields counted by delimiters; quotes not followed)."""
    line_start = data.rfind(b"\n", 0, position) + 1
    return data.count(b"\n", 0, line_start) + 1, data.count(delimiter, line_start, position) + 1


def _header_name(data: bytes, column: int, delimiter: bytes) -> str | int:
    """The header's name for field number `column`, or the number when the header has no such name."""
    first = data[: data.find(b"\n")] if b"\n" in data else data
    names = next(csv.reader([first.decode("utf-8", "replace")], delimiter=delimiter.decode()), [])
    name = names[column - 1].strip() if column <= len(names) else ""
    return name or column


def _first_invalid_utf8(data: bytes) -> int | None:
    """The offset of the first byte that is not UTF-8, decoding in pieces (never a copy of the whole text)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 8 * MB
    for start in range(0, len(data), step):
        buffered = len(decoder.getstate()[0])  # the end of the last piece, if it split a character
        try:
            decoder.decode(data[start : start + step], final=start + step >= len(data))
        except UnicodeDecodeError as exc:
            return max(start - buffered + exc.start, 0)
    return None


def _control_message(byte: int) -> str:
    if byte == 0:
        return "the field holds a NUL byte (character 0), which text cannot contain; the file may be damaged"
    return f"the field holds the control character {byte} (0x{byte:02X}), which text cannot contain"


def check_text(
    data: bytes,
    *,
    name: str = "",
    limits: Limits = DEFAULT_LIMITS,
    delimiter: bytes = b",",
    header: bool = True,
    require_rows: bool = True,
) -> bytes:
    """The file's bytes checked and ready for a CSV parser: UTF-8 without BOM, LF or CRLF line endings.

    Refuses (FileReadError) compressed data not declared by `name`, oversized data, UTF-16/32, NUL and
    control characters (with line and column), text that is not UTF-8 (with its line), an empty file,
    a header with no data rows (`require_rows`), and more rows or columns than `limits` allow.
    """
    if len(data) > limits.max_bytes:
        raise FileReadError(f"the file is larger than {amount(limits.max_bytes)} {limit_hint('--max-bytes')}")
    if data.startswith(b"\x1f\x8b") and declared_gzip(name):
        data = gunzip_bounded(data, limits=limits)
    data = check_encoding(data[:65536]) + data[65536:]
    if not data.strip():
        raise FileReadError(
            "the file is empty" + (" (it needs a header row naming the columns)" if header else "")
        )
    if len(data) > limits.max_decompressed_bytes:
        raise FileReadError(
            f"the text is larger than {amount(limits.max_decompressed_bytes)} "
            f"{limit_hint('--max-decompressed-bytes')}"
        )
    if b"\r" in data:  # one byte for one byte, so positions stay where they were
        data = data.replace(b"\r", b"\n") if b"\n" not in data else _LONE_CR.sub(b"\n", data)
    found = _CONTROL_RE.search(data)
    if found:
        line, column = _locate(data, found.start(), delimiter)
        label = _header_name(data, column, delimiter) if header and line > 1 else column
        raise FileReadError(_control_message(data[found.start()]), line=line, column=label)
    bad = _first_invalid_utf8(data)
    if bad is not None:
        line, _column = _locate(data, bad, delimiter)
        raise FileReadError(f"the text is not UTF-8 (byte 0x{data[bad]:02X}); {SAVE_AS}", line=line)
    _check_shape(data, limits=limits, delimiter=delimiter, header=header, require_rows=require_rows)
    return data


def _check_shape(data: bytes, *, limits: Limits, delimiter: bytes, header: bool, require_rows: bool) -> None:
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    rows = lines - header
    if rows > limits.max_rows:
        raise FileReadError(f"the file has more than {limits.max_rows:,} rows {limit_hint('--max-rows')}")
    first = data[: data.find(b"\n")] if b"\n" in data else data
    columns = first.count(delimiter) + 1
    if columns > limits.max_columns:
        raise FileReadError(
            f"the file has {columns:,} columns; at most {limits.max_columns:,} are read {limit_hint('--max-columns')}",
            line=1,
        )
    if header and require_rows and not data[len(first) :].strip(b"\r\n\t ," + delimiter):
        raise FileReadError("the file has a header row but no data rows below it", line=2)
    if header and columns == 1:
        for other, label in ((b";", "semicolons"), (b"\t", "tabs"), (b"|", "vertical bars")):
            if other != delimiter and other in first:
                raise FileReadError(
                    f"the header has one column: the file seems to be separated by {label}, "
                    f"not {'commas' if delimiter == b',' else 'the expected separator'}",
                    line=1,
                )


def read_bytes(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A file's bytes, refusing one larger than `max_bytes` before reading it."""
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileReadError(f"the file is larger than {amount(limits.max_bytes)} {limit_hint('--max-bytes')}")
    return path.read_bytes()


class LineChecker:
    """For readers that stream a file line by line (organisation imports): the same checks, a line at a time.

    `lines(chunks)` yields decoded lines ending in "\\n" (CR, LF and CRLF all end a line) and raises
    FileReadError at the first line that breaks a rule or a limit.
    """

    def __init__(self, *, name: str = "", limits: Limits = DEFAULT_LIMITS, delimiter: bytes = b",") -> None:
        self.name, self.limits, self.delimiter = name, limits, delimiter

    def lines(self, chunks: Any) -> Any:
        limits = self.limits
        pending = b""
        total = 0
        number = 0
        first = True
        ending = re.compile(rb"\r\n|\r|\n")
        for chunk in chunks:
            total += len(chunk)
            if total > limits.max_bytes:
                raise FileReadError(
                    f"the file is larger than {amount(limits.max_bytes)} {limit_hint('--max-bytes')}"
                )
            if first:
                chunk = check_encoding(chunk)
                first = False
            pending += chunk
            half = pending.endswith(b"\r")  # a CR at the end of a chunk may be half of a CRLF
            parts = ending.split(pending[:-1] if half else pending)
            pending = parts.pop() + (b"\r" if half else b"")
            for part in parts:
                number += 1
                yield self._line(part, number)
        if pending.rstrip(b"\r"):
            number += 1
            yield self._line(pending.rstrip(b"\r"), number)

    def _line(self, raw: bytes, number: int) -> str:
        if number > self.limits.max_rows + 1:
            raise FileReadError(
                f"the file has more than {self.limits.max_rows:,} rows {limit_hint('--max-rows')}"
            )
        found = _CONTROL_RE.search(raw)
        if found:
            column = raw.count(self.delimiter, 0, found.start()) + 1
            raise FileReadError(_control_message(raw[found.start()]), line=number, column=column)
        if number == 1 and raw.count(self.delimiter) + 1 > self.limits.max_columns:
            raise FileReadError(
                f"the file has more than {self.limits.max_columns:,} columns {limit_hint('--max-columns')}",
                line=1,
            )
        try:
            return raw.decode("utf-8") + "\n"
        except UnicodeDecodeError as exc:
            raise FileReadError(f"the text is not UTF-8; {SAVE_AS}", line=number) from exc


# --- the commands' flags ------------------------------------------------------------------------------

_UNITS = {"": 1, "K": 1024, "M": MB, "G": 1024 * MB}


def size(text: str) -> int:
    """A byte count for a flag: a whole number with an optional K, M or G (1024-based): 500M, 2G."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMG]?)B?\s*", text.upper())
    if match is None or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size (a whole number, optionally with K, M or G)"
        )
    return int(match.group(1)) * _UNITS[match.group(2)]


def count(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    """The `--max-*` flags that raise (or lower) the limits for one run of a command."""
    group = parser.add_argument_group("limits (see docs/limits.md)")
    d = DEFAULT_LIMITS
    group.add_argument(
        "--max-bytes", type=size, metavar="SIZE", help=f"largest file read (default {d.max_bytes // MB}M)"
    )
    group.add_argument(
        "--max-decompressed-bytes",
        type=size,
        metavar="SIZE",
        help=f"largest text after unpacking .csv.gz, or Parquet data (default {d.max_decompressed_bytes // MB}M)",
    )
    group.add_argument("--max-rows", type=count, metavar="N", help=f"most data rows (default {d.max_rows:,})")
    group.add_argument(
        "--max-columns", type=count, metavar="N", help=f"most columns (default {d.max_columns:,})"
    )
    group.add_argument(
        "--max-cells", type=count, metavar="N", help=f"most cells of a Parquet file (default {d.max_cells:,})"
    )


def limits_from(options: Any) -> Limits:
    """The limits a command's parsed options ask for (the defaults where a flag was not given)."""
    get = options.get if isinstance(options, dict) else lambda name: getattr(options, name, None)
    return DEFAULT_LIMITS.replace(**{field: get(field) for field in LIMIT_FLAGS.values()})
