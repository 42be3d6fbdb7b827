"""Background jobs: long work that runs outside the request, with progress a user can watch.

An app declares the work in its `jobs.py` (found when Django starts):

    @job_runner("networks.file", result_url=lambda job: reverse("networks:file_result", args=[job.pk]))
    def analyse_file(job: Job, report: Report) -> dict[str, Any]:
        report(0, n, "Reading the file")
        ...
        return {...}            # stored as job.result

and a service asks for it with `job_enqueue(kind="networks.file", title=..., by=user, payload=data)`.

The queue is django-tasks with its database backend (`joinedup db_worker` runs the work; `joinedup demo` starts
one beside the web server), so nothing beyond the database is needed. With `TASKS_BACKEND=immediate` (the
tests' default) the work runs in the same process as soon as the request's transaction commits.

A runner must not hold one transaction open for its whole run: progress is written as it goes, so pages can
show it; write the result in a short transaction at the end.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between progress writes, at most
FAILED_UNEXPECTEDLY = (
    "Something went wrong while doing this, and it was not finished. Please try again; if it fails again, "
    "tell the people who run JoinedUp (the details are in their logs)."
)


class Report(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


class JobError(Exception):
    """Raised by a runner to stop with a plain-English reason that the user is shown."""


@dataclass(frozen=True)
class Runner:
    kind: str
    run: Callable[[Job, Report], dict[str, Any] | None]
    result_url: Callable[[Job], str] | None = None


RUNNERS: dict[str, Runner] = {}


def job_runner(
    kind: str, *, result_url: Callable[[Job], str] | None = None
) -> Callable[
    [Callable[[Job, Report], dict[str, Any] | None]], Callable[[Job, Report], dict[str, Any] | None]
]:
    """Register the function that does the work of jobs of this kind."""

    def register(
        run: Callable[[Job, Report], dict[str, Any] | None],
    ) -> Callable[[Job, Report], dict[str, Any] | None]:
        if kind in RUNNERS and RUNNERS[kind].run is not run:
            raise ValueError(f"Two runners for the job kind {kind!r}")
        RUNNERS[kind] = Runner(kind=kind, run=run, result_url=result_url)
        return run

    return register


def job_result_url(job: Job) -> str | None:
    runner = RUNNERS.get(job.kind)
    if runner is None or runner.result_url is None or job.status != JobStatus.DONE:
        return None
    return runner.result_url(job)


def job_enqueue(
    *,
    kind: str,
    title: str,
    by: Any | None,
    key: str = "",
    partnership: Any = None,
    params: dict[str, Any] | None = None,
    payload: bytes | None = None,
) -> Job:
    """Queue a job; it starts once the current transaction commits.

    With a `key`, a job of the same kind and key that has not started yet is returned instead of a new one,
    so a burst of requests for the same work (say, many answers submitted at once) runs it once more, not once
    each. A job that is already running is not reused: its data may already be out of date.
    """
    if kind not in RUNNERS:
        raise ValueError(f"No runner for the job kind {kind!r}")
    with transaction.atomic():
        if key:
            waiting = Job.objects.filter(kind=kind, key=key, status=JobStatus.QUEUED).first()
            if waiting is not None:
                return waiting
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    kind=kind,
                    key=key,
                    title=title[:200],
                    created_by=by if by is not None and by.is_authenticated else None,
                    partnership=partnership,
                    params=params or {},
                    payload=payload,
                )
        except IntegrityError:
            # Another request queued the same work between our check and insert.
            return Job.objects.get(kind=kind, key=key, status=JobStatus.QUEUED)
        job_id = str(job.pk)
        if _queue_in_database():
            # The task row is written in this transaction: the job and its task exist together or not at all.
            run_job.enqueue(job_id)
        else:
            transaction.on_commit(lambda: run_job.enqueue(job_id))
    return job


def _queue_in_database() -> bool:
    backend = settings.TASKS["default"]["BACKEND"]
    return str(backend).startswith("django_tasks_db.")


class _Progress:
    """Writes a job's progress as it goes, at most every PROGRESS_INTERVAL seconds (and always at the end)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL and done < total:
            return
        self.last = now
        self.job.done, self.job.total, self.job.message = done, total, message[:200]
        Job.objects.filter(pk=self.job.pk).update(done=done, total=total, message=message[:200])


@task()
def run_job(job_id: str) -> None:
    """The django-tasks task behind every job: claim it, run its runner, record the outcome."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.info("Job %s was not waiting to run (already run, or deleted)", job_id)
        return
    job = Job.objects.get(pk=job_id)
    runner = RUNNERS.get(job.kind)
    try:
        if runner is None:
            raise RuntimeError(f"No runner for the job kind {job.kind!r}")
        result = runner.run(job, _Progress(job))
    except JobError as error:
        _finish(job, JobStatus.FAILED, error=str(error))
    except Exception:
        _finish(job, JobStatus.FAILED, error=FAILED_UNEXPECTEDLY)
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        raise  # the task backend records the traceback too
    else:
        _finish(job, JobStatus.DONE, result=result)


def _finish(job: Job, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> None:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if status == JobStatus.DONE:
        fields.update(result=result, done=job.total or job.done)
    Job.objects.filter(pk=job.pk).update(**fields)


def jobs_prune(*, older_than: datetime.timedelta, dry_run: bool = False) -> int:
    """Delete jobs that ended (finished or failed) longer ago than `older_than`; returns how many."""
    ended = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=timezone.now() - older_than
    )
    if dry_run:
        return ended.count()
    count, _ = ended.delete()
    return count
