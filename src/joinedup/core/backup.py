"""Backing up and restoring the whole database (`joinedup backup`, `joinedup restore`; docs/backup.md).

SQLite is copied with SQLite's online backup API (a consistent copy while the site runs); PostgreSQL is dumped with
`pg_dump --format=custom` and restored with `pg_restore` in one transaction. Uploaded files (meeting papers, under
MEDIA_ROOT) go beside the database's backup as FILE.media.tar. A restore goes only into an empty database (and an
empty MEDIA_ROOT), and ends by recomputing the audit chains, so a restored copy is known to be whole.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in plain words."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups are for SQLite and PostgreSQL databases, not {vendor}")
    return vendor


def _pg_command(tool: str) -> tuple[list[str], dict[str, str]]:
    """The PostgreSQL tool with the connection's host, port, user and database; the password in its environment."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    params: dict[str, Any] = connection.get_connection_params()
    args = [path, "--no-password"]
    for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            args.append(f"{flag}={params[key]}")
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return args, env


def _database_name() -> str:
    return str(connection.settings_dict["NAME"])


def backup(out: Path) -> str:
    """Write a backup of the configured database to `out` (never over an existing file); say what was written."""
    engine = _engine()
    if out.exists():
        raise BackupError(f"{out} already exists: give a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        _sqlite_copy(sqlite3.connect(_database_name()), out)
    else:
        args, env = _pg_command("pg_dump")
        done = subprocess.run(
            [*args, "--format=custom", "--no-owner", f"--file={out}", f"--dbname={_database_name()}"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            out.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    said = f"Backed up the {engine} database to {out} ({out.stat().st_size:,} bytes)."
    files = _media_files()
    if files:
        media = media_archive(out)
        with tarfile.open(media, "w") as archive:
            for path in files:
                archive.add(path, arcname=str(path.relative_to(settings.MEDIA_ROOT)), recursive=False)
        said += f" {len(files):,} uploaded files to {media}."
    return said


def media_archive(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ".media.tar")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _sqlite_copy(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy the open database `source` into the file `target_path` with SQLite's online backup API."""
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _tables() -> list[str]:
    return connection.introspection.table_names()


def restore(source: Path) -> str:
    """Restore the backup `source` into the configured database, which must be empty; say what was restored."""
    engine = _engine()
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    with source.open("rb") as file:
        head = file.read(16)
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_MAGIC) else None
    if kind is None:
        raise BackupError(f"{source} is not a JoinedUp backup (neither a SQLite database nor a pg_dump file)")
    if kind != engine:
        raise BackupError(f"{source} is a {kind} backup; the configured database is {engine}")
    tables = _tables()
    if tables:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables): restore only into a new, empty database"
        )
    media = media_archive(source)
    if media.is_file() and _media_files():
        raise BackupError(
            f"MEDIA_ROOT ({settings.MEDIA_ROOT}) is not empty: restore the files only into an empty one"
        )
    if engine == "sqlite":
        connection.close()
        _sqlite_copy(sqlite3.connect(f"file:{source}?mode=ro", uri=True), Path(_database_name()))
    else:
        args, env = _pg_command("pg_restore")
        done = subprocess.run(
            [*args, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={_database_name()}", str(source)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed, nothing was restored: {done.stderr.strip()}")
    said = f"Restored {len(_tables())} tables from {source}."
    if media.is_file():
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media) as archive:
            archive.extractall(root, filter="data")  # refuses absolute paths, "..", links out of the folder
            count = len(archive.getmembers())
        said += f" {count:,} uploaded files from {media}."
    return said
