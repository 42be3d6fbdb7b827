"""Background jobs: queued with django-tasks, run by its database worker or at once, with progress a page shows."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import QuerySet
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from joinedup.core.choices import JobStatus
from joinedup.core.jobs import FAILED_UNEXPECTEDLY, JobError, Report, job_enqueue, job_runner
from joinedup.core.models import Job
from tests.factories import UserFactory

DATABASE_QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
seen: list[str] = []


@job_runner("test.count", result_url=lambda job: f"/results/{job.pk}/")
def count(job: Job, report: Report) -> dict[str, Any]:
    total = int(job.params["up_to"])
    for done in range(total + 1):
        report(done, total, "Counting")
    seen.append(str(job.pk))
    return {"counted": total, "payload": bytes(job.payload or b"").decode()}


@job_runner("test.refuse")
def refuse(job: Job, report: Report) -> None:
    report(1, 4, "Checking")
    raise JobError("The file has no ties in it.")


@job_runner("test.crash")
def crash(job: Job, report: Report) -> None:
    raise ZeroDivisionError("a bug")


@pytest.fixture(autouse=True)
def _forget_seen() -> None:
    seen.clear()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0")


@pytest.mark.django_db
def test_a_job_runs_after_commit_and_keeps_its_result_and_progress(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test.count", title="Count", by=user, params={"up_to": 1000}, payload=b"hi")
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED  # not before the commit
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result == {"counted": 1000, "payload": "hi"}
    assert (job.done, job.total, job.percent) == (1000, 1000, 100)
    assert job.started_at is not None and job.finished_at is not None
    assert job.created_by == user


@pytest.mark.django_db
def test_a_refused_job_fails_with_its_plain_reason(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test.refuse", title="Refuse", by=None)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The file has no ties in it."
    assert (job.done, job.total, job.message) == (1, 4, "Checking")
    assert job.result is None


@pytest.mark.django_db
def test_a_crashing_job_tells_the_user_little_and_logs_the_rest(
    django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test.crash", title="Crash", by=None)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == FAILED_UNEXPECTEDLY
    assert "ZeroDivisionError" in caplog.text


@pytest.mark.django_db
def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match=r"test\.nothing"):
        job_enqueue(kind="test.nothing", title="?", by=None)


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as between requests
@DATABASE_QUEUE
def test_the_database_worker_runs_queued_jobs() -> None:
    first = job_enqueue(kind="test.count", title="One", by=None, params={"up_to": 3})
    second = job_enqueue(kind="test.count", title="Two", by=None, params={"up_to": 5})
    assert DBTaskResult.objects.count() == 2
    assert Job.objects.filter(status=JobStatus.QUEUED).count() == 2
    run_worker()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.result) == (JobStatus.DONE, {"counted": 3, "payload": ""})
    assert (second.status, second.result) == (JobStatus.DONE, {"counted": 5, "payload": ""})
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as between requests
@DATABASE_QUEUE
def test_the_same_work_asked_for_again_before_it_starts_runs_once() -> None:
    jobs = [
        job_enqueue(kind="test.count", title="Rescore", by=None, key="wave:7", params={"up_to": 1})
        for _ in range(5)
    ]
    assert len({job.pk for job in jobs}) == 1
    assert DBTaskResult.objects.count() == 1
    other = job_enqueue(kind="test.count", title="Rescore", by=None, key="wave:8", params={"up_to": 1})
    assert other.pk != jobs[0].pk
    run_worker()
    assert sorted(seen) == sorted([str(jobs[0].pk), str(other.pk)])


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as between requests
@DATABASE_QUEUE
def test_work_asked_for_while_it_runs_is_queued_again() -> None:
    first = job_enqueue(kind="test.count", title="Rescore", by=None, key="wave:7", params={"up_to": 1})
    Job.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING)  # a worker has started it
    again = job_enqueue(kind="test.count", title="Rescore", by=None, key="wave:7", params={"up_to": 1})
    assert again.pk != first.pk
    assert again.status == JobStatus.QUEUED


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_losing_the_race_to_a_job_that_then_starts_queues_the_work_again(monkeypatch: Any) -> None:
    """Two requests queue the same work at once: ours finds nothing waiting, the other's insert wins, and a
    worker starts that job before we look again. Ours must still queue the work, not fail (CI saw this)."""
    real_first = QuerySet.first
    rival: list[Job] = []

    def first(self: Any) -> Any:
        found = real_first(self)
        if not rival:  # the other request's insert lands between our look and our insert ...
            rival.append(
                Job.objects.create(kind="test.count", key="wave:7", title="Rescore", params={"up_to": 1})
            )
        else:  # ... and, when we look again after our insert failed, a worker has taken it
            Job.objects.filter(pk=rival[0].pk).update(status=JobStatus.RUNNING)
            found = real_first(self)
        return found

    monkeypatch.setattr(QuerySet, "first", first)
    job = job_enqueue(kind="test.count", title="Rescore", by=None, key="wave:7", params={"up_to": 1})
    assert job.pk != rival[0].pk
    assert job.status == JobStatus.QUEUED
    assert Job.objects.get(pk=rival[0].pk).status == JobStatus.RUNNING
    assert DBTaskResult.objects.count() == 1  # ours has its task (the rival's was not queued here)


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as between requests
@DATABASE_QUEUE
def test_a_job_asked_for_in_a_transaction_that_fails_leaves_nothing_behind() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        job_enqueue(kind="test.count", title="Count", by=None, params={"up_to": 1})
        raise RuntimeError("the request failed")
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as between requests
@DATABASE_QUEUE
def test_a_job_already_run_is_not_run_twice() -> None:
    job = job_enqueue(kind="test.count", title="Count", by=None, params={"up_to": 1})
    run_worker()
    from joinedup.core.jobs import run_job

    run_job.enqueue(str(job.pk))  # a second delivery of the same task
    run_worker()
    assert seen == [str(job.pk)]


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as between requests
@DATABASE_QUEUE
def test_the_progress_page_shows_how_far_a_job_has_got(client: Any) -> None:
    user = UserFactory()
    job = job_enqueue(kind="test.count", title="Analyse the Northshire file", by=user, params={"up_to": 8})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=2, total=8, message="Counting")
    client.force_login(user)
    url = reverse("core:job", args=[job.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Analyse the Northshire file" in text
    assert "25% done" in text
    assert 'hx-trigger="every 2s"' in text
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()

    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)  # let the worker claim it
    run_worker()
    ended = client.get(url, headers={"HX-Request": "true"})
    assert ended.status_code == 286  # htmx stops polling
    assert f'href="/results/{job.pk}/"' in ended.content.decode()
    assert "hx-trigger" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_only_the_person_who_asked_sees_a_job(client: Any) -> None:
    job = job_enqueue(kind="test.count", title="Count", by=UserFactory(), params={"up_to": 1})
    url = reverse("core:job", args=[job.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_prune_jobs_deletes_only_jobs_that_ended_long_ago() -> None:
    import datetime

    from django.utils import timezone

    now = timezone.now()
    old_done = Job.objects.create(
        kind="test.count", title="old", status=JobStatus.DONE, finished_at=now - datetime.timedelta(days=40)
    )
    old_failed = Job.objects.create(
        kind="test.count",
        title="old failed",
        status=JobStatus.FAILED,
        finished_at=now - datetime.timedelta(days=31),
    )
    recent = Job.objects.create(
        kind="test.count", title="recent", status=JobStatus.DONE, finished_at=now - datetime.timedelta(days=2)
    )
    waiting = Job.objects.create(kind="test.count", title="waiting", status=JobStatus.QUEUED)
    out = io.StringIO()
    call_command("prune-jobs", "--dry-run", stdout=out)
    assert out.getvalue() == "Would delete 2 jobs that ended over 30 days ago.\n"
    assert Job.objects.count() == 4
    call_command("prune-jobs", stdout=out)
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not Job.objects.filter(pk__in=[old_done.pk, old_failed.pk]).exists()
    call_command("prune-jobs", "--days", "0", stdout=out)
    assert set(Job.objects.values_list("pk", flat=True)) == {waiting.pk}


@pytest.mark.django_db
def test_people_find_their_background_work_again_from_the_home_page(client: Any) -> None:
    user, other = UserFactory(), UserFactory()
    for i in range(3):
        job_enqueue(kind="test.count", title=f"Analyse file {i}", by=user, params={"up_to": 1})
    job_enqueue(kind="test.count", title="Someone else's import", by=other, params={"up_to": 1})
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("core:job_list")}"' in home
    page = client.get(reverse("core:job_list")).content.decode()
    assert [f"Analyse file {i}" in page for i in range(3)] == [True, True, True]
    assert "Someone else" not in page
    assert page.index("Analyse file 2") < page.index("Analyse file 0")  # newest first
