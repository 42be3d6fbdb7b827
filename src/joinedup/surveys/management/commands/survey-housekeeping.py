"""`joinedup survey-housekeeping [--dry-run]`: what the scheduled housekeeping job does, now.

Closes open waves whose closing date has passed, and deletes answers started through open links that were never
sent and have not changed for SURVEY_UNFINISHED_DAYS days. The workers run this every 15 minutes by themselves.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from joinedup.surveys.services import surveys_housekeeping


class Command(BaseCommand):
    help = "Close surveys past their closing date and delete open-link answers that were never sent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="say what would be done; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        done = surveys_housekeeping(dry_run=options["dry_run"])
        would = "Would close" if options["dry_run"] else "Closed"
        waves = f"{len(done.closed)} wave{'s' if len(done.closed) != 1 else ''}"
        self.stdout.write(
            f"{would} {waves} past their closing date"
            + (": " + ", ".join(done.closed) if done.closed else ".")
        )
        would = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"{would} {done.pruned} unfinished open-link response{'s' if done.pruned != 1 else ''} "
            "not changed for a while."
        )
