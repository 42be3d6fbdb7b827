"""`joinedup prune-jobs [--days N] [--dry-run]`: delete background jobs that ended more than N days ago.

A finished job keeps its result (and, for some kinds, the files it made) for its page; run this daily (cron or a
scheduler) to keep the database small. Jobs still waiting or running are never touched. It also forgets the API's
idempotency keys older than IDEMPOTENCY_KEEP_HOURS (joinedup.core.idempotency).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core import idempotency
from joinedup.core.jobs import jobs_prune

DEFAULT_DAYS = 30


class Command(BaseCommand):
    help = "Delete background jobs (their progress, results and files) that ended more than N days ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"keep jobs that ended within this many days (default {DEFAULT_DAYS})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be deleted; delete nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 0:
            raise CommandError(f"--days must be 0 or more, not {options['days']}")
        count = jobs_prune(older_than=datetime.timedelta(days=options["days"]), dry_run=options["dry_run"])
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"{verb} {count} job{'s' if count != 1 else ''} that ended over {options['days']} days ago."
        )
        if not options["dry_run"]:
            keys = idempotency.prune()
            self.stdout.write(f"Forgot {keys} API idempotency key{'s' if keys != 1 else ''}.")
