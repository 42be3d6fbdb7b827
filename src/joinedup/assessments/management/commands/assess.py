"""`joinedup assess score RESPONSES.csv --instrument KEY_OR_FILE [--by COLUMN] [--min-group K]
[--format json|csv|text]`: score a wave of responses from a file, for evaluators.

Problems with the instrument or the file (out-of-range answers, unknown or missing item columns,
malformed rows, a --by column that does not exist) are reported naming the row and column, with
exit code 2. The heavy imports (polars, scipy) happen inside the handler so `joinedup --help` and the
other commands stay quick.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

USAGE_ERROR = 2


def _min_group(value: str) -> int:
    import argparse

    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if k < 3:
        raise argparse.ArgumentTypeError(f"the minimum group size must be at least 3 (got {k})")
    return k


class Command(BaseCommand):
    help = "Assessment tools for evaluators: score a wave of responses from a CSV file, or import one into a wave."
    # Scoring a file touches neither the database nor the URLs: skip the system checks, which
    # would import every view and the API just to start (a second of start-up for nothing).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
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
            type=_min_group,
            default=5,
            metavar="K",
            help="hide groups of fewer than K respondents (default 5, at least 3)",
        )
        score.add_argument("--format", choices=["json", "csv", "text"], default="json")
        load = actions.add_parser(
            "import",
            help="load responses gathered elsewhere into a wave (all or nothing)",
            description=(
                "Load a CSV file of responses gathered elsewhere into an assessment wave, as submitted answers. "
                "The file has the same columns as for score: one per item key, plus optional organisation "
                "(a member organisation's name or org-id), sector, profession and role_level. Nothing is "
                "loaded if any row has a problem."
            ),
        )
        load.add_argument("wave", metavar="WAVE", type=int, help="the wave's number (id)")
        load.add_argument("file", metavar="FILE", help="the responses file (CSV)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "score":
            self.score(**options)
        elif options["action"] == "import":
            self.load(**options)

    def load(self, **options: Any) -> None:
        from joinedup.analysis.responses import ResponseFileError
        from joinedup.assessments.imports import read_wave_file
        from joinedup.assessments.services import responses_import, wave_instrument
        from joinedup.surveys.choices import WaveKind
        from joinedup.surveys.models import Wave

        wave = Wave.objects.select_related("partnership").filter(pk=options["wave"]).first()
        if wave is None or wave.kind != WaveKind.ASSESSMENT:
            raise CommandError(f"there is no assessment wave {options['wave']}", returncode=USAGE_ERROR)
        path = options["file"]
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file", returncode=USAGE_ERROR) from exc
        try:
            rows = read_wave_file(raw, wave, wave_instrument(wave))
        except ResponseFileError as exc:
            raise CommandError(
                f"{path}:\n" + "\n".join(exc.problems) + "\nNothing was imported.", returncode=USAGE_ERROR
            ) from exc
        responses_import(by=None, wave=wave, rows=rows, source=str(path))
        self.stdout.write(f"Imported {len(rows)} responses into wave {wave.pk} ({wave.title}).")

    def score(self, **options: Any) -> None:
        from joinedup.analysis.instruments import InstrumentError, load_instrument
        from joinedup.analysis.responses import ResponseFileError, read_responses
        from joinedup.analysis.score_output import to_csv, to_text
        from joinedup.analysis.scoring import score

        try:
            instrument = load_instrument(options["instrument"])
        except InstrumentError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from exc
        path = options["responses"]
        try:
            responses = read_responses(path, instrument, by=options["by"])
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file", returncode=USAGE_ERROR) from exc
        except ResponseFileError as exc:
            raise CommandError(f"{path}:\n" + "\n".join(exc.problems), returncode=USAGE_ERROR) from exc
        report = score(
            responses, instrument, by=options["by"], min_group=options["min_group"], validate=False
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.to_dict(), indent=2, allow_nan=False))
        elif options["format"] == "csv":
            self.stdout.write(to_csv(report), ending="")
        else:
            self.stdout.write(to_text(report, instrument, options["min_group"]), ending="")
