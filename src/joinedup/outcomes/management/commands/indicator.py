"""`joinedup indicator spc SERIES.csv [--direction D] [--target X] [--fix-after N] [--screen-outliers] [--format F]`.

The statistical process control reading of an indicator series in a file, for evaluators. Problems in the file
stop the command with every problem listed (up to a limit), naming the row and column, and exit code 2. The
arguments and the reading itself are in `joinedup.analysis.spc_cli`, which `joinedup.cli` also uses to run
`indicator spc` without setting up Django; this command runs everything else (`joinedup indicator --help`,
Django's common options, and arguments the `spc` parser does not know), so they read the same.
It lives in the indicators' own app (`outcomes`), beside the pages that read the same series.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.analysis.spc_cli import HELP, SpcFailure, add_arguments, spc_file


class Command(BaseCommand):
    help = HELP
    # Reading a file touches neither the database nor the URLs: skip the system checks for a quick start.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output, ending = spc_file(options)
        except SpcFailure as exc:
            raise CommandError(str(exc), returncode=exc.returncode) from exc
        self.stdout.write(output, ending=ending)
