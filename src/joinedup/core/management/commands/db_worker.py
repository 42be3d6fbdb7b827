"""`joinedup db_worker`: django-tasks-db's worker, with JoinedUp's job leases (see joinedup.core.job_leases).

Before taking tasks it recovers jobs left running by a worker that died (queued again, or failed with a reason),
then keeps a heartbeat thread that renews the leases of the jobs it runs and, every JOBS_SWEEP_SECONDS, recovers
abandoned jobs and queues the scheduled jobs that are due. Every option is django-tasks-db's.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from joinedup.core.job_leases import Heartbeat, jobs_recover


class Command(DatabaseWorkerCommand):
    help = "Run background jobs from the database queue (recovering jobs whose worker died)."

    def handle(self, *args: Any, **options: Any) -> None:
        for job in jobs_recover():
            self.stderr.write(
                f"Job {job.pk} ({job.title}) lost its worker: {job.get_status_display().lower()}."
            )
        heartbeat = Heartbeat()
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
