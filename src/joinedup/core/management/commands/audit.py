"""`joinedup audit verify [--partnership ID]`: check that nobody changed, removed or slipped in an audit event.

Every audit event carries the hash of the one before it in its chain (one chain per partnership, one for the
register; see `joinedup.core.audit`). `verify` recomputes every hash and link and names the first broken link of
each broken chain, exiting 1; with every chain intact it prints "N events, chains intact" and exits 0.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core.audit import REGISTER_CHAIN, chains_verify, partnership_chain


class Command(BaseCommand):
    help = "Check the audit record: recompute its hash chains and name the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="verify")
        verify = actions.add_parser(
            "verify",
            help="recompute the chains of audit events and name the first broken link (exit 1)",
            description="Recompute the hash chains of the audit record and name the first broken link.",
        )
        verify.add_argument(
            "--partnership",
            metavar="ID",
            help="check only this partnership's chain: its number (as in its page's address) or its exact name",
        )
        verify.add_argument(
            "--register",
            action="store_true",
            help="check only the register-wide chain (organisations, people)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chain: str | None = None
        if options.get("partnership") and options.get("register"):
            raise CommandError("Give --partnership or --register, not both.", returncode=2)
        if options.get("partnership"):
            chain = partnership_chain(self._partnership_id(options["partnership"]))
        elif options.get("register"):
            chain = REGISTER_CHAIN
        reports = chains_verify(chain)
        total = sum(r.events for r in reports)
        broken = [r for r in reports if not r.intact]
        names = self._partnership_names([r.chain for r in broken])
        for report in broken:
            self.stderr.write(f"Chain {report.chain}{names.get(report.chain, '')}: {report.problem}")
        if broken:
            raise CommandError(
                f"{len(broken)} of {len(reports)} audit chain{'s' if len(reports) != 1 else ''} broken "
                f"(see above); {total} event{'s' if total != 1 else ''} read.",
                returncode=1,
            )
        self.stdout.write(f"{total} event{'s' if total != 1 else ''}, chains intact.")

    def _partnership_names(self, chains: list[str]) -> dict[str, str]:
        """' (Partnership name)' for the partnership chains among `chains` whose partnership still exists."""
        ids = [c.removeprefix("partnership:") for c in chains if c.startswith("partnership:")]
        Partnership = apps.get_model("register", "Partnership")
        found = Partnership.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()])
        return {partnership_chain(pk): f" ({name})" for pk, name in found.values_list("pk", "name")}

    def _partnership_id(self, given: str) -> int:
        Partnership = apps.get_model("register", "Partnership")
        found = Partnership.objects.filter(pk=int(given)) if given.isdigit() else Partnership.objects.none()
        if not found.exists():
            found = Partnership.objects.filter(name=given)
        ids = list(found.values_list("pk", flat=True)[:2])
        if len(ids) != 1:
            why = "No partnership" if not ids else "More than one partnership"
            raise CommandError(f"{why} has the number or name {given!r}.", returncode=2)
        return int(ids[0])
