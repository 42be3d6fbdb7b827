"""`joinedup export [--partnership PARTNERSHIP] --out FILE.json`: the records as one JSON document.

The whole database, or one partnership with what its records point at; docs/export.md describes the format.
`--schema` prints the format's JSON Schema instead (the shipped `core/export.schema.json` is made with it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core.exchange_export import export_document, parts
from joinedup.core.exchange_schema import document_schema


def find_partnership(text: str) -> Any:
    """The partnership with this key (as in an export: "northshire-mental-health-partnership") or number.
    Core names no app: the partnerships' table and keys are the ones the register registered."""
    table = next(t for part in parts("top") for t in part.tables if t.key == "partnership")
    keys_of = next(keys for part in parts("top") for kind, keys in part.natural_keys if kind == "partnership")
    keys = keys_of()
    by_key = {key: pk for pk, key in keys.items()}
    text = text.strip()
    pk = by_key.get(text) or (int(text) if text.isdigit() and int(text) in keys else None)
    if pk is None:
        raise CommandError(
            f"No partnership has the key or number {text!r} (give its number, as in its web address, or its key "
            "as in an export: its name in lower case with hyphens).",
            returncode=2,
        )
    return table.model.objects.get(pk=pk)


class Command(BaseCommand):
    help = "Export the records (all, or one partnership's) as one JSON document (docs/export.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", help="only this partnership (its key or number)")
        parser.add_argument(
            "--out", metavar="FILE.json", help="where to write the file (it must not exist yet)"
        )
        parser.add_argument("--schema", action="store_true", help="print the format's JSON Schema and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schema"]:
            self.stdout.write(json.dumps(document_schema(), indent=2, ensure_ascii=False))
            return
        if not options["out"]:
            raise CommandError("Say where to write the export: --out FILE.json", returncode=2)
        out = Path(options["out"])
        if out.exists():
            raise CommandError(f"{out} already exists: give a new file name.", returncode=2)
        partnership = find_partnership(options["partnership"]) if options["partnership"] else None
        document = export_document(partnership=partnership)
        try:
            with out.open("x", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, indent=1)
                handle.write("\n")
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}", returncode=2) from exc
        self.stdout.write(
            f"Wrote {out}: {len(document['partnerships'])} partnership(s), {len(document['organisations'])} "
            f"organisation(s), {len(document['people'])} people, {len(document['users'])} user account(s)."
        )
