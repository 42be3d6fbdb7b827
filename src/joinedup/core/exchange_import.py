"""`joinedup import FILE.json [--dry-run]`: a JoinedUp export put into this database, all or nothing.

1. The file is read by the bounded JSON reader (size, nesting, encoding, repeated member names) and checked
   against the shipped JSON Schema (core.exchange_schema); then every key is checked: none used twice, every
   pointer naming a record of this file or (organisations, people, users, partnerships) of the database.
   Every problem is reported with its JSON path; nothing is written while there is one.
2. A dry run stops there and says what would be made. Otherwise, in one transaction, every record is made
   depth first in the order of the file (an agreement version's clauses before it is frozen), pointers to
   records made later are set at the end, and one audit event (`records.imported`) is written per partnership
   and one for the register. Any refusal by the database rolls everything back and names the record.

Users and organisations already in the database (the same e-mail address; the same key) are used, not made
again; a partnership already in the database is refused. Users made by an import have no password: they sign
in by setting one ("Forgotten your password?") or by single sign-on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from joinedup.analysis.reading import DEFAULT_LIMITS, FileReadError, Limits
from joinedup.analysis.reading_json import load_json
from joinedup.core.choices import AuditVerb
from joinedup.core.exchange_export import FORMAT, VERSION, tables
from joinedup.core.exchange_schema import document_validator
from joinedup.core.exchange_spec import KIND_WORDS, NATURAL_KINDS, RecordProblem, Table, path_text, value_in
from joinedup.core.registry import exchange_parts
from joinedup.core.services import audit_record

MAX_LISTED = 50
Path = tuple[str | int, ...]


class ImportRefused(Exception):
    """The file cannot be imported; `problems` each start with a JSON path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@contextmanager
def refused_at(path: Path) -> Iterator[None]:
    """Turn the database's (or a value's) refusal of what is at `path` into an ImportRefused naming it."""
    try:
        yield
    except ValueError as exc:
        raise ImportRefused([f"{path_text(path)}: {exc}"]) from exc
    except (IntegrityError, DatabaseError, ValidationError) as exc:
        message = " ".join(str(exc).split())[:300]
        raise ImportRefused([f"{path_text(path)}: the database refused this ({message})"]) from exc


@dataclass
class ImportReport:
    """What an import made (or, in a dry run, would make): per list, how many records are new and how many
    were found in the database already."""

    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would make" if self.dry_run else "made"
        out = [f"{'Dry run: nothing was written. ' if self.dry_run else ''}The import {verb}:"]
        for name in sorted(set(self.created) | set(self.existing)):
            line = f"  {name}: {self.created[name]:,} new"
            if self.existing[name]:
                line += f", {self.existing[name]:,} already in the database (used as they are)"
            out.append(line)
        return out


def _walk(document: dict[str, Any]) -> list[tuple[Table, dict[str, Any], Path, Path | None]]:
    """Every record of the document as (table, record, its path, its parent's path), depth first in order."""
    found: list[tuple[Table, dict[str, Any], Path, Path | None]] = []

    def visit(table: Table, records: list[Any], base: Path, parent: Path | None) -> None:
        for i, record in enumerate(records):
            path = (*base, i)
            found.append((table, record, path, parent))
            for child in table.children:
                visit(child, record.get(child.name, []), (*path, child.name), path)

    top, inner = tables("top"), tables("partnership")
    for table in top:
        if table.name != "partnerships":
            visit(table, document.get(table.name, []), (table.name,), None)
    for i, partnership in enumerate(document.get("partnerships", [])):
        path: Path = ("partnerships", i)
        found.append((_named(top, "partnerships"), partnership, path, None))
        for table in inner:
            visit(table, partnership.get(table.name, []), (*path, table.name), path)
    return found


def _named(tables: list[Table], name: str) -> Table:
    return next(table for table in tables if table.name == name)


class Importer:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.records = _walk(document)
        self.problems: list[str] = []
        self.in_file: dict[str, dict[str, Path]] = defaultdict(dict)
        self.in_database: dict[str, dict[str, int]] = {}
        for part in exchange_parts:
            for kind, keys_of in part.natural_keys:
                self.in_database[kind] = {key: pk for pk, key in keys_of().items()}
        self.made: dict[str, dict[str, int]] = defaultdict(dict)  # kind -> key -> id, as rows are made
        self.row_of: dict[Path, Any] = {}
        self.later: list[tuple[Any, str, str, str, Path]] = []  # (row, field, kind, key, path)
        self.report = ImportReport()

    # -- checking ---------------------------------------------------------------------------------------

    def check(self) -> None:
        for table, record, path, _parent in self.records:
            if table.key and "key" in record:
                first = self.in_file[table.key].get(record["key"])
                if first is not None:
                    self.problems.append(
                        f"{path_text((*path, 'key'))}: the key {record['key']!r} is used twice "
                        f"(first at {path_text(first)})"
                    )
                self.in_file[table.key][record["key"]] = path
        kept: set[Path] = (
            set()
        )  # records already in the database, and what is below them (left as it is there)
        for table, record, path, parent in self.records:
            if parent in kept:
                kept.add(path)
                continue
            if self.check_record(table, record, path):
                kept.add(path)

    def check_record(self, table: Table, record: dict[str, Any], path: Path) -> bool:
        """Check one record's pointers and count it; True if it is in the database already (and used as is)."""
        for name, kind in table.refs.items():
            self.check_key(kind, record.get(name), (*path, name))
        for name, kind in table.many.items():
            for i, key in enumerate(record.get(name, [])):
                self.check_key(kind, key, (*path, name, i))
        for name in table.generic:
            value = record.get(name)
            if value is not None:
                self.check_key(value["kind"], value["key"], (*path, name, "key"))
        if table.key == "partnership" and record.get("key") in self.in_database.get("partnership", {}):
            self.problems.append(
                f"{path_text((*path, 'key'))}: a partnership with the key {record['key']!r} is already in "
                "the database (an import makes partnerships; it does not merge into one)"
            )
        existing = table.key in NATURAL_KINDS and record.get("key") in self.in_database.get(table.key, {})
        label = ".".join(str(p) for p in path if isinstance(p, str))
        label = label if label == "partnerships" else label.removeprefix("partnerships.")
        existing = existing and table.key != "person"
        (self.report.existing if existing else self.report.created)[label] += 1
        return existing

    def check_key(self, kind: str, key: Any, path: Path) -> None:
        if key is None or key in self.in_file.get(kind, {}):
            return
        if kind in NATURAL_KINDS and key in self.in_database.get(kind, {}):
            return
        words = KIND_WORDS.get(kind, kind.rsplit(".", 1)[-1])
        where = "this file or the database" if kind in NATURAL_KINDS else "this file"
        self.problems.append(f"{path_text(path)}: no {words} with the key {key!r} in {where}")

    # -- writing ----------------------------------------------------------------------------------------

    def pk_of(self, kind: str, key: str) -> int | None:
        """The id of the record `key` names, made by this import or (natural kinds) in the database."""
        found = self.made.get(kind, {}).get(key)
        if found is None and key not in self.in_file.get(kind, {}):
            found = self.in_database.get(kind, {}).get(key)
        return found

    def write(self) -> None:
        finish_after: dict[Path, tuple[Table, Any, dict[str, Any]]] = {}
        for table, record, path, parent in self.records:
            self.flush_finished(finish_after, path)
            row = self.make(table, record, path, parent)
            if row is not None and table.finish is not None:
                finish_after[path] = (table, row, record)
        self.flush_finished(finish_after, None)
        for row, name, kind, key, path in self.later:
            with refused_at((*path, name.removesuffix("_id"))):
                type(row)._default_manager.filter(pk=row.pk).update(**{name: self.pk_of(kind, key)})
        for table, record, path, _parent in self.records:
            row = self.row_of.get(path)
            for name, kind in table.many.items() if row is not None else ():
                with refused_at((*path, name)):
                    getattr(row, name).set([self.pk_of(kind, key) for key in record.get(name, [])])

    def flush_finished(
        self, waiting: dict[Path, tuple[Table, Any, dict[str, Any]]], path: Path | None
    ) -> None:
        """Run `finish` of every record whose children are all made (the next record is not below it)."""
        for done in [p for p in waiting if path is None or path[: len(p)] != p]:
            table, row, record = waiting.pop(done)
            assert table.finish is not None
            with refused_at(done):
                problem = table.finish(row, record)
            if problem:
                raise ImportRefused([f"{path_text(done)}: {problem}"])

    def make(self, table: Table, record: dict[str, Any], path: Path, parent: Path | None) -> Any:
        if table.key in NATURAL_KINDS and table.key != "person":
            existing = self.in_database.get(table.key, {}).get(record.get("key", ""))
            if existing is not None:
                self.made[table.key][record["key"]] = existing
                return None
        if parent is not None and parent not in self.row_of:
            return None  # below a record that was already in the database: left as it is there
        values = {}
        for name in table.fields:
            if name in record or table.model_field(name).null:  # a member left out is empty, not a default
                with refused_at((*path, name)):
                    values[name] = value_in(table.model_field(name), record.get(name))
        waiting: list[tuple[str, str, str]] = []
        for name, kind in table.refs.items():
            self.point(values, waiting, f"{name}_id", kind, record.get(name))
        for name, (kind_field, id_field) in table.generic.items():
            value = record.get(name)
            values[kind_field] = value["kind"] if value else ""
            self.point(values, waiting, id_field, value["kind"] if value else "", value and value["key"])
        if table.parent is not None and parent is not None and "__" not in table.parent:
            values[f"{table.parent}_id"] = self.row_of[parent].pk
        if table.prepare is not None:
            try:
                values = table.prepare(record, values)
            except RecordProblem as exc:
                raise ImportRefused([f"{path_text(path)}.{exc}"]) from exc
        row = table.model(**values)
        with refused_at(path), transaction.atomic():
            type(row).save_base(row, raw=True)
        self.row_of[path] = row
        if table.key and "key" in record:
            self.made[table.key][record["key"]] = row.pk
        self.later += [(row, name, kind, key, path) for name, kind, key in waiting]
        return row

    def point(
        self, values: dict[str, Any], waiting: list[tuple[str, str, str]], name: str, kind: str, key: Any
    ) -> None:
        if key is None:
            values[name] = None
            return
        pk = self.pk_of(kind, key)
        if pk is None:  # a record this file makes later: set once everything is made
            waiting.append((name, kind, key))
        values[name] = pk

    def audit(self, *, by: Any) -> None:
        """One `records.imported` event per partnership made (with what was made in it) on its chain, and one
        on the register's chain for the organisations, people and users made (on the first of them)."""
        counts: dict[Any, Counter[str]] = defaultdict(Counter)
        first_register_row = None
        for _table, _record, path, _parent in self.records:
            if path not in self.row_of:
                continue
            where = path[:2] if path[0] == "partnerships" else "register"
            label = ".".join(str(p) for p in path if isinstance(p, str))
            counts[where][label.removeprefix("partnerships.") if len(path) > 2 else label] += 1
            if where == "register" and first_register_row is None:
                first_register_row = self.row_of[path]
        for where, made in counts.items():
            target = first_register_row if where == "register" else self.row_of[where]
            assert target is not None
            audit_record(
                by=by,
                verb=AuditVerb.RECORDS_IMPORTED,
                target=target,
                data={"made": dict(sorted(made.items()))},
            )


_current: list[Importer] = []


def current() -> Importer:
    """The import running now (for a table's `prepare` that must turn keys held in JSON into ids)."""
    return _current[-1]


def document_problems(document: Any) -> list[str]:
    """What is wrong with the document's shape: its format and version first, then the JSON Schema."""
    if not isinstance(document, dict):
        return ["$: the file holds no JSON object, so it is not a JoinedUp export"]
    if document.get("format") != FORMAT:
        return [f'$.format: this is not a JoinedUp export (its "format" must be "{FORMAT}")']
    if document.get("version") != VERSION:
        return [
            f"$.version: this file is version {document.get('version')!r} of the export format; this JoinedUp "
            f"reads version {VERSION}"
        ]
    errors = sorted(
        document_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]
    )
    return [f"{path_text(tuple(error.absolute_path))}: {error.message}" for error in errors]


def import_bytes(
    data: bytes, *, dry_run: bool = False, by: Any = None, limits: Limits = DEFAULT_LIMITS
) -> ImportReport:
    """Import an export's bytes (see the module's text); raises ImportRefused with every problem found."""
    try:
        document = load_json(data, limits=limits)
    except FileReadError as exc:
        raise ImportRefused([f"$: {exc}"]) from exc
    problems = document_problems(document)
    if problems:
        raise ImportRefused(_capped(problems))
    importer = Importer(document)
    importer.check()
    if importer.problems:
        raise ImportRefused(_capped(importer.problems))
    importer.report.dry_run = dry_run
    if dry_run:
        return importer.report
    _current.append(importer)
    try:
        with transaction.atomic(durable=True):
            importer.write()
            importer.audit(by=by)
    finally:
        _current.pop()
    return importer.report


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_LISTED:
        return problems
    return [*problems[:MAX_LISTED], f"and {len(problems) - MAX_LISTED:,} more problems"]
