"""`joinedup restore FILE`: put a backup into a new, empty database, then check its audit chains (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `joinedup backup` into the configured database, which must be empty."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="a backup made by `joinedup backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(restore(Path(options["file"])))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        call_command("audit", "verify", stdout=self.stdout, stderr=self.stderr)
