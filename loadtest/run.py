"""Run the load (and, with --kill, the fault) test and report; `python -m loadtest --help`.

Everything runs on this machine over loopback: a fresh PostgreSQL database (dropped afterwards), two `joinedup
serve` processes with two workers each, one `joinedup worker`, and the load's threads. After the load the run
waits for the background jobs to finish and checks the database: every acknowledged submission is there once,
nothing is half-written, no job is left waiting, running or failed."""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from loadtest import people
from loadtest.browser import Stats

REPO = Path(__file__).resolve().parents[1]
JOINEDUP = str(Path(sys.executable).parent / "joinedup")
PG = os.environ.get("LOADTEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")


@dataclass
class Result:
    seconds: float
    killed: bool
    stats: Stats
    ledger: people.Ledger
    healthz_per_second: float
    health_page: list[float] = field(
        default_factory=list
    )  # seconds, 20 coordinators reading it and nothing else
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.stats.statuses.items() if status >= 500)

    @property
    def passed(self) -> bool:
        c = self.checks
        return (
            self.server_errors == 0
            and c["surveys_lost"] == 0
            and c["surveys_extra"] == 0
            and c["feedback_lost"] == 0
            and c["feedback_duplicated"] == 0
            and c["half_written"] == 0
            and c["jobs_unfinished"] == 0
            and c["jobs_failed"] == 0
            and not self.ledger.failures
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Site:
    """The database and the processes serving it."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None) -> None:
        self.db = f"joinedup_load_{secrets.token_hex(4)}"
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "PYTEST", "DJANGO_ALLOW"))
        }
        for key in ("DEBUG", "JOINEDUP_DEMO", "CACHE_URL", "REDIS_URL"):
            self.env.pop(key, None)
        self.env.update(
            DATABASE_URL=f"{PG}/{self.db}",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            TRUST_X_FORWARDED_PROTO="true",  # as behind the TLS-terminating proxy of docs/deploy.md
            STATIC_ROOT=str(workdir / "static"),
            MEDIA_ROOT=str(workdir / "media"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            TWO_STEP_REQUIRED="",
            JOBS_LEASE_SECONDS="5",  # a killed worker's job is taken up again soon
            JOBS_SWEEP_SECONDS="2",
            FEEDBACK_ANSWERS_PER_CLIENT="1000000",  # every respondent comes from 127.0.0.1 here
            FEEDBACK_ANSWERS_PER_LINK="1000000",
            DJANGO_SETTINGS_MODULE="joinedup.settings",
        )
        if env is not None:  # the same secret and settings as the site this one is a copy of
            self.env.update({k: v for k, v in env.items() if k != "DATABASE_URL"})
        self.ports = [_free_port(), _free_port()]
        self.servers: list[subprocess.Popen[bytes] | None] = [None, None]
        self.worker: subprocess.Popen[bytes] | None = None
        self.logs = workdir

    def copy(self) -> Site:
        """A new site whose database is a copy of this one's (PostgreSQL's CREATE DATABASE ... TEMPLATE)."""
        site = Site(self.logs, self.env)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{site.db}" TEMPLATE "{self.db}"')
        return site

    def create(self, respondents: int) -> dict[str, Any]:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{self.db}"')
        for args in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["createcachetable"]):
            self._run([JOINEDUP, *args])
        out = self._run([sys.executable, "-m", "loadtest.seed", str(respondents)])
        seed: dict[str, Any] = json.loads(out)
        return seed

    def _run(self, argv: list[str]) -> str:
        done = subprocess.run(argv, env=self.env, cwd=REPO, capture_output=True, text=True, timeout=600)
        if done.returncode:
            raise RuntimeError(f"{' '.join(argv[-2:])} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _spawn(self, argv: list[str], log: str) -> subprocess.Popen[bytes]:
        with open(self.logs / log, "ab") as out:
            return subprocess.Popen(
                argv, env=self.env, cwd=REPO, stdout=out, stderr=out, start_new_session=True
            )

    def start_server(self, i: int) -> None:
        argv = [JOINEDUP, "serve", "--addr", f"127.0.0.1:{self.ports[i]}", "--workers", "2"]
        self.servers[i] = self._spawn(argv, f"server{i}.log")
        self._wait_up(self.ports[i])

    def start_worker(self) -> None:
        self.worker = self._spawn([JOINEDUP, "worker"], "worker.log")

    def kill(self, process: subprocess.Popen[bytes] | None) -> None:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the whole group: gunicorn's master and its workers
            process.wait(timeout=30)

    def stop(self) -> None:
        for process in [*self.servers, self.worker]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.kill(process)

    def drop(self) -> None:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')

    def _wait_up(self, port: int) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"joinedup serve on port {port} did not start (see {self.logs})")

    def query(self, sql: str, *args: Any) -> Any:
        with psycopg.connect(f"{PG}/{self.db}") as c:
            return c.execute(sql, args).fetchone()[0]  # type: ignore[index]


def _threads(targets: list[tuple[Any, tuple[Any, ...]]]) -> list[threading.Thread]:
    threads = [threading.Thread(target=t, args=a, daemon=True) for t, a in targets]
    for thread in threads:
        thread.start()
    return threads


def drive(
    site: Site, seed: dict[str, Any], seconds: float, *, respondents: int, coordinators: int, kill: bool
) -> Result:
    servers = [("127.0.0.1", port) for port in site.ports]
    stats, ledger = Stats(), people.Ledger()
    tokens = list(seed["tokens"])
    lock = threading.Lock()

    def work() -> str | None:
        with lock:
            return tokens.pop() if tokens else None

    started = time.monotonic()
    stop = started + seconds
    threads = _threads(
        [(people.respondent, (n, seed, work, stop, servers, stats, ledger)) for n in range(respondents)]
        + [(people.coordinator, (n, seed, stop, servers, stats, ledger)) for n in range(coordinators)]
    )
    if kill:  # half-way through: one server and the worker die at once, then come back
        time.sleep(seconds / 2)
        site.kill(site.servers[0])
        site.kill(site.worker)
        time.sleep(2)
        site.start_server(0)
        site.start_worker()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started  # people finish the survey they are in when time is up
    floor = Stats()
    floor_seconds = min(5.0, max(2.0, seconds / 10))
    for thread in _threads(
        [(people.healthz, (n, time.monotonic() + floor_seconds, servers, floor)) for n in range(respondents)]
    ):
        thread.join()
    alone, quiet = (
        Stats(),
        people.Ledger(),
    )  # the goal's case: 20 people reading the health page, nothing else
    health = [seed["pages"][0]]
    for thread in _threads(
        [
            (
                people.coordinator,
                (n, {**seed, "pages": health}, 0.0, servers, alone, quiet, 2 * floor_seconds),
            )
            for n in range(20)
        ]
    ):
        thread.join()
    result = Result(elapsed, kill, stats, ledger, len(floor.latencies.get("healthz", [])) / floor_seconds)
    result.health_page = alone.latencies.get("health page", [])
    result.checks = check(site, seed, ledger)
    return result


def check(site: Site, seed: dict[str, Any], ledger: people.Ledger) -> dict[str, Any]:
    """The database against what was acknowledged, once the background jobs have finished (at most 120 s)."""
    deadline = time.monotonic() + 120
    unfinished = 0
    while time.monotonic() < deadline:
        unfinished = site.query("SELECT count(*) FROM core_job WHERE status IN ('queued', 'running')")
        if not unfinished:
            break
        time.sleep(1)
    wave, form = seed["wave"], seed["form"]
    submitted = site.query(
        "SELECT count(*) FROM surveys_response WHERE wave_id = %s AND submitted_on IS NOT NULL", wave
    )
    feedback = site.query("SELECT count(*) FROM voice_feedbackresponse WHERE form_id = %s", form)
    half = site.query(
        "SELECT count(*) FROM surveys_invitation i LEFT JOIN surveys_response r ON r.invitation_id = i.id "
        "WHERE i.wave_id = %s AND (i.answered <> (r.submitted_on IS NOT NULL AND r.id IS NOT NULL))",
        wave,
    )
    return {
        "surveys_acknowledged": len(ledger.surveys),
        "surveys_stored": submitted,
        "surveys_lost": max(0, len(ledger.surveys) - submitted),
        "surveys_extra": max(0, submitted - len(ledger.surveys)),
        "feedback_acknowledged": len(ledger.feedback),
        "feedback_stored": feedback,
        "feedback_lost": max(0, len(ledger.feedback) - feedback),
        "feedback_duplicated": max(0, feedback - len(ledger.feedback)),
        "half_written": half,
        "jobs_unfinished": unfinished,
        "jobs_failed": site.query("SELECT count(*) FROM core_job WHERE status = 'failed'"),
        "jobs_done": site.query("SELECT count(*) FROM core_job WHERE status = 'done'"),
    }


def _pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def report(results: list[Result]) -> str:
    lines = [
        f"Ran {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node() or 'this machine'}: "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        "PostgreSQL on 127.0.0.1, two `joinedup serve` (2 workers each) and one `joinedup worker`.",
        "",
    ]
    for r in results:
        submissions = len(r.ledger.surveys) + len(r.ledger.feedback)
        per_second = submissions / r.seconds
        lines += [
            f"## {'With one server and the worker killed (SIGKILL) half-way' if r.killed else 'Steady load'}: "
            f"{r.seconds:.0f} s (new surveys start until the time set; those under way are finished), "
            f"{'PASS' if r.passed else 'FAIL'}",
            "",
            f"- Requests: {sum(r.stats.statuses.values())}; answers by status: "
            + ", ".join(f"{s}: {n}" for s, n in sorted(r.stats.statuses.items()))
            + f"; 5xx: {r.server_errors}; requests a killed server did not answer (sent to the other): {r.stats.cut_off}.",
            f"- Submissions acknowledged: {submissions} ({per_second:.1f} a second); sent twice on purpose: {r.ledger.resent}.",
            f"- Floor: `/healthz` on the same servers, same run: {r.healthz_per_second:.0f} requests a second; "
            f"submissions are {100 * per_second / max(r.healthz_per_second, 1e-9):.1f} % of it (goal: at least 25 %).",
            f"- Health page with 20 coordinators reading only it: p95 {_pct(r.health_page, 95):.0f} ms over "
            f"{len(r.health_page)} requests (goal: at most 300 ms).",
            f"- Database: {json.dumps(r.checks)}.",
        ]
        if r.ledger.failures:
            lines.append(
                f"- Problems seen by the load ({len(r.ledger.failures)}): "
                + "; ".join(r.ledger.failures[:10])
            )
        lines += ["", "| Request | Count | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|"]
        for kind, values in sorted(r.stats.latencies.items()):
            lines.append(
                f"| {kind} | {len(values)} | {_pct(values, 50):.0f} | {_pct(values, 95):.0f} | {_pct(values, 99):.0f} |"
            )
        lines.append("")
    return "\n".join(lines)


def run(
    seconds: float, *, kill_too: bool, respondents: int = 50, coordinators: int = 10, workdir: Path
) -> list[Result]:
    """Each run on its own copy of one seeded database (migrating and seeding once)."""
    results = []
    template = Site(workdir)
    try:
        seed = template.create(respondents=4000)
        for kill in [False, True] if kill_too else [False]:
            site = template.copy()
            try:
                site.start_server(0)
                site.start_server(1)
                site.start_worker()
                time.sleep(1)  # the worker takes up the jobs the seeding queued
                results.append(
                    drive(site, seed, seconds, respondents=respondents, coordinators=coordinators, kill=kill)
                )
            finally:
                site.stop()
                site.drop()
    finally:
        template.drop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60, help="how long each load runs (default 60)")
    parser.add_argument("--no-kill", action="store_true", help="skip the run with SIGKILL half-way")
    parser.add_argument("--report", type=Path, help="also write the report to this Markdown file")
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/joinedup-loadtest"), help="logs and static files"
    )
    options = parser.parse_args(argv)
    options.workdir.mkdir(parents=True, exist_ok=True)
    results = run(options.seconds, kill_too=not options.no_kill, workdir=options.workdir)
    text = report(results)
    print(text)
    if options.report:
        head = options.report.read_text(encoding="utf-8").split(MARKER)[0] if options.report.exists() else ""
        options.report.write_text(head + MARKER + "\n\n" + text, encoding="utf-8")
    return 0 if all(r.passed for r in results) else 1


MARKER = "<!-- the report below is written by `make loadtest` -->"
