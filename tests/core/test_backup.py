"""Backup and restore (joinedup backup / restore, docs/backup.md), the way an operator would do it: build the
Northshire demo in a database, back it up with the real command, restore into a new empty database, and find
every row of every table the same and the audit chains intact. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

JOINEDUP = str(Path(sys.executable).parent / "joinedup")
REPO = Path(__file__).resolve().parents[2]

# Every table's row count and a digest of its rows in primary-key order, printed as JSON by `joinedup shell`.
TABLE_DIGESTS = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        rows = cursor.fetchall()
        out[table] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
print(json.dumps(out))
"""


MEDIA: dict[str, Path] = {}  # each database's MEDIA_ROOT, set by the test


def env_for(url: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"JOINEDUP_DEMO", "PYTEST_CURRENT_TEST", "MEDIA_ROOT"}
    }
    env.update(DEBUG="true", DATABASE_URL=url)
    if url in MEDIA:
        env["MEDIA_ROOT"] = str(MEDIA[url])
    return env


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOINEDUP, *args], env=env_for(url), capture_output=True, text=True, timeout=600, cwd=REPO
    )


def ok(url: str, *args: str) -> str:
    result = run(url, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def digests(url: str) -> dict[str, list[object]]:
    return json.loads(ok(url, "shell", "--no-imports", "-c", TABLE_DIGESTS).strip().splitlines()[-1])


def build_demo(url: str) -> None:
    ok(url, "migrate", "-v0")
    code = "from joinedup.demo.northshire import build_northshire; build_northshire()"
    ok(url, "shell", "--no-imports", "-c", code)


def round_trip(source: str, target: str, backup: Path) -> None:
    MEDIA[source], MEDIA[target] = backup.parent / "media-live", backup.parent / "media-new"
    build_demo(source)
    paper = MEDIA[source] / "governance" / "papers" / "2026" / "11" / "board-pack.pdf"
    paper.parent.mkdir(parents=True)
    paper.write_bytes(b"%PDF-1.7 board papers")
    files = {p.relative_to(MEDIA[source]): p.read_bytes() for p in MEDIA[source].rglob("*") if p.is_file()}
    said = ok(source, "backup", str(backup))
    assert (
        said.startswith("Backed up") and backup.stat().st_size > 0 and f"{len(files)} uploaded files" in said
    )
    restored = ok(target, "restore", str(backup))
    assert "chains intact" in restored and f"{len(files)} uploaded files" in restored
    assert {
        p.relative_to(MEDIA[target]): p.read_bytes() for p in MEDIA[target].rglob("*") if p.is_file()
    } == files
    before, after = digests(source), digests(target)
    assert before == after
    assert before["register_organisation"][0] > 20 and before["core_auditevent"][0] > 100  # the demo is there
    assert "chains intact" in ok(target, "audit", "verify")


def test_sqlite_round_trip_keeps_every_row_and_the_audit_chains(tmp_path: Path) -> None:
    round_trip(
        f"sqlite:///{tmp_path / 'live.sqlite3'}",
        f"sqlite:///{tmp_path / 'new.sqlite3'}",
        tmp_path / "b.sqlite3",
    )


@pytest.fixture
def two_postgres_databases() -> Iterator[tuple[str, str]]:
    """Two new databases on the test run's PostgreSQL server (the test is marked postgres: it runs there)."""
    import psycopg

    db = connection.settings_dict
    server = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    names = [f"{db['NAME']}_backup_{side}"[:60] for side in ("live", "new")]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{names[0]}", f"{server}/{names[1]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgresql_round_trip_keeps_every_row_and_the_audit_chains(
    tmp_path: Path, two_postgres_databases: tuple[str, str]
) -> None:
    source, target = two_postgres_databases
    round_trip(source, target, tmp_path / "b.dump")


def test_restore_refuses_a_database_that_is_not_empty_and_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    live = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    ok(live, "migrate", "-v0")
    ok(live, "backup", str(tmp_path / "b.sqlite3"))
    refused = run(live, "restore", str(tmp_path / "b.sqlite3"))
    assert refused.returncode == 2 and "the database is not empty" in refused.stderr
    again = run(live, "backup", str(tmp_path / "b.sqlite3"))
    assert again.returncode == 2 and "already exists" in again.stderr
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    wrong = run(fresh, "restore", str(other))
    assert wrong.returncode == 2 and "is not a JoinedUp backup" in wrong.stderr
    assert "Traceback" not in refused.stderr + again.stderr + wrong.stderr
