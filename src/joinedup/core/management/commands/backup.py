"""`joinedup backup FILE`: a consistent copy of the whole database (SQLite's backup API, or pg_dump); docs/backup.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (a new file): SQLite's online backup, or pg_dump's custom format."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="where to write the backup (must not exist yet)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(backup(Path(options["file"])))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
