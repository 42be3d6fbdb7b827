"""organisations_import: the one write path for importing organisations from a file (web page and CLI)."""

from __future__ import annotations

import codecs
import io
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.core.services import audit_record
from joinedup.register.imports.fields import MATCH_ORDER
from joinedup.register.imports.parsers import PARSERS, ParsedRow, Parser
from joinedup.register.imports.report import ImportReport, ProgressCallback, RowError
from joinedup.register.models import Organisation

FORMATS = tuple(PARSERS)
LOOKUP_CHUNK = 900  # values per IN (...) query; below SQLite's oldest variable limit
CREATE_BATCH = 2000
UPDATE_BATCH = 500
PROGRESS_EVERY = 1000

T = TypeVar("T")
Source = str | os.PathLike[str] | IO[bytes] | IO[str] | Any


def organisations_import(
    *,
    by: User | None,
    path_or_file: Source,
    fmt: str,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    filename: str = "",
) -> ImportReport:
    """Import organisations from a file: all rows, or none if any row is wrong.

    `fmt` is "ods", "charity" or "csv". Rows update the organisation they match by identifier (org_id,
    then ods_code, charity_number, company_number; rows with none match by exact name and sector), or
    create one. The report counts created, updated, unchanged and skipped rows and lists every error
    with its line and column. With `dry_run` nothing is written; the counts say what would happen.
    """
    if fmt not in PARSERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    started = time.perf_counter()
    report = ImportReport(fmt=fmt, dry_run=dry_run)
    parser = PARSERS[fmt]()
    with _open_text(path_or_file) as stream:
        rows = list(_with_progress(parser, parser.rows(stream), progress))
    report.rows, report.skipped = parser.seen, parser.skipped
    errors = parser.errors
    if parser.seen == 0 and not errors:
        errors.append(RowError(1, "", "the file has no organisations in it"))
    rows = _drop_duplicates(rows, parser, errors)
    plan = _plan(rows, parser, errors)
    report.errors = errors
    if errors:
        report.seconds = time.perf_counter() - started
        return report
    report.created, report.updated, report.unchanged = len(plan.creates), len(plan.updates), plan.unchanged
    if not dry_run and plan.first is not None:
        try:
            _write(plan, by=by, report=report, filename=filename, progress=progress)
            report.written = True
        except IntegrityError as exc:
            report.created = report.updated = report.unchanged = 0
            report.errors = [
                RowError(0, "", f"the database refused the import, so nothing was saved ({exc})")
            ]
    report.seconds = time.perf_counter() - started
    return report


class _Plan:
    def __init__(self) -> None:
        self.creates: list[Organisation] = []
        self.updates: list[tuple[Organisation, frozenset[str]]] = []
        self.unchanged = 0
        self.first: Organisation | None = None  # the audit event's target


def _identifier(row: ParsedRow, name: str) -> str:
    return row.fields.get(name) or row.defaults.get(name) or ""


def _has_identifier(row: ParsedRow) -> bool:
    return any(_identifier(row, f) for f in MATCH_ORDER)


def _drop_duplicates(rows: list[ParsedRow], parser: Parser, errors: list[RowError]) -> list[ParsedRow]:
    """Report rows that repeat an identifier (or, lacking any, a name and sector) of an earlier row."""
    first_line: dict[tuple[str, Any], int] = {}
    kept = []
    for row in rows:
        keys = [(f, row.fields[f]) for f in MATCH_ORDER if row.fields.get(f)]
        if not _has_identifier(row):
            keys = [("name", (row.fields.get("name"), row.fields.get("sector")))]
        clash = False
        for key in keys:
            earlier = first_line.setdefault(key, row.line)
            if earlier != row.line:
                shown = key[1] if key[0] != "name" else key[1][0]
                what = "organisation with no identifier" if key[0] == "name" else "value"
                errors.append(
                    RowError(
                        row.line,
                        parser.label(key[0]),
                        f"duplicate {what} “{shown}”: line {earlier} has it too",
                    )
                )
                clash = True
        if not clash:
            kept.append(row)
    return kept


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _lookup(
    rows: list[ParsedRow],
) -> tuple[dict[str, dict[str, Organisation]], dict[tuple[str, str], list[Organisation]]]:
    """Existing organisations holding any identifier in the file: one chunked query per identifier kind."""
    canonical: dict[int, Organisation] = {}
    holders: dict[str, dict[str, Organisation]] = {}
    for name in MATCH_ORDER:
        values = sorted({v for row in rows if (v := _identifier(row, name))})
        found: dict[str, Organisation] = {}
        for chunk in _chunks(values, LOOKUP_CHUNK):
            for org in Organisation.objects.filter(**{f"{name}__in": chunk}):
                org = canonical.setdefault(org.pk, org)
                found[getattr(org, name)] = org
        holders[name] = found
    by_name: dict[tuple[str, str], list[Organisation]] = defaultdict(list)
    names = sorted({row.fields["name"] for row in rows if not _has_identifier(row)})
    blank = {f: "" for f in MATCH_ORDER}
    for chunk in _chunks(names, LOOKUP_CHUNK):
        for org in Organisation.objects.filter(name__in=chunk, **blank):
            by_name[(org.name, org.sector)].append(canonical.setdefault(org.pk, org))
    return holders, by_name


def _plan(rows: list[ParsedRow], parser: Parser, errors: list[RowError]) -> _Plan:
    """Decide, row by row, whether it creates, updates or leaves alone an organisation."""
    plan = _Plan()
    holders, by_name = _lookup(rows)
    claimed: dict[int, int] = {}  # organisation pk -> line that matched it
    for row in rows:
        target: Organisation | None = None
        if _has_identifier(row):
            target = next(
                (holders[f][v] for f in MATCH_ORDER if (v := _identifier(row, f)) in holders[f]), None
            )
        else:
            candidates = by_name.get((row.fields["name"], row.fields["sector"]), [])
            if len(candidates) > 1:
                errors.append(
                    RowError(
                        row.line,
                        parser.label("name"),
                        f"{len(candidates)} organisations in the register have this name and sector; "
                        "add an identifier so the row matches one",
                    )
                )
                continue
            target = candidates[0] if candidates else None
        if target is not None:
            if target.pk in claimed:
                errors.append(
                    RowError(
                        row.line,
                        "",
                        f"this row and line {claimed[target.pk]} both match "
                        f"“{target.name}” (organisation {target.pk})",
                    )
                )
                continue
            claimed[target.pk] = row.line
        values = dict(row.fields)
        for name, value in row.defaults.items():
            if target is None or not getattr(target, name):
                values[name] = value
        if not _no_conflicts(row, values, target, holders, parser, errors):
            continue
        if target is None:
            org = Organisation(**values)
            plan.creates.append(org)
        else:
            org = target
            changed = frozenset(name for name, value in values.items() if getattr(target, name) != value)
            if changed:
                for name in changed:
                    setattr(target, name, values[name])
                plan.updates.append((target, changed))
            else:
                plan.unchanged += 1
        if plan.first is None:
            plan.first = org
    return plan


def _no_conflicts(
    row: ParsedRow,
    values: dict[str, Any],
    target: Organisation | None,
    holders: dict[str, dict[str, Organisation]],
    parser: Parser,
    errors: list[RowError],
) -> bool:
    ok = True
    for name in MATCH_ORDER:
        holder = holders[name].get(values.get(name) or "")
        if holder is not None and (target is None or holder.pk != target.pk):
            errors.append(
                RowError(
                    row.line,
                    parser.label(name),
                    f"“{values[name]}” already belongs to "
                    f"“{holder.name}” (organisation {holder.pk}), which another identifier "
                    "on this row does not match",
                )
            )
            ok = False
    return ok


def _write(
    plan: _Plan, *, by: User | None, report: ImportReport, filename: str, progress: ProgressCallback | None
) -> None:
    total = len(plan.creates) + len(plan.updates)
    groups: dict[frozenset[str], list[Organisation]] = defaultdict(list)
    for org, changed in plan.updates:
        groups[changed].append(org)
    now = timezone.now()
    with transaction.atomic():
        for batch in _chunks(plan.creates, CREATE_BATCH):
            Organisation.objects.bulk_create(batch)
            if progress:
                progress("writing", len(batch), total)
        for changed, orgs in groups.items():
            for batch in _chunks(orgs, UPDATE_BATCH):
                for org in batch:
                    org.updated_at = now
                Organisation.objects.bulk_update(batch, [*sorted(changed), "updated_at"])
                if progress:
                    progress("writing", len(batch), total)
        target = plan.first
        assert target is not None
        if target.pk is None:  # a backend that cannot return ids from a bulk insert
            ident = next(f for f in ("org_id", "name") if getattr(target, f))
            target = Organisation.objects.filter(**{ident: getattr(target, ident)}).order_by("-pk").first()
            assert target is not None
        audit_record(
            by=by,
            verb="organisations.imported",
            target=target,
            data={**report.counts(), "file": filename, "first_organisation": str(target)},
        )


def _with_progress(
    parser: Parser, rows: Iterable[ParsedRow], progress: ProgressCallback | None
) -> Iterator[ParsedRow]:
    reported = 0
    for row in rows:
        yield row
        if progress and parser.seen - reported >= PROGRESS_EVERY:
            progress("validating", parser.seen - reported, None)
            reported = parser.seen
    if progress and parser.seen > reported:
        progress("validating", parser.seen - reported, None)


@contextmanager
def _open_text(source: Source) -> Iterator[Iterable[str]]:
    """The lines of a path, a text file, a binary file or a Django upload, as text (UTF-8, BOM dropped).

    Binary input is decoded line by line, so a line that is not UTF-8 is reported with its own number.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            yield _decoded(fh)
        return
    if isinstance(source, io.TextIOBase):
        yield source
        return
    raw: Any = getattr(source, "file", source)  # Django's UploadedFile wraps the real file
    if hasattr(raw, "seek"):
        raw.seek(0)
    yield _decoded(raw)


def _decoded(lines: Iterable[bytes]) -> Iterator[str]:
    first = True
    for line in lines:
        if first and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        first = False
        yield line.decode("utf-8")
