"""The demo mailbox: the e-mails the demo "sent" (Django's file-based backend writes them to EMAIL_FILE_PATH,
one file per connection, each message followed by a line of 79 dashes), read back so a newcomer can open an
invitation or a survey link without a mail server. Demo mode only."""

from __future__ import annotations

import datetime
import email
import email.policy
import email.utils
from dataclasses import dataclass
from pathlib import Path

SEPARATOR = "\n" + "-" * 79 + "\n"
MAX_FILES = 500  # the newest; an old demo folder can hold many


@dataclass(frozen=True)
class Mail:
    ref: str  # file name and position in it: what the message page is asked for
    to: str
    subject: str
    sent: datetime.datetime | None
    body: str


def _parse(ref: str, raw: str) -> Mail:
    message = email.message_from_string(raw, policy=email.policy.default)
    part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
    body = part.get_content() if part is not None else ""  # type: ignore[union-attr]
    date = message.get("Date")
    return Mail(
        ref=ref,
        to=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        sent=email.utils.parsedate_to_datetime(str(date)) if date else None,
        body=str(body),
    )


def mailbox(folder: Path) -> list[Mail]:
    """Every message in the folder, newest first."""
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)[:MAX_FILES]
    found: list[Mail] = []
    for path in files:
        chunks = [c for c in path.read_text(encoding="utf-8", errors="replace").split(SEPARATOR) if c.strip()]
        found.extend(_parse(f"{path.stem}.{i}", chunk.lstrip("\n")) for i, chunk in enumerate(chunks))
    far = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(found, key=lambda m: m.sent or far, reverse=True)


def mail_get(folder: Path, ref: str) -> Mail | None:
    stem, _, index = ref.rpartition(".")
    path = folder / f"{stem}.log"
    if not index.isdigit() or path.parent != folder or not path.is_file():
        return None
    chunks = [c for c in path.read_text(encoding="utf-8", errors="replace").split(SEPARATOR) if c.strip()]
    i = int(index)
    return _parse(ref, chunks[i].lstrip("\n")) if i < len(chunks) else None
