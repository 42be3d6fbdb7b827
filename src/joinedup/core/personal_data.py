"""A person's rights over their data (issue 15): everything held about them, and erasure.

Each app that holds personal data registers a `PersonalData` part from its `hooks.py`:

    personal_data.add(PersonalData(key="governance", export=personal.export, erase=personal.erase))

`export(people=, user=)` returns plain JSON about that person (`people`: the register.Person rows with their
e-mail address or account, possibly none; `user`: their account or None); `erase(people=, user=, pseudonym=)`
removes or pseudonymises what the app holds and returns counts of what it changed. Both run inside the
transaction of `register.personal` (which finds the person, calls every part and writes the audit event).
Anonymous aggregates stay valid because nothing is deleted that a count or a mean rests on: answers stay, only
their link to the person goes (and anonymous ones have none, ADR 7).

The audit record keeps its hash chains verifiable through an erasure: every event that names the person has the
name and e-mail address replaced by the pseudonym (`events_redact`), and the erasure event written to the
register chain lists, for each such event, the hash of its redacted content. `core.audit` then accepts a redacted
event exactly when its content matches that recorded hash, so an edit after the erasure is still caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from joinedup.core.models import AuditEvent
from joinedup.core.registry import Registry

# the erasure event's data: {REDACTED_KEY: {event id: hash of the redacted content}}
REDACTED_KEY = "redacted"


class ExportPart(Protocol):
    def __call__(self, *, people: list[Any], user: Any) -> dict[str, Any]: ...


class ErasePart(Protocol):
    def __call__(self, *, people: list[Any], user: Any, pseudonym: str) -> dict[str, int]: ...


@dataclass(frozen=True)
class PersonalData:
    key: str
    export: ExportPart
    erase: ErasePart
    order: int = 100


personal_data: Registry[PersonalData] = Registry("personal-data parts", order=lambda p: (p.order, p.key))


def addresses_of(people: list[Any], user: Any) -> set[str]:
    """Every e-mail address the person is known by: their register entries' and their account's."""
    return {p.email for p in people if p.email} | ({user.email} if user is not None and user.email else set())


def _pattern(needles: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole words only: erasing "Ann" must not touch "Annual"."""
    if not needles:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in needles), re.IGNORECASE)


def _replace(value: Any, pattern: re.Pattern[str] | None, pseudonym: str) -> Any:
    """`value` with every occurrence of the person's names and addresses replaced, through lists and dicts."""
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(pseudonym, value)
    if isinstance(value, list):
        return [_replace(v, pattern, pseudonym) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, pattern, pseudonym) for k, v in value.items()}
    return value


def events_redact(*, needles: Iterable[str], actor_id: int | None, pseudonym: str) -> dict[str, str]:
    """Replace `needles` (the person's names and e-mail addresses) by `pseudonym` in every audit event; returns
    {event id: hash of its redacted content} for the events changed. Call it inside the erasure's transaction.
    Reads the record a chunk at a time (bounded memory); an erasure is rare, so a full pass is affordable."""
    from joinedup.core.audit import event_hash

    kept = tuple(sorted({n.strip() for n in needles if n and len(n.strip()) >= 2}, key=len, reverse=True))
    pattern = _pattern(kept)
    changed: dict[str, str] = {}
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        before = (event.actor_label, event.target_label, event.data)
        after = tuple(_replace(v, pattern, pseudonym) for v in before)
        mine = actor_id is not None and event.actor_id == actor_id
        if after == before and not mine:
            continue
        event.actor_label, event.target_label, event.data = after  # type: ignore[assignment]
        AuditEvent.objects.filter(pk=event.pk).update(
            actor_label=event.actor_label, target_label=event.target_label, data=event.data, actor=None
        )
        changed[str(event.pk)] = event_hash(event)
    return changed


def redactions() -> dict[int, str]:
    """Every erasure's record of the events it redacted: {event id: hash of the redacted content}, the latest
    erasure winning (one event may name two people who were erased in turn)."""
    from joinedup.core.choices import AuditVerb

    found: dict[int, str] = {}
    for data in (
        AuditEvent.objects.filter(verb=AuditVerb.PERSON_ERASED).order_by("pk").values_list("data", flat=True)
    ):
        for key, digest in (data or {}).get(REDACTED_KEY, {}).items():
            found[int(key)] = str(digest)
    return found
