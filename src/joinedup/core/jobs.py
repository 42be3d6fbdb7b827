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

A running job holds a lease renewed by the worker's heartbeat; a job whose worker died is queued again if its
runner says `rerun_safe=True` (running it twice must do no harm: no e-mail sent twice, no row written twice),
and otherwise fails with a plain-English reason (see core.job_leases). `every=` makes a scheduled job: the
workers queue it when that long has passed since the last one.
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
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import TaskContext, task

from joinedup.core import job_leases
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
    rerun_safe: bool = False
    every: datetime.timedelta | None = None
    title: str = ""
    retry_needs: Any = None  # the permission (in the job's partnership) trying again needs, beyond seeing it
    result_label: str = "See the results"  # the words of the link to `result_url` once the job is done


RUNNERS: dict[str, Runner] = {}


def job_runner(
    kind: str,
    *,
    result_url: Callable[[Job], str] | None = None,
    rerun_safe: bool = False,
    every: datetime.timedelta | None = None,
    title: str = "",
    retry_needs: Any = None,
    result_label: str = "See the results",
) -> Callable[
    [Callable[[Job, Report], dict[str, Any] | None]], Callable[[Job, Report], dict[str, Any] | None]
]:
    """Register the function that does the work of jobs of this kind.

    `rerun_safe`: the job may be run again from the start after its worker died part-way (and tried again by
    its user after it failed; `retry_needs` is the permission that needs in the job's partnership). `every`: a
    scheduled job, queued by the workers that often (named `title`). `result_label`: the words of the progress
    page's link to `result_url` once done ("Download the pack")."""

    def register(
        run: Callable[[Job, Report], dict[str, Any] | None],
    ) -> Callable[[Job, Report], dict[str, Any] | None]:
        if kind in RUNNERS and RUNNERS[kind].run is not run:
            raise ValueError(f"Two runners for the job kind {kind!r}")
        RUNNERS[kind] = Runner(
            kind=kind,
            run=run,
            result_url=result_url,
            rerun_safe=rerun_safe,
            every=every,
            title=title or kind,
            retry_needs=retry_needs,
            result_label=result_label,
        )
        return run

    return register


def job_result_url(job: Job) -> str | None:
    runner = RUNNERS.get(job.kind)
    if runner is None or runner.result_url is None or job.status != JobStatus.DONE:
        return None
    return runner.result_url(job)


def job_result_label(job: Job) -> str:
    """The words of the link to a finished job's result ("See the results", "Download the pack")."""
    runner = RUNNERS.get(job.kind)
    return runner.result_label if runner is not None else "See the results"


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
    # Bounded: each lost race means another request queued the work and a worker took it in between.
    for _ in range(_ENQUEUE_TRIES):
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
                # Another request queued the same work between our check and insert; it may have started
                # since, in which case the next try queues a new job (that one's data may be out of date).
                continue
            enqueue_task(str(job.pk))
        return job
    raise RuntimeError(
        f"Could not queue a {kind!r} job with key {key!r}: it kept being queued and started at once"
    )


_ENQUEUE_TRIES = 5


def enqueue_task(job_id: str) -> None:
    """Queue the task that runs a job (call inside the transaction that queued the job)."""
    if _queue_in_database():
        # The task row is written in this transaction: the job and its task exist together or not at all.
        run_job.enqueue(job_id)
    else:
        transaction.on_commit(lambda: run_job.enqueue(job_id))


def job_retry(*, by: Any, job: Job) -> Job:
    """Ask again for the work of a failed job (same kind, title, parameters and files); returns the new job.

    Only for runners that are safe to run again; `params["origin"]` names the first job of the chain, so a
    runner can tell what an earlier try already did (invitations already e-mailed are not sent again)."""
    runner = RUNNERS.get(job.kind)
    if job.status != JobStatus.FAILED or runner is None or not runner.rerun_safe:
        raise ValueError("Only a failed job whose work is safe to repeat can be tried again")
    params = {**job.params, "origin": job.params.get("origin") or str(job.pk)}
    payload = bytes(job.payload) if job.payload is not None else None
    return job_enqueue(
        kind=job.kind,
        title=job.title,
        by=by,
        key=job.key,
        partnership=job.partnership,
        params=params,
        payload=payload,
    )


def job_can_retry(job: Job, user: Any) -> bool:
    """May `user` (who can see the job) try its work again? Only a failed job whose work is safe to repeat."""
    runner = RUNNERS.get(job.kind)
    if job.status != JobStatus.FAILED or runner is None or not runner.rerun_safe or runner.every is not None:
        return False
    if runner.retry_needs is not None and job.partnership is not None:
        from joinedup.core.permissions import has_permission

        return has_permission(user, runner.retry_needs, job.partnership)
    return True


def job_origin(job: Job) -> str:
    """The first job of a chain of tries (see job_retry): what a rerun-safe runner keys its side effects by."""
    return str(job.params.get("origin") or job.pk)


def jobs_schedule_due(*, now: datetime.datetime | None = None) -> list[Job]:
    """Queue each scheduled job (`every=`) whose last run was longer ago than its interval."""
    now = now or timezone.now()
    queued = []
    for runner in list(RUNNERS.values()):
        if runner.every is None:
            continue
        recent = Q(created_at__gte=now - runner.every) | Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        if not Job.objects.filter(recent, kind=runner.kind).exists():
            queued.append(job_enqueue(kind=runner.kind, title=runner.title, by=None, key="scheduled"))
    return queued


def _queue_in_database() -> bool:
    backend = settings.TASKS["default"]["BACKEND"]
    return str(backend).startswith("django_tasks_db.")


class _Progress:
    """Writes a job's progress as it goes, at most every PROGRESS_INTERVAL seconds (and always at the end)."""

    def __init__(self, job: Job, owner: str) -> None:
        self.job = job
        self.owner = owner
        self.last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL and done < total:
            return
        self.last = now
        self.job.done, self.job.total, self.job.message = done, total, message[:200]
        Job.objects.filter(pk=self.job.pk, lease_owner=self.owner).update(
            done=done,
            total=total,
            message=message[:200],
            lease_expires=timezone.now() + job_leases.lease_length(),
        )


@task(takes_context=True)
def run_job(context: TaskContext, job_id: str) -> None:
    """The django-tasks task behind every job: claim it (taking its lease), run its runner, record the outcome."""
    job_run_here(job_id, task_id=str(context.task_result.id))


def job_run_here(job_id: str, *, task_id: str = "") -> None:
    """Run a queued job in this process, now (what the task does; tests and commands may call it directly)."""
    owner = job_leases.new_owner()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        lease_owner=owner,
        lease_expires=now + job_leases.lease_length(),
        attempts=F("attempts") + 1,
        task_id=task_id[:64],
    )
    if not claimed:
        logger.info("Job %s was not waiting to run (already run, or deleted)", job_id)
        return
    job = Job.objects.get(pk=job_id)
    runner = RUNNERS.get(job.kind)
    try:
        if runner is None:
            raise RuntimeError(f"No runner for the job kind {job.kind!r}")
        result = runner.run(job, _Progress(job, owner))
    except JobError as error:
        _finish(job, owner, JobStatus.FAILED, error=str(error))
    except Exception:
        _finish(job, owner, JobStatus.FAILED, error=FAILED_UNEXPECTEDLY)
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        raise  # the task backend records the traceback too
    else:
        _finish(job, owner, JobStatus.DONE, result=result)


def _finish(
    job: Job, owner: str, status: str, *, result: dict[str, Any] | None = None, error: str = ""
) -> None:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if status == JobStatus.DONE:
        fields.update(result=result, done=job.total or job.done)
    # Only while this run still holds the lease: a run given up for lost must not overwrite the run after it.
    if not Job.objects.filter(pk=job.pk, lease_owner=owner).update(lease_expires=None, **fields):
        logger.warning(
            "Job %s (%s) finished after it was given up for lost; its outcome is dropped", job.pk, job.kind
        )


def jobs_prune(*, older_than: datetime.timedelta, dry_run: bool = False) -> int:
    """Delete jobs that ended (finished or failed) longer ago than `older_than`; returns how many."""
    ended = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=timezone.now() - older_than
    )
    if dry_run:
        return ended.count()
    count, _ = ended.delete()
    return count
