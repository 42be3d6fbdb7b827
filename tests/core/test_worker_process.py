"""Background jobs run by real `joinedup db_worker` processes, as in production: two workers share one queue in
PostgreSQL and every job runs exactly once (they claim tasks with SELECT ... FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from joinedup.core.choices import JobStatus
from joinedup.register.jobs import organisations_import_later
from joinedup.register.models import Organisation
from tests.factories import UserFactory
from tests.register.test_imports import ods_row
from tests.register.test_imports_views import ods_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
FILES = 6
ROWS = 40


def worker_environment() -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "JOINEDUP_DEMO", "PYTEST_CURRENT_TEST")}
    env.update(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "a-secret-for-this-test-only-" + "x" * 40,
            "TASKS_BACKEND": "database",
        }
    )
    return env


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_two_worker_processes_share_the_queue_and_run_each_job_once() -> None:
    user = UserFactory()
    jobs = [
        organisations_import_later(
            by=user,
            data=ods_bytes([ods_row(f"Q{f}{r:03d}", f"Trust {f}-{r}") for r in range(ROWS)]),
            fmt="ods",
            dry_run=False,
            filename=f"file{f}.csv",
        )
        for f in range(FILES)
    ]
    command = [
        sys.executable,
        "-m",
        "joinedup.cli",
        "db_worker",
        "--batch",
        "--no-reload",
        "--verbosity",
        "0",
    ]
    workers: list[Any] = [
        subprocess.Popen(command, env=worker_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()

    for job in jobs:
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error
        assert job.result is not None and job.result["counts"]["created"] == ROWS
    assert Organisation.objects.count() == FILES * ROWS  # no file imported twice
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert DBTaskResult.objects.count() == FILES
