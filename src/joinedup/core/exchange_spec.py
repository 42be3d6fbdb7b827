"""What one list of the JSON export holds (`Table`), and how its values are written and read back.

An app describes each of its models once (`Table`): the member the list goes in, the stored fields written as
they are, the foreign keys written as the keys of the records they point at (`refs`, never database ids),
many-to-many fields as lists of keys, and generic pointers (`record_kinds` key + id) as {"kind", "key"}. Its
records' own key (`key`, a kind of key) is given to a record only when something points at it. The export
(core.exchange_export), the import (core.exchange_import) and the JSON Schema (core.exchange_schema) all read
these descriptions, so a table is described once. See docs/export.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

# Kinds of key whose records may already be in the database an import writes to (core.registry.ExchangePart)
NATURAL_KINDS = ("user", "organisation", "person", "partnership")
# What a kind of key is called in an error message
KIND_WORDS = {
    "user": "user account (by e-mail address)",
    "organisation": "organisation",
    "person": "person",
    "partnership": "partnership",
}


class RecordProblem(ValueError):
    """Raised by a table's `prepare`: what is wrong with the record (the import puts its path in front)."""


@dataclass(frozen=True)
class Table:
    """One model as a list in the document. `parent` is the foreign key to the enclosing record (None for
    the top-level lists). `rows(queryset, scope)` narrows and orders the rows (default: by id); `dump(row,
    record)` may drop or add members of a record being written; `prepare(record, values)` may adjust the
    model fields before a row is inserted, and `finish(row, record)` runs after its children are in (an
    agreement version is frozen there, after its clauses). `sort_key`, if given, orders rows in Python.
    A `parent` with "__" (`response__wave__partnership`) is a path to the partnership for a list whose model
    has no foreign key to it: it only selects the rows (a pointer in `refs` ties each to its record)."""

    name: str
    model: Any
    fields: tuple[str, ...] = ()
    refs: Mapping[str, str] = field(default_factory=dict)
    many: Mapping[str, str] = field(default_factory=dict)
    generic: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    parent: str | None = "partnership"
    key: str = ""
    children: tuple[Table, ...] = ()
    rows: Callable[[Any, Any], Any] | None = None
    dump: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None
    prepare: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None
    finish: Callable[[Any, dict[str, Any]], str | None] | None = None
    sort_key: Callable[[Any], Any] | None = None
    sort_by_keys: Callable[[Any, Any], Any] | None = None  # (row, exporter): order by the records' keys
    # rows of one parent for which this is true are written (and given keys) in the order of their content: the
    # canonical JSON of their records without keys, children included (anonymous answers: never by their ids)
    content_order: Callable[[Any], bool] | None = None
    optional: tuple[str, ...] = ()  # members a record may leave out (written only when they hold something)
    extra: Mapping[str, Any] = field(default_factory=dict)  # members `dump` adds, with their JSON Schemas
    # the model's fields not written as they are (secrets; or written another way, by `dump`); a test fails on a
    # field a table neither writes nor lists here, so a new field is never lost from the export unnoticed
    left_out: tuple[str, ...] = ()

    def model_field(self, name: str) -> Any:
        return self.model._meta.get_field(name)


def slug_keys(rows: list[tuple[int, str]]) -> dict[int, str]:
    """Keys from names, in the order given (by id): "northshire-council", then "northshire-council-2"."""
    from django.utils.text import slugify

    keys: dict[int, str] = {}
    taken: set[str] = set()
    for pk, name in rows:
        base = slugify(name)[:80] or "unnamed"
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        taken.add(key)
        keys[pk] = key
    return keys


KEY_SCHEMA: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 300}


def key_order(key: str) -> tuple[str, int]:
    """Document keys in the order they were given: "response-9" before "response-10"."""
    kind, _, number = key.rpartition("-")
    return (kind, int(number)) if number.isdigit() else (key, 0)


def key_text(kind: str, number: int) -> str:
    """A document key for the `number`th record of a kind: "decision-3"."""
    return f"{kind.rsplit('.', 1)[-1]}-{number}"


def value_out(model_field: Any, value: Any) -> Any:
    """A stored value as JSON: dates and times in ISO 8601 (times in UTC), decimals as text."""
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(model_field, models.DateField):
        return value.isoformat()
    if isinstance(model_field, models.DecimalField):
        return f"{Decimal(value):.{model_field.decimal_places}f}"
    if isinstance(model_field, models.FloatField):
        return float(value)
    return value


def value_in(model_field: Any, value: Any) -> Any:
    """A JSON value (already checked against the schema) as the model field holds it."""
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        return datetime.datetime.fromisoformat(value)
    if isinstance(model_field, models.DateField):
        return datetime.date.fromisoformat(value)
    if isinstance(model_field, models.DecimalField):
        return Decimal(value)
    if isinstance(model_field, models.FloatField):
        return float(value)
    return value


def path_text(parts: list[str | int] | tuple[str | int, ...]) -> str:
    """A JSON path: $.partnerships[2].memberships[0].organisation."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
