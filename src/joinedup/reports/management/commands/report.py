"""`joinedup report PARTNERSHIP [--partner ORG] --format pdf|html|xlsx --out FILE`: a partnership's review pack
(or, with --partner, one member organisation's governance pack), worked out now and written to FILE.

PARTNERSHIP is the partnership's number or exact name, as for `joinedup flags`; ORG is a current member
organisation's number or exact name. The command line sees what a site administrator sees; every figure is
still one the pages show (disclosure control applied). Anything not found exits 2 with a message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.insight.management.commands.flags import find_partnership
from joinedup.reports.choices import FORMATS
from joinedup.reports.render import pack_render
from joinedup.reports.selectors import PackProblem, pack_organisation
from joinedup.reports.services import COMMAND_LINE


class Command(BaseCommand):
    help = "A partnership's review pack, or one partner's governance pack, as PDF, HTML or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("partnership", help="the partnership's number or exact name")
        parser.add_argument(
            "--partner",
            metavar="ORG",
            help="a member organisation's number or exact name: its governance pack",
        )
        parser.add_argument("--format", default="pdf", help="pdf (default), html or xlsx")
        parser.add_argument("--out", required=True, metavar="FILE", help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = str(options["format"]).lower()
        if kind not in FORMATS:
            raise CommandError(f"--format {kind!r}: choose one of {', '.join(FORMATS)}.", returncode=2)
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist.", returncode=2)
        partnership = find_partnership(options["partnership"])
        organisation = None
        if options["partner"]:
            try:
                organisation = pack_organisation(partnership=partnership, text=options["partner"])
            except PackProblem as problem:
                raise CommandError(f"--partner: {problem}", returncode=2) from problem
        content = pack_render(
            user=COMMAND_LINE, partnership=partnership, organisation=organisation, kind=kind
        )
        out.write_bytes(content)
        self.stdout.write(f"Wrote {out} ({len(content):,} bytes).")
