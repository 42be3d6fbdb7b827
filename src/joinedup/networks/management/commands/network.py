"""`joinedup network analyse TIES.csv [--nodes NODES.csv] [--format json|csv|text] [--pivots K] [--seed N]`.

Network metrics of a relationship survey on plain files, for evaluators. Problems in the files stop the
command with every problem listed (up to a limit), each naming its line and column, and exit code 2. The arguments and the analysis itself are
in `..network_cli`, which `joinedup.cli` also uses to run `network analyse` without setting up Django; this
command is what runs everything else (`joinedup network --help`, Django's common options, and arguments the
`analyse` parser does not know, so they read the same).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.networks.management.network_cli import HELP, AnalyseFailure, add_arguments, analyse_files


class Command(BaseCommand):
    help = HELP
    # Analysing a file touches neither the database nor the URLs: skip the system checks for a quick start.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output, ending = analyse_files(options)
        except AnalyseFailure as exc:
            raise CommandError(str(exc), returncode=exc.returncode) from exc
        self.stdout.write(output, ending=ending)
