"""`joinedup assess score RESPONSES.csv --instrument KEY_OR_FILE [--by COLUMN] [--min-group K]
[--format json|csv|text]`: score a wave of responses from a file, for evaluators; and
`joinedup assess import WAVE FILE`: load responses gathered elsewhere into a wave.

Problems with the instrument or the file (out-of-range answers, unknown or missing item columns,
malformed lines, a --by column that does not exist) are all reported (the first 50, then how many more),
each naming its line and column, with exit code 2. The arguments and the scoring itself are in `..assess_cli`, which `joinedup.cli` also
uses to run `assess score` without setting up Django; this command is what runs everything else
(`import`, `--help`, Django's common options, and argument errors, so they read the same).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.analysis.reading import FileReadError, limits_from, read_bytes
from joinedup.assessments.management.assess_cli import (
    HELP,
    USAGE_ERROR,
    ScoreFailure,
    add_arguments,
    score_file,
)


class Command(BaseCommand):
    help = HELP
    # Scoring a file touches neither the database nor the URLs: skip the system checks, which
    # would import every view and the API just to start (a second of start-up for nothing).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "score":
            try:
                output, ending = score_file(options)
            except ScoreFailure as exc:
                raise CommandError(str(exc), returncode=exc.returncode) from exc
            self.stdout.write(output, ending=ending)
        elif options["action"] == "import":
            self.load(**options)

    def load(self, **options: Any) -> None:
        from joinedup.analysis.responses import ResponseFileError
        from joinedup.assessments.choices import ASSESSMENT_KIND
        from joinedup.assessments.imports import read_wave_file
        from joinedup.assessments.services import responses_import, wave_instrument
        from joinedup.surveys.models import Wave

        wave = Wave.objects.select_related("partnership").filter(pk=options["wave"]).first()
        if wave is None or wave.kind != ASSESSMENT_KIND:
            raise CommandError(f"there is no assessment wave {options['wave']}", returncode=USAGE_ERROR)
        path = options["file"]
        limits = limits_from(options)
        try:
            raw = read_bytes(path, limits=limits)
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file", returncode=USAGE_ERROR) from exc
        except OSError as exc:  # a folder, no permission
            raise CommandError(f"{path}: cannot read: {exc.strerror or exc}", returncode=USAGE_ERROR) from exc
        except FileReadError as exc:
            raise CommandError(f"{path}: {exc}\nNothing was imported.", returncode=USAGE_ERROR) from exc
        try:
            rows = read_wave_file(raw, wave, wave_instrument(wave), limits=limits, filename=Path(path).name)
        except ResponseFileError as exc:
            raise CommandError(
                f"{path}:\n" + "\n".join(exc.problems) + "\nNothing was imported.", returncode=USAGE_ERROR
            ) from exc
        if not rows:
            raise CommandError(
                f"{path}: the file has no answers in it (only a header, or nothing). Nothing was imported.",
                returncode=USAGE_ERROR,
            )
        responses_import(by=None, wave=wave, rows=rows, source=str(path))
        self.stdout.write(f"Imported {len(rows)} responses into wave {wave.pk} ({wave.title}).")
