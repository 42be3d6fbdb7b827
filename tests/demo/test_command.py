"""`joinedup demo` as a user runs it: a real process, its own SQLite file, and a server that answers."""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

JOINEDUP = str(Path(sys.executable).parent / "joinedup")
COUNT_ORGANISATIONS = "from joinedup.register.models import Organisation; print(Organisation.objects.count())"


def environment(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "JOINEDUP_DEMO", "STATIC_ROOT", "DEBUG", "SECRET_KEY"}
    }
    return env | extra


def joinedup(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [JOINEDUP, *args], capture_output=True, text=True, env=environment(**env), timeout=180, check=False
    )
    assert result.returncode == 0, result.stderr
    return result


def shell(db: Path, code: str) -> str:
    """Run Python in `joinedup shell` on the demo database, as the demo's printed hint says to."""
    output = joinedup("shell", "-v", "0", "-c", code, DATABASE_URL=f"sqlite:///{db}").stdout
    return output.strip().splitlines()[-1] if output.strip() else ""


def test_demo_builds_once_reuses_its_database_and_resets(tmp_path):
    data_dir = tmp_path / "tmp"
    db = data_dir / "joinedup.sqlite3"

    first = joinedup("demo", "--no-serve", "--data-dir", str(data_dir))
    assert db.is_file()
    assert (data_dir / "emails").is_dir()
    assert "http://127.0.0.1:8000/" in first.stdout
    assert "coordinator@northshire.example" in first.stdout and "northshire-demo" in first.stdout
    # what the command built is there for other commands; something added by hand survives a second run
    built = int(
        shell(db, f"{COUNT_ORGANISATIONS}; Organisation.objects.create(name='By hand', sector='other')")
    )
    assert 35 <= built <= 50
    second = joinedup("demo", "--no-serve", "--data-dir", str(data_dir), "--addr", "127.0.0.1:8123")
    assert "Using the Northshire demo already" in second.stdout
    assert "http://127.0.0.1:8123/" in second.stdout
    assert int(shell(db, COUNT_ORGANISATIONS)) == built + 1  # nothing built twice

    # --reset starts again from nothing
    third = joinedup("demo", "--no-serve", "--data-dir", str(data_dir), "--reset")
    assert "Built Northshire" in third.stdout
    after_reset = shell(
        db,
        "from joinedup.accounts.models import User; from joinedup.register.models import Organisation; "
        "print(Organisation.objects.count(), User.objects.get(email='admin@northshire.example').is_superuser)",
    )
    assert after_reset == f"{built} True"


def test_the_demo_never_touches_the_database_other_commands_use(tmp_path):
    elsewhere = tmp_path / "production.sqlite3"
    joinedup(
        "demo", "--no-serve", "--data-dir", str(tmp_path / "demo"), DATABASE_URL=f"sqlite:///{elsewhere}"
    )
    assert not elsewhere.exists()
    assert (tmp_path / "demo" / "joinedup.sqlite3").is_file()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real `joinedup demo` serving on a free port; yields its base URL and data folder."""
    data_dir = tmp_path_factory.mktemp("served")
    port = free_port()
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen(
        [JOINEDUP, "demo", "--data-dir", str(data_dir), "--addr", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert proc.poll() is None, (data_dir / "server.log").read_text()
            assert time.monotonic() < deadline, "the demo did not answer /healthz within 60 s"
            time.sleep(0.3)
        yield base, data_dir
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def fetch(
    opener: Any, url: str, data: dict[str, str] | None = None, referer: str = ""
) -> tuple[int, str, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Referer": referer} if referer else {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode()


def csrf_token(page: str) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    return token.group(1)


def test_the_served_demo_lets_the_demo_login_in(served):
    base, _ = served
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    status, _, page = fetch(opener, f"{base}/accounts/login/")
    assert status == 200
    status, landed, page = fetch(
        opener,
        f"{base}/accounts/login/",
        {
            "csrfmiddlewaretoken": csrf_token(page),
            "username": "coordinator@northshire.example",
            "password": "northshire-demo",
        },
        referer=f"{base}/accounts/login/",
    )
    assert status == 200
    assert "/accounts/login/" not in landed
    page = html.unescape(page)
    assert "Northshire Community Mental Health Partnership" in page
    assert "Northshire Health and Wellbeing Board" in page
    assert "Ageing Well Northshire Alliance" not in page


def test_the_served_demo_serves_the_nhs_frontend_styles(served):
    base, _ = served
    status, _, body = fetch(
        urllib.request.build_opener(), f"{base}/static/vendor/nhsuk/nhsuk-frontend.min.css"
    )
    assert status == 200
    assert ".nhsuk-" in body


def test_the_served_demo_writes_its_emails_to_files_in_the_data_folder(served):
    base, data_dir = served
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    _, _, page = fetch(opener, f"{base}/accounts/password-reset/")
    status, landed, _ = fetch(
        opener,
        f"{base}/accounts/password-reset/",
        {"csrfmiddlewaretoken": csrf_token(page), "email": "member@northshire.example"},
    )
    assert status == 200 and "/password-reset/sent/" in landed
    sent = [p.read_text() for p in (data_dir / "emails").iterdir()]
    assert any("To: member@northshire.example" in message for message in sent)
