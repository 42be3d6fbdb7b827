"""`joinedup serve [--addr HOST:PORT] [--workers N] [--timeout S]`: JoinedUp's production web server.

Runs gunicorn (pre-forked worker processes) with the project's WSGI application; WhiteNoise serves the static files
from STATIC_ROOT (run `joinedup collectstatic` first). Before starting it refuses what is unsafe in production —
DEBUG on, the demo, no real SECRET_KEY, no ALLOWED_HOSTS — and any error of Django's deployment checks, and it makes
the database cache table the throttles share (every process counts in the same place). See docs/deploy.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def unsafe_settings() -> list[str]:
    """What makes these settings unfit to serve the public, in plain words (empty when they are fit)."""
    problems = []
    if settings.DEBUG:
        problems.append("DEBUG is on: it shows error details to anyone. Set DEBUG=false.")
    if settings.DEMO:
        problems.append("this is the demo (JOINEDUP_DEMO or a demo database): serve it with `joinedup demo`.")
    if (
        settings.SECRET_KEY == "insecure-development-key-never-use-in-production"
        or len(settings.SECRET_KEY) < 50
    ):
        problems.append("SECRET_KEY is not a long random value (50 characters or more).")
    if not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty: set it to the site's host name, e.g. joinedup.example.org.")
    return problems


def _address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--addr must be HOST:PORT, such as 127.0.0.1:8000, not {value!r}")
    return host, int(port)


class Command(BaseCommand):
    help = (
        "Serve JoinedUp in production with gunicorn (run `joinedup collectstatic` first; see docs/deploy.md)."
    )
    requires_system_checks: list[str] = []  # it runs the deployment checks itself, and fails on their errors

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="HOST:PORT to listen on (default 127.0.0.1:8000)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="web worker processes (default WEB_CONCURRENCY, 2)",
        )
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a stuck request is ended (60)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = _address(options["addr"])
        workers = settings.WEB_CONCURRENCY if options["workers"] is None else options["workers"]
        if not 1 <= workers <= 64:
            raise CommandError(f"--workers must be between 1 and 64, not {workers}")
        problems = unsafe_settings()
        if problems:
            raise CommandError("Not serving: " + " ".join(problems))
        found = [m for m in checks.run_checks(include_deployment_checks=True) if not m.is_silenced()]
        errors = [m for m in found if m.level >= checks.ERROR]
        if errors:
            raise CommandError("Not serving: " + " ".join(f"{m.id}: {m.msg}" for m in errors))
        for message in found:
            if message.level == checks.WARNING:
                self.stderr.write(f"Warning {message.id}: {message.msg}")
        call_command("createcachetable", verbosity=0)
        _run_gunicorn(bind=f"{host}:{port}", workers=workers, timeout=options["timeout"])


def _run_gunicorn(*, bind: str, workers: int, timeout: int) -> None:
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    application = get_wsgi_application()  # what joinedup/wsgi.py serves (core imports no project file)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": bind,
                "workers": workers,
                "timeout": timeout,
                "graceful_timeout": 30,
                "proc_name": "joinedup",
                "accesslog": None,  # request paths can hold survey links: the proxy's log redacts them
                "errorlog": "-",
                "forwarded_allow_ips": "127.0.0.1,::1",
                "control_socket_disable": True,  # one socket per user's home: two servers on a machine would clash
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()
