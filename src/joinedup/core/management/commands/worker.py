"""`joinedup worker`: the background worker for production, the same as `joinedup db_worker` (leases, recovery of
jobs whose worker died, scheduled jobs) under the name docs/deploy.md and the systemd unit use."""

from __future__ import annotations

from joinedup.core.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = "Run JoinedUp's background jobs (the same as db_worker; run one or more beside `joinedup serve`)."
