"""The `joinedup` command: JoinedUp's manage.py.

Every Django management command runs as `joinedup <command>` beside the project's own
(`joinedup demo`, `joinedup import-organisations`, ...). `joinedup --help` lists them all.

Exceptions to "everything goes through Django": `joinedup assess score`, `joinedup network analyse` and
`joinedup indicator spc` with ordinary arguments run on a lean path that never imports Django (see `lean_assess_score`,
`lean_network_analyse` and `lean_indicator_spc`; ADRs 4 and 5), since analysing a file needs neither the database nor the settings,
and setting Django up was most of the command's time. Each parses with the same argument definition as its
management command; anything it does not handle itself (Django's common options, an argument it does not know;
for `assess score` also help and argument errors) goes to the management command, so the two cannot differ.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from joinedup.demo.paths import DEMO_DATA_DIR, demo_paths


def demo_environment(args: list[str]) -> dict[str, str]:
    """The settings `joinedup demo` needs; they must be in the environment before Django reads its settings."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir", default=DEMO_DATA_DIR)
    parser.add_argument("--addr", default="127.0.0.1:8000")
    known, _ = parser.parse_known_args(args)
    db_path, _emails = demo_paths(known.data_dir)
    # Only the database is chosen here: the settings derive the rest (e-mail folder, static root) from it, so
    # `DATABASE_URL=sqlite:///DIR/joinedup.sqlite3 joinedup db_worker` (or any command) gets the same settings.
    env = {"JOINEDUP_DEMO": "true", "DATABASE_URL": f"sqlite:///{db_path}"}
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
        return _command_error(str(exc), exc.returncode)
    return _write(output, ending)


def lean_network_analyse(args: list[str]) -> int | None:
    """Run `joinedup network analyse ARGS...` without Django and return its exit code, or None when the
    management command must run it instead (an argument the `analyse` parser does not know, such as Django's
    common options). Help, argument errors, output and file errors are exactly the command's: the parser is
    the one the command adds under `network`, which prints its own help and errors there too."""
    if args[:2] != ["network", "analyse"]:
        return None
    from joinedup.networks.management.network_cli import AnalyseFailure, analyse_files, analyse_parser

    return _run_subcommand(args[2:], analyse_parser(), analyse_files, AnalyseFailure)


def lean_indicator_spc(args: list[str]) -> int | None:
    """Run `joinedup indicator spc ARGS...` without Django, as `lean_network_analyse` runs `network analyse`."""
    if args[:2] != ["indicator", "spc"]:
        return None
    from joinedup.analysis.spc_cli import SpcFailure, spc_file, spc_parser

    return _run_subcommand(args[2:], spc_parser(), spc_file, SpcFailure)


def _run_subcommand(
    args: list[str],
    parser: argparse.ArgumentParser,
    run: Callable[[dict[str, Any]], tuple[str, str]],
    failure: type[Exception],
) -> int | None:
    """Parse ARGS with the subcommand's own parser (it prints its help and argument errors itself), run it and
    write its output; None when an argument is not the parser's, so the management command takes over. `failure`
    is the command's file-problem exception, which carries the exit code as `returncode`."""
    try:
        known, unknown = parser.parse_known_args(args)
    except SystemExit as exc:  # --help printed, or an argument error printed with the usage
        return exc.code if isinstance(exc.code, int) else 2
    if unknown:
        return None
    try:
        output, ending = run(vars(known))
    except failure as exc:
        return _command_error(str(exc), getattr(exc, "returncode", 2))
    return _write(output, ending)


def _write(output: str, ending: str) -> int:
    sys.stdout.write(output if output.endswith(ending) else output + ending)
    sys.stdout.flush()
    return 0


def _command_error(message: str, returncode: int) -> int:
    """Write the message as Django writes a CommandError: "CommandError: ..." and a line ending, red on a
    terminal. Django's colours are imported only for a terminal, so a script reading the error pays nothing."""
    text = f"CommandError: {message}"
    if sys.stderr.isatty():
        from django.core.management.base import OutputWrapper
        from django.core.management.color import color_style

        stderr = OutputWrapper(sys.stderr)
        stderr.style_func = color_style().ERROR
        stderr.write(text)
    else:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
    sys.stderr.flush()
    return returncode


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "joinedup"
    code = lean_assess_score(argv[1:])
    if code is None:
        code = lean_network_analyse(argv[1:])
    if code is None:
        code = lean_indicator_spc(argv[1:])
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
