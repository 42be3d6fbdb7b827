"""Leases: a running job belongs to one process for a while, and is recovered when that process is gone.

A job that starts takes a lease: `lease_owner` names the process ("host:pid:start-time:attempt") and
`lease_expires` says until when. The worker (`joinedup db_worker`) renews the leases of the jobs it runs from a
heartbeat thread every quarter of the lease; progress writes renew it too. When a worker is killed (`kill -9`,
out of memory, the machine restarts), its leases run out. A worker that starts, and every worker every
`JOBS_SWEEP_SECONDS`, looks for running jobs that are abandoned:

- on this machine, a job whose process is gone is abandoned at once (a live process keeps its job even if its
  heartbeat was held up, say by a long write on SQLite);
- elsewhere, a job whose lease ran out.

An abandoned job whose runner declared itself safe to run again (`@job_runner(..., rerun_safe=True)`) is queued
again, up to MAX_ATTEMPTS times in all; any other is marked failed with a plain-English reason, and its page
offers to try again. The django-tasks task row of the lost run is marked failed too, so nothing stays "running".
The same sweep queues the scheduled jobs that are due (`@job_runner(..., every=...)`).
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
import socket
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
WORKER_LOST = (
    "This stopped part-way because the background worker doing it stopped (it was restarted, or ran out of "
    "memory). It was not started again by itself, because doing it twice could repeat what it had already done: "
    "check what it changed, then try again."
)
WORKER_LOST_AGAIN = (
    "This stopped part-way {attempts} times because the background worker doing it stopped (it was restarted, "
    "or ran out of memory), so it was not started again. Try again later; if it stops again, tell the people "
    "who run JoinedUp."
)
SUPERSEDED = (
    "This stopped part-way because the background worker doing it stopped; the same work has been asked for "
    "again since, and that request will do it."
)


def lease_length() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOBS_LEASE_SECONDS)


def _process_start(pid: int) -> str:
    """When process `pid` started (clock ticks since boot, from /proc), or "" where that cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def process_prefix() -> str:
    """This process, as leases name it: host, pid and start time (so a reused pid is not mistaken for it)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_process_start(pid)}"


def new_owner() -> str:
    return f"{process_prefix()}:{secrets.token_hex(4)}"


def _owner_gone(owner: str) -> bool | None:
    """True if the owning process is known to be gone, False if it is alive, None if it is on another host."""
    try:
        host, pid_text, start, _attempt = owner.rsplit(":", 3)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    if start and Path("/proc").is_dir():
        return _process_start(pid) != start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _abandoned(job: Job, now: datetime.datetime) -> bool:
    gone = _owner_gone(job.lease_owner)
    if gone is not None:
        return gone
    if job.lease_expires is None:  # started before leases existed
        return job.started_at is None or job.started_at < now - lease_length()
    return job.lease_expires < now


def jobs_recover(*, now: datetime.datetime | None = None) -> list[Job]:
    """Find running jobs whose process is gone or whose lease ran out; queue them again or fail them.

    Returns the jobs recovered (with their new status). Safe to run from any number of workers at once."""
    now = now or timezone.now()
    here = f"{socket.gethostname()}:"
    candidates = Job.objects.filter(status=JobStatus.RUNNING).filter(
        Q(lease_expires__lt=now) | Q(lease_expires__isnull=True) | Q(lease_owner__startswith=here)
    )
    recovered = []
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=JobStatus.RUNNING)
                .first()
            )
            if job is None or not _abandoned(job, now):
                continue
            _recover(job, now)
            recovered.append(job)
    _tasks_recover(now)
    return recovered


def _tasks_recover(now: datetime.datetime) -> None:
    """Task rows left RUNNING longer than a lease whose job is not running: the worker died between taking the
    task and starting the job (or after finishing the job). Close them; a job still waiting is queued again."""
    from django_tasks_db.models import DBTaskResult

    from joinedup.core.jobs import enqueue_task, run_job

    stale = DBTaskResult.objects.filter(
        status="RUNNING", task_path=run_job.module_path, started_at__lt=now - lease_length()
    )
    for row in list(stale[:1000]):
        args = (row.args_kwargs or {}).get("args") or [None]
        job = Job.objects.filter(pk=args[0]).first() if args[0] else None
        if job is not None and job.status == JobStatus.RUNNING:
            continue  # its lease decides
        with transaction.atomic():
            if job is not None and job.status == JobStatus.DONE:
                DBTaskResult.objects.filter(pk=row.pk, status="RUNNING").update(
                    status="SUCCESSFUL", finished_at=now
                )
                continue
            _fail_task_row(str(row.pk), now)
            if job is not None and job.status == JobStatus.QUEUED:
                enqueue_task(str(job.pk))


def _recover(job: Job, now: datetime.datetime) -> None:
    from joinedup.core.jobs import RUNNERS, enqueue_task

    _fail_task_row(job.task_id, now)
    runner = RUNNERS.get(job.kind)
    reason = ""
    if runner is None or not runner.rerun_safe:
        reason = WORKER_LOST
    elif job.attempts >= MAX_ATTEMPTS:
        reason = WORKER_LOST_AGAIN.format(attempts=job.attempts)
    elif job.key and Job.objects.filter(kind=job.kind, key=job.key, status=JobStatus.QUEUED).exists():
        reason = SUPERSEDED
    if reason:
        job.status, job.error, job.finished_at = JobStatus.FAILED, reason, now
        fields: dict[str, Any] = {"status": job.status, "error": reason, "finished_at": now}
        logger.warning("Job %s (%s) lost its worker and failed", job.pk, job.kind)
    else:
        job.status, job.message = JobStatus.QUEUED, "Starting again: the worker doing this stopped"
        fields = {"status": job.status, "message": job.message, "started_at": None}
        logger.warning("Job %s (%s) lost its worker and is queued again", job.pk, job.kind)
    Job.objects.filter(pk=job.pk).update(lease_owner="", lease_expires=None, **fields)
    if not reason:
        enqueue_task(str(job.pk))


def _fail_task_row(task_id: str, now: datetime.datetime) -> None:
    """Mark the django-tasks row of a lost run failed (its worker cannot: it is gone)."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path="joinedup.core.job_leases.WorkerLost",
        traceback="The worker running this task stopped before it finished (see the job's page).",
    )


def leases_renew() -> int:
    """Renew the leases of the jobs this process is running; returns how many."""
    return Job.objects.filter(
        status=JobStatus.RUNNING, lease_owner__startswith=f"{process_prefix()}:"
    ).update(lease_expires=timezone.now() + lease_length())


class Heartbeat(threading.Thread):
    """The worker's heartbeat: renews its jobs' leases; now and then recovers abandoned jobs and queues the
    scheduled jobs that are due (a daemon thread, with its own database connection)."""

    def __init__(self) -> None:
        super().__init__(name="joinedup-heartbeat", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        from joinedup.core.jobs import jobs_schedule_due

        beat = max(0.2, settings.JOBS_LEASE_SECONDS / 4)
        sweep_every = max(beat, float(settings.JOBS_SWEEP_SECONDS))
        since_sweep = 0.0
        while not self.stopping.wait(beat):
            since_sweep += beat
            try:
                leases_renew()
                if since_sweep >= sweep_every:
                    since_sweep = 0.0
                    jobs_recover()
                    jobs_schedule_due()
            except Exception:  # a database hiccup must not stop the heartbeat: try again next beat
                logger.exception("The worker's heartbeat failed")
            finally:
                connection.close()

    def stop(self) -> None:
        self.stopping.set()
