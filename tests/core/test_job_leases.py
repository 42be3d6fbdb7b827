"""Leases: a job whose worker died is queued again (when its runner is safe to re-run) or failed with a plain
reason, its task row does not stay RUNNING, and its page offers to try again (issue 11, part 3)."""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from joinedup.core import job_leases
from joinedup.core.choices import JobStatus
from joinedup.core.jobs import RUNNERS, Report, job_enqueue, job_runner, jobs_schedule_due
from joinedup.core.models import Job
from tests.factories import UserFactory

DATABASE_QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
ran: list[str] = []


@job_runner("test.again", rerun_safe=True)
def again(job: Job, report: Report) -> dict[str, Any]:
    ran.append(str(job.pk))
    return {"ok": True}


@job_runner("test.once")
def once(job: Job, report: Report) -> dict[str, Any]:
    ran.append(str(job.pk))
    return {"ok": True}


def tick(job: Job, report: Report) -> None:
    ran.append("tick")


@pytest.fixture
def scheduled() -> Iterator[None]:
    """A scheduled runner, for one test only (workers in other tests would queue it too)."""
    job_runner("test.tick", every=datetime.timedelta(hours=1), title="Tidy up")(tick)
    yield
    del RUNNERS["test.tick"]


@pytest.fixture(autouse=True)
def _forget() -> None:
    ran.clear()


def dead_process_owner() -> str:
    """A lease owner on this machine whose process has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    start = job_leases._process_start(os.getpid())  # any start time: the pid is gone anyway
    return f"{socket.gethostname()}:{child.pid}:{start}:abcd"


def running(kind: str, *, owner: str, expires: datetime.timedelta, attempts: int = 1, **kwargs: Any) -> Job:
    job = job_enqueue(kind=kind, title=f"Work of {kind}", by=kwargs.pop("by", None), **kwargs)
    task = DBTaskResult.objects.filter(status="READY").order_by("-enqueued_at").first()
    if task is not None:
        DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING", started_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        lease_owner=owner,
        lease_expires=timezone.now() + expires,
        attempts=attempts,
        task_id=str(task.pk) if task else "",
    )
    job.refresh_from_db()
    return job


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0")


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_a_rerun_safe_job_whose_worker_died_runs_again_under_the_next_worker() -> None:
    job = running("test.again", owner=dead_process_owner(), expires=datetime.timedelta(minutes=10))
    run_worker()  # recovers at start (the process is gone: no need to wait for the lease), then runs it
    job.refresh_from_db()
    assert (job.status, job.result, job.attempts) == (JobStatus.DONE, {"ok": True}, 2)
    assert ran == [str(job.pk)]
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]
    lost = DBTaskResult.objects.get(status="FAILED")
    assert lost.exception_class_path == "joinedup.core.job_leases.WorkerLost"


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_a_job_that_is_not_safe_to_repeat_fails_with_a_plain_reason_and_is_not_run(client: Any) -> None:
    user = UserFactory()
    job = running("test.once", owner=dead_process_owner(), expires=datetime.timedelta(minutes=10), by=user)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert "background worker doing it stopped" in job.error
    assert ran == []
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]
    client.force_login(user)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "background worker doing it stopped" in page
    assert "This carries on if you leave the page" not in page
    assert "Try again" not in page  # not safe to repeat: no button


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_a_job_on_another_machine_is_recovered_only_once_its_lease_has_run_out() -> None:
    elsewhere = "worker-7.elsewhere.example:4242:99:abcd"
    live = running("test.again", owner=elsewhere, expires=datetime.timedelta(seconds=30))
    assert job_leases.jobs_recover() == []
    assert Job.objects.get(pk=live.pk).status == JobStatus.RUNNING
    later = timezone.now() + datetime.timedelta(seconds=31)
    assert [j.pk for j in job_leases.jobs_recover(now=later)] == [live.pk]
    assert Job.objects.get(pk=live.pk).status == JobStatus.QUEUED


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_a_live_process_keeps_its_job_even_when_its_heartbeat_is_late() -> None:
    mine = f"{job_leases.process_prefix()}:abcd"
    job = running("test.again", owner=mine, expires=-datetime.timedelta(minutes=5))
    assert job_leases.jobs_recover() == []
    assert job_leases.leases_renew() == 1
    job.refresh_from_db()
    assert job.lease_expires is not None and job.lease_expires > timezone.now()


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_a_job_whose_worker_keeps_dying_stops_being_started_again() -> None:
    job = running("test.again", owner=dead_process_owner(), expires=datetime.timedelta(0), attempts=3)
    job_leases.jobs_recover()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "3 times" in job.error


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_a_failed_job_safe_to_repeat_can_be_tried_again_by_whoever_asked(client: Any) -> None:
    user, other = UserFactory(), UserFactory()
    job = running(
        "test.again", owner=dead_process_owner(), expires=datetime.timedelta(0), attempts=3, by=user
    )
    job_leases.jobs_recover()
    url = reverse("core:job_retry", args=[job.pk])
    client.force_login(other)
    assert client.post(url).status_code == 404  # someone else's job
    client.force_login(user)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert f'action="{url}"' in page and "Try again" in page
    assert client.get(url).status_code == 405  # a GET changes nothing
    response = client.post(url)
    retried = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[retried.pk])
    assert retried.params["origin"] == str(job.pk) and retried.status == JobStatus.QUEUED
    run_worker()
    retried.refresh_from_db()
    assert retried.status == JobStatus.DONE
    assert client.post(reverse("core:job_retry", args=[retried.pk])).status_code == 302  # refused: not failed
    assert Job.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
@pytest.mark.usefixtures("scheduled")
def test_scheduled_jobs_are_queued_once_per_interval() -> None:
    first = [j for j in jobs_schedule_due() if j.kind == "test.tick"]
    assert len(first) == 1 and first[0].title == "Tidy up"
    assert not [j for j in jobs_schedule_due() if j.kind == "test.tick"]  # waiting: not queued twice
    run_worker()
    assert "tick" in ran
    assert not [j for j in jobs_schedule_due() if j.kind == "test.tick"]  # ran within the hour
    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    assert [j.kind for j in jobs_schedule_due(now=later) if j.kind == "test.tick"] == ["test.tick"]


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_a_task_taken_by_a_worker_that_died_before_starting_its_job_is_closed_and_the_job_still_runs() -> (
    None
):
    job = job_enqueue(kind="test.once", title="Once", by=None)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    DBTaskResult.objects.update(status="RUNNING", started_at=long_ago)  # claimed, then the worker died
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and ran == [str(job.pk)]
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_every_page_that_shows_a_failed_job_offers_to_try_it_again() -> None:
    """The progress partial the wave, file and results pages include offers the button, not only the job page."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    user, other = UserFactory(), UserFactory()
    job = running(
        "test.again", owner=dead_process_owner(), expires=datetime.timedelta(0), attempts=3, by=user
    )
    job_leases.jobs_recover()
    job.refresh_from_db()
    url = reverse("core:job_retry", args=[job.pk])

    def shown_to(who: Any) -> str:
        request = RequestFactory().get("/somewhere/")
        request.user = who
        return render_to_string("core/_job_progress.html", {"job": job}, request=request)

    assert f'action="{url}"' in shown_to(user) and "did not finish" in shown_to(user)
    assert f'action="{url}"' not in shown_to(other)  # only whoever asked for it
