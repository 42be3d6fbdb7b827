"""The `joinedup assess` command's one argument definition, and `assess score` itself, without Django.

Two callers share this module: the Django management command (`commands/assess.py`, which also serves
`joinedup assess --help` and `joinedup assess import`) and the lean path in `joinedup.cli`, which runs
`joinedup assess score` without setting up Django at all: scoring a file touches neither the database nor
the settings, and Django's set-up (every app, model and service) was most of the command's time.
So this module imports nothing from Django, and the heavy scoring imports (polars, scipy) happen inside
`score_file`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import threading
from collections.abc import Mapping
from typing import Any

from joinedup.analysis.reading import add_limit_arguments, limits_from

USAGE_ERROR = 2
HELP = (
    "Assessment tools for evaluators: score a wave of responses from a CSV file, or import one into a wave."
)


class ScoreFailure(Exception):
    """A problem with the instrument or the file; the command reports it as a CommandError."""

    def __init__(self, message: str, returncode: int = USAGE_ERROR) -> None:
        self.returncode = returncode
        super().__init__(message)


def min_group(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if k < 3:
        raise argparse.ArgumentTypeError(f"the minimum group size must be at least 3 (got {k})")
    return k


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `score` and `import` actions with their arguments (subparsers are built with the parser's class)."""
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    score = actions.add_parser(
        "score",
        help="score RESPONSES.csv against an instrument",
        description=(
            "Score a CSV file with one row per respondent: one column per item key (answers on the "
            "instrument's scale, blank, or dk for don't know); every other column is a respondent "
            "attribute you can break down by."
        ),
    )
    score.add_argument("responses", metavar="RESPONSES.csv", help="the responses file")
    score.add_argument(
        "--instrument",
        required=True,
        metavar="KEY_OR_FILE",
        help="a shipped instrument key or a YAML file",
    )
    score.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="COLUMN",
        help="break down by this attribute column (repeat for several)",
    )
    score.add_argument(
        "--min-group",
        type=min_group,
        default=5,
        metavar="K",
        help="hide groups of fewer than K respondents (default 5, at least 3)",
    )
    score.add_argument("--format", choices=["json", "csv", "text"], default="json")
    add_limit_arguments(score)
    load = actions.add_parser(
        "import",
        help="load responses gathered elsewhere into a wave (all or nothing)",
        description=(
            "Load a CSV file of responses gathered elsewhere into an assessment wave, as submitted answers. "
            "The file has the same columns as for score: one per item key, plus optional organisation "
            "(a member organisation's name or org-id), sector, profession and role_level. Blanks are "
            "stored as no answer and dk as the answer don't know. Nothing is loaded if any row has a problem."
        ),
    )
    load.add_argument("wave", metavar="WAVE", type=int, help="the wave's number (id)")
    load.add_argument("file", metavar="FILE", help="the responses file (CSV)")
    add_limit_arguments(load)


def _preload(module: str) -> None:
    with contextlib.suppress(Exception):  # importing it again where it is used raises the error there
        importlib.import_module(module)


def score_file(options: Mapping[str, Any]) -> tuple[str, str]:
    """Run `assess score` with parsed options: the output and the line ending to write after it.
    Raises ScoreFailure for a bad instrument or file."""
    from joinedup.analysis.instruments import InstrumentError, load_instrument
    from joinedup.analysis.responses import ResponseFileError, read_responses

    # The scoring's own imports (scipy.special above all, a fifth of a second) load in a thread while
    # this one reads the file, which polars does without holding the interpreter lock. Reading has
    # imported everything the two share (polars, numpy), so the threads never wait on each other's
    # imports. If the background import fails, the import below raises the same error.
    background = threading.Thread(target=_preload, args=("joinedup.analysis.score_output",))
    background.start()
    try:
        instrument = load_instrument(options["instrument"])
    except InstrumentError as exc:
        raise ScoreFailure(str(exc)) from exc
    path = options["responses"]
    try:
        responses = read_responses(path, instrument, by=options["by"], limits=limits_from(options))
    except FileNotFoundError as exc:
        raise ScoreFailure(f"{path}: no such file") from exc
    except OSError as exc:  # a folder, no permission
        raise ScoreFailure(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ResponseFileError as exc:
        raise ScoreFailure(f"{path}:\n" + "\n".join(exc.problems)) from exc
    background.join()
    from joinedup.analysis.score_output import to_csv, to_text
    from joinedup.analysis.scoring import score

    report = score(responses, instrument, by=options["by"], min_group=options["min_group"], validate=False)
    if options["format"] == "json":
        return json.dumps(report.to_dict(), indent=2, allow_nan=False), "\n"
    if options["format"] == "csv":
        return to_csv(report), ""
    return to_text(report, instrument, options["min_group"]), ""
