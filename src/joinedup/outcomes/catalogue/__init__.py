"""The starter catalogue of indicators: versioned data (`indicators.yaml`, checked against
`indicators.schema.json`), read through the bounded YAML reader.

    catalogue = shipped_catalogue()
    catalogue.version                     -> 1
    catalogue.entry("falls-admissions-65") -> CatalogueEntry(...)

A coordinator starts an indicator from an entry (the form is filled in from it) or writes their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from joinedup.analysis.reading import FileReadError
from joinedup.analysis.reading_yaml import load_yaml, schema_validator

HERE = Path(__file__).resolve().parent
CATALOGUE_PATH = HERE / "indicators.yaml"
SCHEMA_PATH = HERE / "indicators.schema.json"


class CatalogueError(ValueError):
    """The catalogue cannot be used; `problems` says why, one line each, naming the entry and the field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("the indicator catalogue is not valid:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    title: str
    group: str
    kind: str
    rba_question: str
    definition: str
    unit: str
    direction: str
    frequency: str
    numerator: str = ""
    denominator: str = ""
    data_source: str = ""
    publisher: str = ""
    reference: str = ""

    @property
    def full_definition(self) -> str:
        """The definition with its numerator and denominator, as the indicator form is filled in."""
        parts = [self.definition]
        if self.numerator:
            parts.append(f"Numerator: {self.numerator}")
        if self.denominator:
            parts.append(f"Denominator: {self.denominator}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class Catalogue:
    version: int
    title: str
    entries: tuple[CatalogueEntry, ...]

    def entry(self, key: str) -> CatalogueEntry | None:
        return next((e for e in self.entries if e.key == key), None)


def _where(data: Any, path: list[Any]) -> str:
    """An error's place as a reader finds it: the entry's key (or number) and the field."""
    if len(path) >= 2 and path[0] == "indicators" and isinstance(path[1], int):
        entry = data["indicators"][path[1]]
        key = entry.get("key") if isinstance(entry, dict) else None
        name = f"entry {path[1] + 1}" + (f" ({key})" if isinstance(key, str) else "")
        field = ".".join(str(p) for p in path[2:])
        return f"{name}, field {field}" if field else name
    return ".".join(str(p) for p in path) or "(top level)"


def _message(error: Any) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"the field {missing} is missing"
    if error.validator == "additionalProperties":
        return f"unknown field: {error.message}"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    return str(error.message)


def parse_catalogue(text: str | bytes) -> Catalogue:
    """Check a catalogue's YAML against the schema and build it. Raises CatalogueError."""
    try:
        _node, data = load_yaml(text)
    except FileReadError as exc:
        raise CatalogueError([str(exc)]) from exc
    problems = [
        f"{_where(data, list(error.absolute_path))}: {_message(error)}"
        for error in sorted(
            schema_validator(SCHEMA_PATH).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
        )
    ]
    if problems:
        raise CatalogueError(problems)
    seen: dict[str, int] = {}
    for number, entry in enumerate(data["indicators"], start=1):
        if entry["key"] in seen:
            problems.append(
                f"entry {number} ({entry['key']}), field key: the key is used by entry {seen[entry['key']]} too"
            )
        seen.setdefault(entry["key"], number)
    if problems:
        raise CatalogueError(problems)
    entries = tuple(CatalogueEntry(**{"group": "", **entry}) for entry in data["indicators"])
    return Catalogue(version=data["version"], title=data["title"], entries=entries)


@cache
def shipped_catalogue() -> Catalogue:
    """The catalogue shipped with JoinedUp (read once)."""
    return parse_catalogue(CATALOGUE_PATH.read_bytes())
