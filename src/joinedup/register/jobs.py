"""Background jobs of the register: importing a big file of organisations (see core.jobs)."""

from __future__ import annotations

import io
from typing import Any

from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.core.jobs import Report, job_enqueue, job_runner
from joinedup.core.models import Job
from joinedup.register.imports import FieldChange, ImportReport, RecordChange, RowError, organisations_import

IMPORT_JOB = "register.import"
BACKGROUND_FROM_LINES = 2_000  # files longer than this are imported by a background job, with progress
ERRORS_KEPT = 1_000  # a file that is wrong throughout lists its first problems, and says how many there are
CHANGES_KEPT = 1_000  # likewise the organisations a file changes: the first ones, and how many in all


def organisations_import_later(*, by: User, data: bytes, fmt: str, dry_run: bool, filename: str) -> Job:
    """Queue the import of a file of organisations; the job page shows its progress, then the report."""
    verb = "Check" if dry_run else "Import"
    return job_enqueue(
        kind=IMPORT_JOB,
        title=f"{verb} organisations from {filename}",
        by=by,
        params={"fmt": fmt, "dry_run": dry_run, "filename": filename, "lines": data.count(b"\n")},
        payload=data,
    )


@job_runner(IMPORT_JOB, result_url=lambda job: reverse("register:organisation_import_report", args=[job.pk]))
def import_organisations(job: Job, report: Report) -> dict[str, Any]:
    params = job.params
    lines = max(1, int(params["lines"]))
    seen = {"validating": 0, "writing": 0}

    def progress(stage: str, advance: int, total: int | None) -> None:
        seen[stage] += advance
        if stage == "validating":
            done = min(lines, seen[stage])
            report(done, 2 * lines, f"Checking rows: {done:,} of about {lines:,}")
        else:
            done = seen[stage]
            out_of = total or done
            report(lines + int(lines * done / max(1, out_of)), 2 * lines, f"Saving: {done:,} of {out_of:,}")

    try:
        result = organisations_import(
            by=job.created_by,
            path_or_file=io.BytesIO(bytes(job.payload or b"")),
            fmt=params["fmt"],
            dry_run=params["dry_run"],
            filename=params["filename"],
            progress=progress,
        )
    finally:
        Job.objects.filter(pk=job.pk).update(payload=None)  # the file is not kept once read
    errors = result.sorted_errors()
    return {
        "counts": result.counts(),
        "written": result.written,
        "errors": [[e.line, e.column, e.reason] for e in errors[:ERRORS_KEPT]],
        "error_total": len(errors),
        "changes": [_change_data(c) for c in result.changes[:CHANGES_KEPT]],
        "change_total": len(result.changes),
        "kept": [_change_data(c) for c in result.kept[:CHANGES_KEPT]],
        "kept_total": len(result.kept),
        "unknown_codes": result.unknown_codes,
        "code_list_version": result.code_list_version,
    }


def _change_data(change: RecordChange) -> list[Any]:
    return [
        change.line,
        change.pk,
        change.name,
        [[f.field, f.label, f.before, f.after] for f in change.fields],
    ]


def _change_from(data: list[Any]) -> RecordChange:
    line, pk, name, fields = data
    return RecordChange(line, pk, name, tuple(FieldChange(*f) for f in fields))


def report_from_result(job: Job) -> tuple[ImportReport, list[RowError], int]:
    """The ImportReport a finished import job stored, its (first) errors and how many errors there were."""
    result = job.result or {}
    counts = result["counts"]
    errors = [RowError(line, column, reason) for line, column, reason in result["errors"]]
    imported = ImportReport(
        fmt=counts["format"],
        dry_run=bool(job.params["dry_run"]),
        rows=counts["rows"],
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        skipped=counts["skipped"],
        errors=errors,
        changes=[_change_from(c) for c in result.get("changes", [])],
        kept=[_change_from(c) for c in result.get("kept", [])],
        unknown_codes=dict(result.get("unknown_codes", {})),
        code_list_version=int(result.get("code_list_version", 0)),
        written=result["written"],
    )
    return imported, errors, int(result["error_total"])
