"""`joinedup person export EMAIL [--out FILE]` and `joinedup person erase EMAIL [--dry-run]`: a person's rights
over their data (UK GDPR articles 15 and 17).

`export` prints (or writes to FILE) everything JoinedUp holds about the person with that e-mail address, as
JSON: their register entry, account, roles, tokens, what they wrote, signed and recorded, the invitations sent
to them and their answers in confidential and named waves (anonymous answers are linked to nobody).

`erase` removes or pseudonymises it all in one transaction: names and addresses become "Erased person XXXX",
the account can never sign in again, their answers stay (so published results stay true) but are unlinked, and
the audit record has their name and address replaced while its check still passes (`joinedup audit verify`).
`--dry-run` says what would change and changes nothing. A person not found exits 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from joinedup.register import personal


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Export everything held about a person, or erase them (by e-mail address)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="export|erase")
        export = actions.add_parser("export", help="everything held about the person, as JSON")
        export.add_argument("email", help="the person's e-mail address (their account's or the register's)")
        export.add_argument("--out", type=Path, help="write the JSON to this file instead of the screen")
        erase = actions.add_parser("erase", help="remove or pseudonymise everything held about the person")
        erase.add_argument("email", help="the person's e-mail address (their account's or the register's)")
        erase.add_argument("--dry-run", action="store_true", help="say what would change; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "export":
                self._export(options["email"], options.get("out"))
            else:
                self._erase(options["email"], dry_run=options["dry_run"])
        except personal.NobodyFound as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _export(self, email: str, out: Path | None) -> None:
        document = personal.person_export(by=None, email=email)
        text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True, default=str)
        if out is None:
            self.stdout.write(text)
            return
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Could not write {out}: {exc.strerror or exc}", returncode=2) from exc
        self.stdout.write(f"Wrote everything held about {email} to {out}.")

    def _erase(self, email: str, *, dry_run: bool) -> None:
        if dry_run:
            result: dict[str, Any] = {}
            try:
                with transaction.atomic():
                    result = personal.person_erase(by=None, email=email, nested=True)
                    raise _DryRun  # roll everything back
            except _DryRun:
                self.stdout.write(f"Would erase {email} (nothing was changed):")
        else:
            result = personal.person_erase(by=None, email=email)
            self.stdout.write(
                f"Erased {email}; they are now {result['pseudonym']!r} where the record needs a name:"
            )
        for app, counts in result["changed"].items():
            for what, n in counts.items():
                if n:
                    self.stdout.write(f"  {app}: {n} {what.replace('_', ' ')}")
        self.stdout.write(
            f"  audit record: {result['audit_events_redacted']} event(s) with the name replaced"
        )
