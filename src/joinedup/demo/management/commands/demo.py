"""`joinedup demo`: build the Northshire demo in its own SQLite database and serve it.

The database and e-mail settings are chosen before Django starts, in `joinedup.cli` with `demo.paths` (settings are read
once); this command checks it got them, then migrates, builds the demo if it is not there yet, and serves,
with a background worker (`joinedup db_worker`) beside the web server for the long jobs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from joinedup.demo.northshire import COORDINATOR_EMAIL, PASSWORD, build_northshire, northshire_exists
from joinedup.demo.paths import DEMO_DATA_DIR, demo_paths

DEFAULT_ADDR = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Build the Northshire demo (a fictional place) in DATA_DIR and serve it on ADDR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr", default=DEFAULT_ADDR, help=f"HOST:PORT to serve on (default {DEFAULT_ADDR})"
        )
        parser.add_argument(
            "--data-dir",
            default=DEMO_DATA_DIR,
            help=f"where the SQLite database and e-mails are kept (default ./{DEMO_DATA_DIR})",
        )
        parser.add_argument("--no-serve", action="store_true", help="build the demo, then stop")
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo database first and rebuild it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        db_path, emails = demo_paths(options["data_dir"])
        configured = settings.DATABASES["default"]
        if (
            configured["ENGINE"] != "django.db.backends.sqlite3"
            or Path(configured["NAME"]).resolve() != db_path
        ):
            raise CommandError(
                f"The demo keeps its database at {db_path}, but Django was started with {configured['NAME']}. "
                "Run it as `joinedup demo`, which chooses the database before Django starts."
            )
        for folder in (emails, Path(settings.STATIC_ROOT)):
            folder.mkdir(parents=True, exist_ok=True)
        (db_path.parent / settings.DEMO_MARKER).touch()
        if options["reset"]:
            connections.close_all()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            self.stdout.write(f"Deleted the demo database {db_path}.")

        call_command("migrate", verbosity=0, interactive=False)
        if northshire_exists():
            self.stdout.write(f"Using the Northshire demo already in {db_path}.")
        else:
            counts = build_northshire()["counts"]
            self.stdout.write(
                f"Built Northshire in {db_path}: {counts['organisations']} organisations, {counts['people']} "
                f"people, {counts['partnerships']} partnerships."
            )

        host, _, port = options["addr"].rpartition(":")
        shown = "127.0.0.1" if host in ("", "0.0.0.0", "[::]") else host
        self.stdout.write(self.style.SUCCESS(f"JoinedUp demo: http://{shown}:{port}/"))
        self.stdout.write(f"Log in as {COORDINATOR_EMAIL} with the password {PASSWORD}")
        self.stdout.write(f"Other commands on this demo: DATABASE_URL=sqlite:///{db_path} joinedup <command>")
        if options["no_serve"]:
            return
        self.stdout.flush()
        worker = start_worker()
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def start_worker() -> subprocess.Popen[bytes]:
    """The process that runs background jobs (django-tasks' database worker), with the demo's settings."""
    command = [
        sys.executable,
        "-m",
        "joinedup.cli",
        "db_worker",
        "--no-reload",
        "--interval",
        "1",
        "--verbosity",
        "0",
    ]
    return subprocess.Popen(command, env=os.environ.copy())
