"""The `joinedup` command: JoinedUp's manage.py.

Every Django management command runs as `joinedup <command>` beside the project's own
(`joinedup demo`, `joinedup import-organisations`, ...). `joinedup --help` lists them all.

One exception to "everything goes through Django": `joinedup assess score` with ordinary arguments runs
on a lean path that never imports Django (see `lean_assess_score`), since scoring a file needs neither the
database nor the settings, and setting Django up was most of the command's time. It parses with the same
argument definition as the management command; anything it does not handle itself (help, Django's common
options, an argument error) goes to the management command, so the two cannot differ.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn

from joinedup.demo.paths import DEMO_DATA_DIR, demo_paths


def demo_environment(args: list[str]) -> dict[str, str]:
    """The settings `joinedup demo` needs; they must be in the environment before Django reads its settings."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir", default=DEMO_DATA_DIR)
    parser.add_argument("--addr", default="127.0.0.1:8000")
    known, _ = parser.parse_known_args(args)
    db_path, emails = demo_paths(known.data_dir)
    env = {
        "JOINEDUP_DEMO": "true",
        "DATABASE_URL": f"sqlite:///{db_path}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(emails),
    }
    if "STATIC_ROOT" not in os.environ:
        # An empty folder: the demo serves static files from the finders; this keeps WhiteNoise quiet.
        env["STATIC_ROOT"] = str(db_path.parent / "static")
    host = known.addr.rpartition(":")[0].strip("[]")
    if host not in ("", "127.0.0.1", "localhost") and "ALLOWED_HOSTS" not in os.environ:
        env["ALLOWED_HOSTS"] = "*" if host in ("0.0.0.0", "::") else f"127.0.0.1,localhost,{host}"
    return env


class _NotLean(Exception):
    """The arguments are for the management command to handle (help, an error, an option we lack)."""


class _LeanParser(argparse.ArgumentParser):
    """An argument parser that hands over to Django instead of printing help or an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False  # -h goes to Django, which prints the full help
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise _NotLean(message)


def lean_assess_score(args: list[str]) -> int | None:
    """Run `joinedup assess score ARGS...` without Django and return its exit code, or None when the
    management command must run it instead. Output and errors are exactly the command's."""
    if args[:2] != ["assess", "score"]:
        return None
    from joinedup.assessments.management.assess_cli import ScoreFailure, add_arguments, score_file

    parser = _LeanParser(prog="joinedup assess")
    add_arguments(parser)
    try:
        options = vars(parser.parse_args(args[1:]))
    except _NotLean:
        return None
    try:
        output, ending = score_file(options)
    except ScoreFailure as exc:
        # Written as Django writes a CommandError (red on a terminal); Django is imported only here.
        from django.core.management.base import OutputWrapper
        from django.core.management.color import color_style

        stderr = OutputWrapper(sys.stderr)
        stderr.style_func = color_style().ERROR
        stderr.write(f"CommandError: {exc}")
        return exc.returncode
    sys.stdout.write(output if output.endswith(ending) else output + ending)
    sys.stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "joinedup"
    code = lean_assess_score(argv[1:])
    if code is not None:
        sys.exit(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    if len(argv) > 1 and argv[1] in {"-h", "--help"}:
        argv[1] = "help"
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.update(demo_environment(argv[2:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
