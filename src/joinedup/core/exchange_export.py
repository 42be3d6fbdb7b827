"""`joinedup export`: the whole database, or one partnership, as one JSON document (docs/export.md).

Reads only. The apps' parts (core.registry.exchange_parts) say what goes in; this walks them: first every
row is fetched and every record that something may point at is given its key (organisations, people, users and
partnerships keep their natural keys; other records get "decision-3", numbered in the order written), then the
records are written with their pointers as keys. Nothing holds a database id.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections import defaultdict
from typing import Any

from django.db.models import F
from django.utils import timezone

from joinedup.core.exchange_spec import Table, key_text, value_out
from joinedup.core.registry import ExchangePart, exchange_parts

FORMAT = "joinedup"
VERSION = 1


class Scope:
    """What an export covers: everything, or one partnership (and what its records point at)."""

    def __init__(self, partnership: Any | None) -> None:
        self.partnership = partnership
        self.referenced: dict[str, set[int]] = defaultdict(set)

    @property
    def whole(self) -> bool:
        return self.partnership is None


class Exporter:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.keys: dict[str, dict[int, str]] = {}
        self.counters: dict[str, int] = defaultdict(int)
        self.rows: dict[tuple[int, int | None], list[Any]] = {}  # (id of the table, parent's id) -> rows
        for part in exchange_parts:
            for kind, keys_of in part.natural_keys:
                self.keys[kind] = keys_of()
        # kinds whose keys come from the records, not from their place in the file
        self.natural = set(self.keys)

    # -- fetching rows and naming them ------------------------------------------------------------------

    def fetch(self, table: Table, parent_ids: list[int] | None) -> None:
        """Fetch `table`'s rows below the given parents (None: the top-level rows), then its children's."""
        queryset = table.model._default_manager.all()
        if table.parent is not None:
            queryset = queryset.filter(**{f"{table.parent}__in": parent_ids}).annotate(
                _parent=F(table.parent)
            )
        if table.rows is not None:
            queryset = table.rows(queryset, self.scope)
        queryset = queryset.order_by("pk")
        if table.many:
            queryset = queryset.prefetch_related(*table.many)
        rows = list(queryset)
        if table.sort_key is not None:
            rows.sort(key=table.sort_key)
        by_parent: dict[tuple[int, int | None], list[Any]] = defaultdict(list)
        for row in rows:
            parent = row._parent if table.parent else None
            by_parent[(id(table), parent)].append(row)
        self.rows.update(by_parent)
        for child in table.children:
            self.fetch(child, [row.pk for row in rows])

    def name_rows(self, table: Table, parent: int | None) -> None:
        """Give keys, in the order the records will be written (depth first), to those that need them."""
        rows = self.rows.get((id(table), parent), [])
        if table.content_order is not None and any(table.content_order(row) for row in rows):
            rows.sort(key=lambda row: json.dumps(self.record(table, row, keyless=True), sort_keys=True))
        for row in rows:
            if table.key and table.key not in self.natural:
                self.counters[table.key] += 1
                self.keys.setdefault(table.key, {})[row.pk] = key_text(table.key, self.counters[table.key])
            for child in table.children:
                self.name_rows(child, row.pk)

    # -- writing records --------------------------------------------------------------------------------

    def key_of(self, kind: str, pk: int | None) -> str | None:
        if pk is None:
            return None
        self.scope.referenced[kind].add(pk)
        found = self.keys.get(kind, {}).get(pk)
        return found

    def record(self, table: Table, row: Any, *, keyless: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if table.key and not keyless:
            out["key"] = self.keys[table.key][row.pk]
        for name in table.fields:
            out[name] = value_out(table.model_field(name), getattr(row, table.model_field(name).attname))
        for name, kind in table.refs.items():
            out[name] = self.key_of(kind, getattr(row, f"{name}_id"))
        for name, kind in table.many.items():
            keys = [self.key_of(kind, other.pk) for other in getattr(row, name).all()]
            out[name] = sorted(k for k in keys if k is not None)
        for name, (kind_field, id_field) in table.generic.items():
            kind, ident = getattr(row, kind_field), getattr(row, id_field)
            key = self.key_of(kind, ident) if kind and ident is not None else None
            out[name] = {"kind": kind, "key": key} if key is not None else None
        for child in table.children:
            out[child.name] = self.records(child, row.pk, keyless=keyless)
        if table.dump is not None:
            out = table.dump(row, out)
        return out

    def records(self, table: Table, parent: int | None, *, keyless: bool = False) -> list[dict[str, Any]]:
        rows = self.rows.get((id(table), parent), [])
        if table.sort_by_keys is not None:
            order = table.sort_by_keys
            rows = sorted(rows, key=lambda row: order(row, self))
        return [self.record(table, row, keyless=keyless) for row in rows]


_current: list[Exporter] = []


def current() -> Exporter:
    """The export running now (for a table's `dump` that must map ids held in JSON to keys)."""
    return _current[-1]


def parts(level: str) -> list[ExchangePart]:
    return [part for part in exchange_parts if part.level == level]


def tables(level: str) -> list[Table]:
    """The tables of a level, with the tables other parts attach inside them (ExchangePart.attach)."""
    attached: dict[str, list[Table]] = defaultdict(list)
    for part in exchange_parts:
        for host, table in part.attach:
            attached[host].append(table)

    def resolve(table: Table, prefix: str) -> Table:
        path = f"{prefix}{table.name}"
        children = tuple(resolve(child, f"{path}.") for child in (*table.children, *attached[path]))
        return dataclasses.replace(table, children=children) if attached[path] or table.children else table

    return [resolve(table, "") for part in parts(level) for table in part.tables]


def export_document(
    *, partnership: Any | None = None, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """The document: {"format", "version", "exported_at", "scope", <top-level lists>, "partnerships": [...]}."""
    exporter = Exporter(Scope(partnership))
    _current.append(exporter)
    try:
        return _export(exporter, now or timezone.now())
    finally:
        _current.pop()


def _export(exporter: Exporter, now: datetime.datetime) -> dict[str, Any]:
    top, inner = tables("top"), tables("partnership")
    for table in top:
        exporter.fetch(table, None)
    partnerships_table = _table(top, "partnerships")
    partnership_ids = [row.pk for row in exporter.rows.get((id(partnerships_table), None), [])]
    for table in inner:
        exporter.fetch(table, partnership_ids)
    for table in top:
        exporter.name_rows(table, None)
    for pk in partnership_ids:
        for table in inner:
            exporter.name_rows(table, pk)
    partnerships = []
    for row in exporter.rows.get((id(partnerships_table), None), []):
        record = exporter.record(partnerships_table, row)
        for table in inner:
            record[table.name] = exporter.records(table, row.pk)
        partnerships.append(record)
    # the register's lists last: a partnership's export holds only what its records point at
    lists: dict[str, Any] = {}
    for table in reversed(top):
        if table.name != "partnerships":
            lists[table.name] = [
                exporter.record(table, row)
                for row in exporter.rows.get((id(table), None), [])
                if exporter.scope.whole or row.pk in exporter.scope.referenced[table.key]
            ]
    scope = exporter.scope
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.astimezone(datetime.UTC).isoformat(),
        "scope": {"partnership": exporter.keys["partnership"][scope.partnership.pk]}
        if scope.partnership
        else "all",
    }
    document.update({table.name: lists[table.name] for table in top if table.name != "partnerships"})
    document["partnerships"] = partnerships
    return document


def _table(tables: list[Table], name: str) -> Table:
    return next(table for table in tables if table.name == name)
