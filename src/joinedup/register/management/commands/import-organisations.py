"""`joinedup import-organisations FILE --format ods|charity|csv [--dry-run] [--by EMAIL]`.

Exit status: 0 when the file imported (or, with --dry-run, would import), 2 when it has errors; then every
error is printed as `line N, column C: reason` and nothing is written. Otherwise the report lists every
organisation already in the register that changes (or would), field by field, `field: “before” → “after”`,
the richer values it keeps rather than replace with a code, and the ODS codes it could not name.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from joinedup.accounts.models import User
from joinedup.analysis.reading import add_limit_arguments, limits_from
from joinedup.register.imports import FORMATS, ImportReport, organisations_import


class Command(BaseCommand):
    help = "Import organisations from an ODS file, the Charity Commission register extract or a plain CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the file to import")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=FORMATS,
            required=True,
            help="ods: ODS CSV (no header, 27 columns); charity: Charity Commission extract "
            "(tab-separated); csv: plain CSV with a header naming organisation fields",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")
        parser.add_argument("--by", metavar="EMAIL", help="record the import in the audit log as this user")
        add_limit_arguments(parser)

    def handle(
        self,
        *args: Any,
        file: Path,
        fmt: str,
        dry_run: bool,
        by: str | None,
        **options: Any,
    ) -> None:
        if not file.is_file():
            raise CommandError(f"{file} is not a file", returncode=2)
        user = None
        if by:
            user = User.objects.filter(email=by.lower()).first()
            if user is None:
                raise CommandError(f"no user has the e-mail address {by}", returncode=2)
        bars: dict[str, tqdm[Any]] = {}

        def progress(stage: str, advance: int, total: int | None) -> None:
            if stage not in bars:
                for bar in bars.values():
                    bar.close()
                bars[stage] = tqdm(
                    total=total, desc=stage, unit=" rows", file=sys.stderr, leave=False, disable=None
                )
            bars[stage].update(advance)

        try:
            report = organisations_import(
                by=user,
                path_or_file=file,
                fmt=fmt,
                dry_run=dry_run,
                progress=progress,
                filename=file.name,
                limits=limits_from(options),
            )
        finally:
            for bar in bars.values():
                bar.close()
        self._print(report)
        if not report.ok:
            raise CommandError(
                f"{len(report.errors)} errors on {report.bad_lines} lines; nothing was imported", returncode=2
            )

    def _print(self, report: ImportReport) -> None:
        for error in report.sorted_errors():
            self.stderr.write(str(error))
        counts = report.counts()
        summary = ", ".join(
            f"{k}: {counts[k]}" for k in ("rows", "created", "updated", "unchanged", "skipped", "errors")
        )
        if report.ok and report.dry_run:
            self.stdout.write(f"Dry run, nothing written. {summary}")
        elif report.ok:
            self.stdout.write(self.style.SUCCESS(f"Imported in {report.seconds:.1f} s. {summary}"))
        else:
            self.stdout.write(f"Nothing imported. {summary}")
        if report.ok:
            self._print_changes(report)

    def _print_changes(self, report: ImportReport) -> None:
        would = "would change" if report.dry_run else "changed"
        if report.changes:
            self.stdout.write(f"Organisations already in the register that {would}: {len(report.changes)}")
        for change in report.changes:
            self.stdout.write(f"line {change.line}: {change.name} (organisation {change.pk})")
            for field in change.fields:
                self.stdout.write(f"  {field.label}: “{field.before}” → “{field.after}”")
        if report.kept:
            self.stdout.write(f"Values kept, as they say more than the file's code: {len(report.kept)}")
        for change in report.kept:
            for field in change.fields:
                self.stdout.write(
                    f"line {change.line}: {change.name} (organisation {change.pk}) keeps "
                    f"{field.label} “{field.before}”; the file has “{field.after}”"
                )
        if report.unknown_codes:
            codes = ", ".join(
                f"{code} ({rows} row{'s' if rows != 1 else ''})"
                for code, rows in report.unknown_codes.items()
            )
            self.stdout.write(
                f"Codes not in the ODS code list (version {report.code_list_version}), kept as codes: {codes}"
            )
