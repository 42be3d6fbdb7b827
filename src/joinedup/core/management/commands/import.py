"""`joinedup import FILE.json [--dry-run] [--by EMAIL] [--max-bytes SIZE]`: put a JoinedUp export into this database.

All or nothing: every problem is listed with its JSON path and the command exits 2 with nothing written.
`--dry-run` checks everything and says what would be made, writing nothing. docs/export.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.analysis.reading import DEFAULT_LIMITS, MB, FileReadError, read_bytes, size
from joinedup.core.exchange_import import ImportRefused, import_bytes


class Command(BaseCommand):
    help = "Import a JoinedUp export (made by `joinedup export`), all or nothing (docs/export.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.json", help="the export to import")
        parser.add_argument("--dry-run", action="store_true", help="check it and say what would be made")
        parser.add_argument("--by", metavar="EMAIL", help="record the import in the audit log as this user")
        parser.add_argument(
            "--max-bytes",
            type=size,
            metavar="SIZE",
            help=f"the largest file read (default {DEFAULT_LIMITS.max_bytes // MB}M; see docs/limits.md)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limits = DEFAULT_LIMITS.replace(max_bytes=options["max_bytes"])
        by = None
        if options["by"]:
            by = get_user_model()._default_manager.filter(email=options["by"].lower()).first()
            if by is None:
                raise CommandError(f"No user has the e-mail address {options['by']}.", returncode=2)
        path = Path(options["file"])
        try:
            data = read_bytes(path, limits=limits)
        except FileNotFoundError as exc:
            raise CommandError(f"There is no file {path}.", returncode=2) from exc
        except FileReadError as exc:
            raise CommandError(f"{path}: $: {exc}", returncode=2) from exc
        try:
            report = import_bytes(data, dry_run=options["dry_run"], by=by, limits=limits)
        except ImportRefused as exc:
            raise CommandError(
                f"{path} was not imported; nothing was written.\n" + "\n".join(exc.problems), returncode=2
            ) from exc
        self.stdout.write("\n".join(report.lines()))
