"""A real `joinedup db_worker` killed with SIGKILL mid-job: a second worker recovers the job and finishes it,
and nobody is e-mailed twice (issue 11, part 3). On SQLite (a file database of the test's own) and PostgreSQL
(a database of the test's own beside the test database)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
INVITED = 40


def _environment(url: str, emails: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "JOINEDUP_DEMO", "PYTEST_CURRENT_TEST", "EMAIL_FILE_PATH", "STATIC_ROOT")
    }
    env.update(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "a-secret-for-this-test-only-" + "x" * 40,
            "TASKS_BACKEND": "database",
            "EMAIL_BACKEND": "tests.core.slow_email.EmailBackend",
            "EMAIL_FILE_PATH": str(emails),
            "SLOW_EMAIL_SECONDS": "0.1",
            # A long lease: the second worker must recover the job because its worker is gone, not by waiting.
            "JOBS_LEASE_SECONDS": "600",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def _scenario(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.fault_scenario", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


WORKER = [
    sys.executable,
    "-m",
    "joinedup.cli",
    "db_worker",
    "--no-reload",
    "--no-startup-delay",
    "--verbosity",
    "0",
]


def _emailed(emails: Path) -> Counter[str]:
    """How many e-mails each address was sent (the file backend writes every message it sends)."""
    counts: Counter[str] = Counter()
    for path in emails.glob("*.log"):
        for line in path.read_text().splitlines():
            if line.startswith("To: "):
                counts[line.removeprefix("To: ").strip()] += 1
    return counts


def _kill_mid_job_then_finish(url: str, tmp_path: Path) -> None:
    emails = tmp_path / "emails"
    emails.mkdir()
    env = _environment(url, emails)
    _scenario(env, "setup", str(INVITED))

    first = subprocess.Popen([*WORKER, "--interval", "0.2"], env=env, cwd=REPO, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while sum(_emailed(emails).values()) < 8:
        assert first.poll() is None, first.stderr.read().decode() if first.stderr else ""
        assert time.monotonic() < deadline, "the first worker sent nothing"
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    assert first.stderr is not None
    first.stderr.close()
    killed_at = sum(_emailed(emails).values())
    assert 8 <= killed_at < INVITED, "kill the worker part-way through"
    stuck = _scenario(env, "report")
    assert stuck["status"] == "running" and stuck["tasks"] == ["RUNNING"]  # what a dead worker leaves

    second = subprocess.run(
        [*WORKER, "--batch"], env=env, cwd=REPO, capture_output=True, text=True, timeout=180
    )
    assert second.returncode == 0, second.stderr
    assert "lost its worker: waiting to start" in second.stderr

    final = _scenario(env, "report")
    assert final["status"] == "done", final["error"]
    assert final["attempts"] == 2
    # The lost run's task row is failed, not left running; the run that finished the work succeeded.
    assert final["tasks"] == ["FAILED", "SUCCESSFUL"]
    emailed = _emailed(emails)
    assert max(emailed.values()) == 1, "someone was e-mailed twice"
    result = final["result"]
    assert result["uncertain"] <= 1  # at most the one being sent at the moment of the kill
    assert result["sent"] + result["uncertain"] == INVITED and result["skipped"] == 0
    assert len(emailed) >= INVITED - result["uncertain"]
    confirmed = {email for email, state in final["invitations"].items() if state["confirmed"]}
    assert len(confirmed) == INVITED - result["uncertain"]
    assert confirmed <= set(emailed)  # everyone recorded as sent was sent their e-mail, once
    assert all(state["begun"] for state in final["invitations"].values())


def test_a_worker_killed_mid_job_on_sqlite_leaves_it_to_the_next_worker(tmp_path: Path) -> None:
    _kill_mid_job_then_finish(f"sqlite:///{tmp_path / 'jobs.sqlite3'}", tmp_path)


@pytest.mark.postgres
def test_a_worker_killed_mid_job_on_postgresql_leaves_it_to_the_next_worker(tmp_path: Path) -> None:
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_sigkill"[:60]
    server = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _kill_mid_job_then_finish(
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}", tmp_path
        )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ANALYSIS = """
import sys
import igraph as ig
import numpy as np
from joinedup.analysis.network import pivot_estimates
graph = ig.Graph.Erdos_Renyi(n=20_000, m=100_000, directed=True)
print("started", flush=True)
pivot_estimates(graph, np.arange(20_000), workers=3)  # about a minute of work, shared with 2 helpers
"""


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc (Linux)")
def test_the_helper_processes_of_a_network_analysis_die_with_it() -> None:
    """A job's worker killed with SIGKILL in the middle of a network analysis leaves no helper running."""
    analysis = subprocess.Popen([sys.executable, "-c", ANALYSIS], cwd=REPO, stdout=subprocess.PIPE)
    try:
        assert analysis.stdout is not None and analysis.stdout.readline() == b"started\n"
        deadline = time.monotonic() + 60
        helpers: set[int] = set()
        while len(helpers) < 2:  # the two helpers (and perhaps multiprocessing's resource tracker)
            assert time.monotonic() < deadline, "the helpers did not start"
            helpers = {
                p for p in _children(analysis.pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
            }
            time.sleep(0.1)
        time.sleep(1.5)  # the helpers are at work
        everything = _children(analysis.pid)
        os.kill(analysis.pid, signal.SIGKILL)
        analysis.wait(timeout=30)
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in everything):
            assert time.monotonic() < deadline, f"left running: {[p for p in everything if _alive(p)]}"
            time.sleep(0.1)
    finally:
        if analysis.poll() is None:
            analysis.kill()
            analysis.wait()
        if analysis.stdout is not None:
            analysis.stdout.close()
