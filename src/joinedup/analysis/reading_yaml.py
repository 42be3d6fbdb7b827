"""Bounded reading of YAML: no anchors or aliases, limited nesting and size, every error with line and column.

Part of the bounded reader layer (see `reading`). `schema_validator` gives the checked JSON Schema validator that
every schema-checked YAML file of the project (instruments, flag settings, the indicator catalogue, code lists)
is validated with, read once per schema file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from joinedup.analysis.reading import DEFAULT_LIMITS, SAVE_AS, FileReadError, Limits, amount, check_encoding


@cache
def schema_validator(path: Path) -> Draft202012Validator:
    """The validator of the JSON Schema in `path` (itself checked against the 2020-12 meta-schema), read once."""
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and stops at a nesting depth and a number of nodes."""

    max_depth = DEFAULT_LIMITS.max_yaml_depth
    max_nodes = DEFAULT_LIMITS.max_yaml_nodes

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        # The scanner looks far ahead inside [ and {, slower the deeper they go: stop it at the limit.
        if self.flow_level >= self.max_depth:
            raise _Refused(self.get_mark(), f"lists and maps are nested more than {self.max_depth} deep")
        super().fetch_flow_collection_start(TokenClass)  # type: ignore[misc]

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "anchors and aliases (& and *) are not allowed in this file")
        self._nodes += 1
        if self._nodes > self.max_nodes:
            raise _Refused(event.start_mark, f"the file has more than {self.max_nodes:,} values")
        is_collection = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        if is_collection:
            self._depth += 1
            if self._depth > self.max_depth:
                raise _Refused(event.start_mark, f"lists and maps are nested more than {self.max_depth} deep")
        try:
            return super().compose_node(parent, index)
        finally:
            if is_collection:
                self._depth -= 1


class _Refused(Exception):
    def __init__(self, mark: Any, reason: str) -> None:
        self.mark, self.reason = mark, reason


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "somewhere in the file"


def yaml_text(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """YAML bytes as text, refusing oversized, binary, UTF-16/32 and non-UTF-8 input with a plain message."""
    if isinstance(data, str):
        if len(data) > limits.max_yaml_bytes:
            raise FileReadError(f"the file is larger than {amount(limits.max_yaml_bytes)}")
        return data
    if len(data) > limits.max_yaml_bytes:
        raise FileReadError(f"the file is larger than {amount(limits.max_yaml_bytes)}")
    data = check_encoding(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileReadError(f"the text is not UTF-8; {SAVE_AS}", line=line) from exc


def load_yaml(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> tuple[yaml.Node | None, Any]:
    """(node tree with line marks, plain data) of one YAML document, within the limits.

    Every problem raises FileReadError naming the line and column: a syntax error, a NUL or control
    character, an anchor or alias, too deep a nesting or too many values.
    """
    text = yaml_text(data, limits=limits)

    class Loader(_BoundedLoader):
        max_depth = limits.max_yaml_depth
        max_nodes = limits.max_yaml_nodes

    loader = None
    try:
        loader = Loader(text)
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except _Refused as refused:
        raise FileReadError(f"{_where(refused.mark)}: {refused.reason}") from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        what = "a NUL byte (character 0)" if exc.character in (0, "\x00") else "a control character"
        raise FileReadError(
            f"line {line}, column {column}: the file holds {what}, which YAML text cannot contain"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FileReadError(
            f"{_where(mark)}: the file is not valid YAML ({exc.problem or exc.context})"
        ) from None
    except yaml.YAMLError as exc:
        raise FileReadError(f"the file is not valid YAML ({exc})") from None
    except RecursionError:
        raise FileReadError("lists and maps are nested too deep") from None
    finally:
        if loader is not None:
            loader.dispose()
    return node, value
