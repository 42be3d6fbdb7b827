"""Bounded reading of JSON: size and nesting checked before parsing, repeated member names refused.

Part of the bounded reader layer (see `reading`). The file's size is checked against `Limits.max_bytes`, its
start against binary, compressed and UTF-16/32 data, and its nesting (arrays and objects inside each other)
against `Limits.max_json_depth` by a scan of the bytes, strings skipped, before the parser builds anything: a
small file of ten thousand brackets gives a plain message, never a RecursionError or a MemoryError. A parse
error or a member name used twice in one object names its line and column.
"""

from __future__ import annotations

import json
import re
from typing import Any

from joinedup.analysis.reading import (
    DEFAULT_LIMITS,
    SAVE_AS,
    FileReadError,
    Limits,
    amount,
    check_encoding,
    limit_hint,
)

# strings (skipped: brackets inside them do not nest) and brackets
_TOKENS = re.compile(rb'"(?:[^"\\\n]|\\.)*"|[\[\]{}]')


_REPEATED = "\x00repeated"  # marks an object with a member name used twice (no JSON text can hold it)


class _Hook:
    """Builds objects, marking one that repeats a member name, so the path to it can be named afterwards."""

    def __init__(self) -> None:
        self.repeated = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in pairs:
            if name in out:
                self.repeated = True
                out[_REPEATED] = name
            out[name] = value
        return out


def _repeat_path(value: Any, path: str = "$") -> tuple[str, str] | None:
    """(path, name) of the first object that repeats a member name."""
    if isinstance(value, dict):
        if _REPEATED in value:
            return path, value[_REPEATED]
        items = ((f"{path}.{name}", v) for name, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for where, inner in items:
        found = _repeat_path(inner, where)
        if found:
            return found
    return None


def _line_column(data: bytes, position: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, position) + 1
    return data.count(b"\n", 0, line_start) + 1, position - line_start + 1


def check_depth(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse JSON nested deeper than `max_json_depth`, naming where the limit is passed."""
    depth = 0
    for found in _TOKENS.finditer(data):
        token = found.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limits.max_json_depth:
                line, column = _line_column(data, found.start())
                raise FileReadError(
                    f"the JSON is nested more than {limits.max_json_depth} levels deep (lists and objects inside "
                    "each other); a JoinedUp export never is",
                    line=line,
                    column=column,
                )
        elif token in (b"]", b"}"):
            depth -= 1


def load_json(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The JSON value in `data`, or FileReadError saying plainly what is wrong and where."""
    if len(data) > limits.max_bytes:
        raise FileReadError(f"the file is larger than {amount(limits.max_bytes)} {limit_hint('--max-bytes')}")
    data = check_encoding(data[:65536]) + data[65536:]
    if not data.strip():
        raise FileReadError("the file is empty")
    check_depth(data, limits=limits)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, _column = _line_column(data, exc.start)
        raise FileReadError(
            f"the text is not UTF-8 (byte 0x{data[exc.start]:02X}); {SAVE_AS}", line=line
        ) from exc
    hook = _Hook()
    try:
        value = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        raise FileReadError(f"this is not valid JSON ({exc.msg})", line=exc.lineno, column=exc.colno) from exc
    except RecursionError as exc:  # check_depth keeps this from happening; a last guard
        raise FileReadError("the JSON is nested too deeply") from exc
    if hook.repeated:
        found = _repeat_path(value)
        if found:
            raise FileReadError(f"{found[0]}: the member name {found[1]!r} is used twice in one object")
    return value
