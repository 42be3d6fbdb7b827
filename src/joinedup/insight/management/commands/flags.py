"""`joinedup flags PARTNERSHIP [--format json|text]`: a partnership's warning flags, worked out now.

PARTNERSHIP is the partnership's number (the one in its web address, /register/partnerships/<number>/) or its
exact name: partnerships have no slug. A partnership that is not found, or a name that two partnerships share,
exits 2 with a message. The command only reads: the stored flags the pages show are left to the background job."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.insight.services import flags_compute
from joinedup.register.models import Partnership


def find_partnership(text: str) -> Partnership:
    text = text.strip()
    if text.isdigit():
        found = Partnership.objects.filter(pk=int(text)).first()
        if found is not None:
            return found
    matches = list(Partnership.objects.filter(name=text)[:2])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CommandError(
            f"Two or more partnerships are called {text!r}: give the number instead.", returncode=2
        )
    raise CommandError(
        f"No partnership is numbered or called {text!r} (give the number in its web address, or its exact name).",
        returncode=2,
    )


def as_text(document: dict[str, Any]) -> str:
    lines = [
        f"{document['name']} (partnership {document['partnership']}), worked out {document['computed_at']}"
    ]
    if not document["flags"]:
        lines.append("No flag is raised.")
    for flag in document["flags"]:
        lines += [
            "",
            f"[{flag['severity']}] {flag['title']} ({flag['code']})",
            f"  Do: {flag['action']}",
            f"  Source: {flag['source']}",
            f"  See: {flag['url']}",
            f"  Evidence: {json.dumps(flag['evidence'], ensure_ascii=False, sort_keys=True)}",
        ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "A partnership's warning flags, worked out now from its records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("partnership", help="the partnership's number or exact name")
        parser.add_argument(
            "--format", choices=["json", "text"], default="json", help="json (default) or text"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = find_partnership(options["partnership"])
        computed = flags_compute(partnership=partnership)
        document = {
            "partnership": str(partnership.pk),
            "name": partnership.name,
            "computed_at": computed["computed_at"].isoformat(),
            "settings_version": computed["settings_version"],
            "flags": computed["flags"],
        }
        if options["format"] == "text":
            self.stdout.write(as_text(document))
        else:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
