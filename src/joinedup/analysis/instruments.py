"""Assessment instruments: versioned YAML files, validated against a JSON Schema kept in the repo.

An instrument is data, not code, so an organisation licensed for an established tool can load its own
file. `load_instrument("partnership-health")` reads a shipped file; `load_instrument(path)` or
`parse_instrument(text)` reads anyone's. Every problem is reported with the line and the field it sits
on (`line 14, dimensions[1].items[0].reverse: 'yes' is not of type 'boolean'`), found by walking the
YAML node tree (which keeps line marks) along the JSON Schema error path.

The shipped files and `schema.json` live in `instrument_files/` beside this module. They are data for
this plain-Python module (the scoring, the CLI, the benchmark and the web app all read them through it),
so they sit with the code that reads them rather than inside the Django app, which `analysis/` must not
import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from joinedup.analysis.reading import DEFAULT_LIMITS, FileReadError, Limits, amount
from joinedup.analysis.reading_yaml import load_yaml, schema_validator

INSTRUMENT_DIR = Path(__file__).resolve().parent / "instrument_files"
SCHEMA_PATH = INSTRUMENT_DIR / "schema.json"


class InstrumentError(ValueError):
    """An instrument file that cannot be used. `problems` holds one plain-English line per fault."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source} is not a valid instrument:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    reverse: bool = False


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    items: tuple[Item, ...]
    source: str = ""
    description: str = ""

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: tuple[str, ...]
    dont_know: bool = False

    @property
    def points(self) -> int:
        """A, the number of scale points (used by the rwg(J) null variance)."""
        return self.max - self.min + 1


@dataclass(frozen=True)
class Band:
    min: float
    label: str


@dataclass(frozen=True)
class Instrument:
    key: str
    title: str
    version: int
    scale: Scale
    bands: tuple[Band, ...]  # highest first
    dimensions: tuple[Dimension, ...]
    audience: str = ""
    description: str = ""
    licence: str = ""

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(key for dimension in self.dimensions for key in dimension.item_keys)

    def dimension(self, key: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def band_for(self, score: float | None) -> str | None:
        """The label of the first band (highest first) whose minimum the score reaches."""
        if score is None:
            return None
        for band in self.bands:
            if score >= band.min:
                return band.label
        return None


def shipped_instruments() -> dict[str, Path]:
    """Key -> file of every instrument shipped with JoinedUp (the file name is the key)."""
    return {path.stem: path for path in sorted(INSTRUMENT_DIR.glob("*.yaml"))}


def load_instrument(key_or_path: str | Path) -> Instrument:
    """A shipped instrument by key, or any instrument file by path."""
    shipped = shipped_instruments()
    if isinstance(key_or_path, str) and key_or_path in shipped:
        path = shipped[key_or_path]
    else:
        path = Path(key_or_path)
        if not path.is_file():
            known = ", ".join(shipped) or "none"
            raise InstrumentError(
                str(key_or_path),
                [f"there is no such file and no shipped instrument of that key (shipped: {known})"],
            )
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_yaml_bytes:
            raise FileReadError(f"the file is larger than {amount(DEFAULT_LIMITS.max_yaml_bytes)}")
        raw = path.read_bytes()
    except FileReadError as exc:
        raise InstrumentError(str(path), [str(exc)]) from exc
    except OSError as exc:
        raise InstrumentError(str(path), [f"the file cannot be read ({exc.strerror or exc})"]) from exc
    return parse_instrument(raw, source=str(path))


def parse_instrument(
    text: str | bytes, *, source: str = "instrument", limits: Limits = DEFAULT_LIMITS
) -> Instrument:
    """Validate YAML (or JSON, which is YAML) text and build the Instrument. Raises InstrumentError.

    The YAML is read by the bounded loader (`analysis.reading_yaml`): no anchors or aliases, limited
    nesting and size, and every parser error as a line-and-column message."""
    try:
        node, data = load_yaml(text, limits=limits)
    except FileReadError as exc:
        raise InstrumentError(source, [str(exc)]) from exc
    if node is None:
        raise InstrumentError(source, ["the file is empty"])
    problems = _duplicate_keys(node)
    if not problems:
        errors = sorted(
            schema_validator(SCHEMA_PATH).iter_errors(data),
            key=lambda e: (_line(node, list(e.absolute_path)), str(e.path)),
        )
        problems = [_describe(node, error) for error in errors]
    if not problems:
        problems = _meaning_problems(node, data)
    if problems:
        raise InstrumentError(source, problems)
    return _build(data)


def _build(data: dict[str, Any]) -> Instrument:
    scale = data["scale"]
    return Instrument(
        key=data["key"],
        title=data["title"],
        version=data["version"],
        audience=data.get("audience", ""),
        description=data.get("description", ""),
        licence=data.get("licence", ""),
        scale=Scale(
            min=scale["min"],
            max=scale["max"],
            labels=tuple(scale["labels"]),
            dont_know=scale.get("dont_know", False),
        ),
        bands=tuple(Band(min=float(b["min"]), label=b["label"]) for b in data["bands"]),
        dimensions=tuple(
            Dimension(
                key=d["key"],
                title=d["title"],
                source=d.get("source", ""),
                description=d.get("description", ""),
                items=tuple(
                    Item(key=i["key"], text=i["text"], reverse=i.get("reverse", False)) for i in d["items"]
                ),
            )
            for d in data["dimensions"]
        ),
    )


# --- checks a JSON Schema cannot express ----------------------------------------------------------


def _meaning_problems(node: yaml.Node, data: dict[str, Any]) -> list[str]:
    problems: list[str] = []

    def at(path: list[str | int], message: str) -> None:
        problems.append(f"line {_line(node, path)}, {_field(path)}: {message}")

    scale = data["scale"]
    points = scale["max"] - scale["min"] + 1
    if scale["max"] <= scale["min"]:
        at(["scale", "max"], f"must be greater than the scale minimum ({scale['min']})")
    elif len(scale["labels"]) != points:
        at(
            ["scale", "labels"],
            f"a {scale['min']}-{scale['max']} scale has {points} points but {len(scale['labels'])} labels are given",
        )
    previous: float | None = None
    for index, band in enumerate(data["bands"]):
        if previous is not None and band["min"] >= previous:
            at(
                ["bands", index, "min"],
                f"bands must run from highest to lowest; {band['min']} follows {previous}",
            )
        if not scale["min"] <= band["min"] <= scale["max"]:
            at(["bands", index, "min"], f"{band['min']} is outside the scale ({scale['min']}-{scale['max']})")
        previous = band["min"]
    if data["bands"] and not problems and data["bands"][-1]["min"] > scale["min"]:
        at(
            ["bands", len(data["bands"]) - 1, "min"],
            f"the lowest band must start at the scale minimum ({scale['min']})",
        )
    seen_dimensions: set[str] = set()
    seen_items: dict[str, str] = {}
    for d_index, dimension in enumerate(data["dimensions"]):
        if dimension["key"] in seen_dimensions:
            at(["dimensions", d_index, "key"], f"dimension key {dimension['key']!r} is used twice")
        seen_dimensions.add(dimension["key"])
        for i_index, item in enumerate(dimension["items"]):
            path: list[str | int] = ["dimensions", d_index, "items", i_index, "key"]
            if item["key"] in seen_items:
                at(path, f"item key {item['key']!r} is already used in dimension {seen_items[item['key']]!r}")
            seen_items.setdefault(item["key"], dimension["key"])
    return problems


def _duplicate_keys(node: yaml.Node) -> list[str]:
    problems = []
    for mapping in _mappings(node):
        seen: set[str] = set()
        for key_node, _value in mapping.value:
            if key_node.value in seen:
                problems.append(
                    f"line {key_node.start_mark.line + 1}: the key {key_node.value!r} appears twice"
                )
            seen.add(key_node.value)
    return problems


def _mappings(node: yaml.Node) -> Iterator[yaml.MappingNode]:
    if isinstance(node, yaml.MappingNode):
        yield node
        for _key, value in node.value:
            yield from _mappings(value)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            yield from _mappings(value)


# --- mapping a JSON path back to a line ----------------------------------------------------------


def _find(node: yaml.Node, path: list[str | int]) -> tuple[yaml.Node, yaml.Node | None]:
    """The deepest node along `path`, and the key node naming it (for mappings)."""
    key_node = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == step), None)
            if match is None:
                break
            key_node, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            key_node, node = None, node.value[step]
        else:
            break
    return node, key_node


def _line(node: yaml.Node, path: list[str | int]) -> int:
    found, key_node = _find(node, path)
    return (key_node or found).start_mark.line + 1


def _field(path: list[str | int]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text or "(top level)"


def _describe(node: yaml.Node, error: Any) -> str:
    path = list(error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed)
        if extra:
            path = [*path, extra[0]]
            message = f"unknown field {extra[0]!r} (allowed: {', '.join(sorted(allowed))})"
    elif error.validator == "required":
        message = error.message.replace("is a required property", "is missing")
    return f"line {_line(node, path)}, {_field(path)}: {message}"
