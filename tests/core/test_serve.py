"""Production serving: `joinedup serve` (gunicorn) refuses unsafe settings and serves over TLS rules, Django's
deployment check is clean with production settings, and the cache the throttles use is shared between
processes (the database table, or Redis when REDIS_URL is set). Each runs the real `joinedup` executable in
production mode: no DEBUG, no demo, not under pytest."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

JOINEDUP = str(Path(sys.executable).parent / "joinedup")
REPO = Path(__file__).resolve().parents[2]


def production(tmp_path: Path, **more: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "JOINEDUP_DEMO", "PYTEST_CURRENT_TEST", "CACHE_URL", "REDIS_URL", "DATABASE_URL"}
        and not k.startswith("SECURE_")
        and k
        != "DJANGO_ALLOW_ASYNC_UNSAFE"  # the browser tests set it; the deployment check rightly refuses it
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.update(more)
    return env


def run(env: dict[str, str], *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOINEDUP, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO
    )


def test_the_deployment_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = run(production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"DEBUG": "true"}, "DEBUG is on"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"SECRET_KEY": "too-short-a-secret"}, "SECRET_KEY is not a long random value"),
    ],
)
def test_serve_refuses_unsafe_settings(tmp_path: Path, change: dict[str, str], says: str) -> None:
    result = run(production(tmp_path, **change), "serve", "--addr", "127.0.0.1:1")
    assert result.returncode == 1
    assert "CommandError: Not serving:" in result.stderr and says in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--addr", "8000"], "--addr must be HOST:PORT"),
        (["--addr", "127.0.0.1:99999"], "--addr must be HOST:PORT"),
        (["--workers", "0"], "--workers must be between 1 and 64"),
    ],
)
def test_serve_names_a_bad_argument(tmp_path: Path, args: list[str], says: str) -> None:
    result = run(production(tmp_path), "serve", *args)
    assert result.returncode == 1 and says in result.stderr and "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    env = production(tmp_path, TRUST_X_FORWARDED_PROTO="true")
    for args in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        result = run(env, *args)
        assert result.returncode == 0, result.stderr
    port = _free_port()
    process = subprocess.Popen(
        [JOINEDUP, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "joinedup serve did not answer within 60 s"
        time.sleep(0.3)
    yield base, process
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=40)  # waits, and reads and closes its stderr


def test_serve_runs_gunicorn_with_tls_rules_and_static_files(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, process = server
    status, headers, body = _get(f"{base}/healthz")  # plain HTTP, for load balancers
    assert (status, body) == (200, b"ok")
    assert headers["Server"] == "gunicorn"
    status, headers, _ = _get(f"{base}/accounts/login/")  # any page over HTTP goes to HTTPS
    assert status == 301 and headers["Location"].startswith("https://127.0.0.1")
    status, headers, body = _get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200 and b"Log in to JoinedUp" in body
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert (
        "Secure" in headers.get("Set-Cookie", "")
        and "default-src 'self'" in headers["Content-Security-Policy"]
    )
    status, headers, body = _get(f"{base}/static/joinedup/joinedup.js", **{"X-Forwarded-Proto": "https"})
    assert status == 200 and body and "max-age" in headers.get("Cache-Control", "")
    deadline = time.monotonic() + 30  # the second worker may still be starting on a busy machine
    while True:
        workers = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        if len(workers) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert len(workers) == 2


def test_throttle_counts_are_shared_between_processes(tmp_path: Path) -> None:
    """The cache is not in one process's memory: what one process counts, another reads."""
    env = production(tmp_path)
    assert run(env, "migrate", "-v0").returncode == 0
    assert run(env, "createcachetable").returncode == 0
    code = "from django.core.cache import caches; cache = caches['default']; {}"
    write = run(
        env,
        "shell",
        "--no-imports",
        "-c",
        code.format("cache.set('count', 7, 60); print(type(cache).__name__)"),
    )
    assert write.returncode == 0, write.stderr
    assert write.stdout.strip() == "DatabaseCache"
    read = run(env, "shell", "--no-imports", "-c", code.format("print(cache.get('count'))"))
    assert read.stdout.strip() == "7"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379 (optional: REDIS_URL)")
def test_with_redis_url_the_cache_is_in_redis(tmp_path: Path) -> None:
    key = f"joinedup-test-{secrets.token_hex(4)}"
    env = production(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    code = "from django.core.cache import caches; cache = caches['default']; {}"
    write = run(
        env,
        "shell",
        "--no-imports",
        "-c",
        code.format(f"cache.set('{key}', 3, 60); print(type(cache).__name__)"),
    )
    assert write.returncode == 0, write.stderr
    assert write.stdout.strip() == "RedisCache"
    read = run(
        env, "shell", "--no-imports", "-c", code.format(f"print(cache.get('{key}')); cache.delete('{key}')")
    )
    assert read.stdout.strip() == "3"


def test_worker_is_the_database_worker_under_its_production_name(tmp_path: Path) -> None:
    result = run(production(tmp_path), "worker", "--help")
    assert result.returncode == 0
    assert "Run JoinedUp's background jobs" in result.stdout and "--interval" in result.stdout
