"""The audit record as hash chains: which chain an event joins, its hash, and checking the chains again.

Every audit event belongs to one chain: the chain of the partnership its target belongs to
(`"partnership:<id>"`), or the register-wide chain (`"register"`) for organisations, people and anything else
that belongs to no partnership. A target belongs to a partnership when it is the partnership, or when following
its owning foreign keys (the ones whose `on_delete` cascades: a version's agreement, an agreement's
partnership, a wave's partnership) reaches one. Core names no other app's model: it looks only at the
`register.partnership` label. A model may instead name its own chain with an `audit_chain()` method: an API
token's uses go to `"token:<id>"`, so that every API request does not wait on the register chain's head.

Each event stores `prev_hash`, the hash of the event before it in its chain ("" for the first), and `hash`, the
SHA-256 of the canonical JSON of its own fields (`hashed_fields`) including `prev_hash`. One `AuditChainHead`
row per chain holds the hash and count of the newest event; appending locks it (`select_for_update`; on
SQLite the write lock taken at the start of the transaction does the same), so concurrent writers keep one
chain. `chains_verify` recomputes everything and names the first broken link of each chain: an event whose
fields no longer match its hash (edited), one whose predecessor is not the event before it (deleted or
inserted), or a chain whose newest event is not the one its head records (the newest deleted, or one added).

What this cannot catch: someone with write access to the database who rewrites every later event and the head
too. Copying the heads' hashes somewhere else from time to time (`joinedup audit verify` prints nothing
secret) closes that gap.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from joinedup.core.models import AuditChainHead, AuditEvent

REGISTER_CHAIN = "register"
PARTNERSHIP_LABEL = "register.partnership"
_MAX_DEPTH = 4  # owning keys followed: clause -> version -> agreement -> partnership


def partnership_chain(partnership_id: int | str) -> str:
    return f"partnership:{partnership_id}"


_NOT_OWNING = (models.PROTECT, models.RESTRICT, models.SET_NULL, models.SET_DEFAULT, models.DO_NOTHING)


def _owns(field: models.ForeignKey[Any, Any]) -> bool:
    """Whether `field` points at the row that owns this one: deleting that row deletes this one (CASCADE, or
    an app's own cascading rule), as opposed to PROTECT, SET_NULL, SET(...) and the like."""
    on_delete = field.remote_field.on_delete
    return on_delete not in _NOT_OWNING and not hasattr(on_delete, "deconstruct")


def partnership_id_of(target: models.Model, depth: int = 0) -> int | None:
    """The partnership `target` belongs to (through its owning foreign keys), or None."""
    meta = target._meta
    if meta.label_lower == PARTNERSHIP_LABEL:
        return target.pk  # type: ignore[no-any-return]
    owners = [f for f in meta.concrete_fields if isinstance(f, models.ForeignKey) and _owns(f)]
    for f in owners:
        if f.related_model._meta.label_lower == PARTNERSHIP_LABEL and getattr(target, f.attname) is not None:
            return getattr(target, f.attname)  # type: ignore[no-any-return]
    if depth >= _MAX_DEPTH:
        return None
    for f in owners:
        if getattr(target, f.attname) is None or f.related_model is meta.model:
            continue
        found = partnership_id_of(getattr(target, f.name), depth + 1)
        if found is not None:
            return found
    return None


def chain_of(target: models.Model) -> str:
    own = getattr(target, "audit_chain", None)
    if callable(own):  # a model whose events are many and its own (an API token's uses) keeps its own chain
        return str(own())
    found = partnership_id_of(target)
    return REGISTER_CHAIN if found is None else partnership_chain(found)


def actor_label(user: Any) -> str:
    """Who acted, as the record keeps it (their e-mail address), so deleting the user breaks nothing."""
    if user is None or not getattr(user, "is_authenticated", True):
        return ""
    return str(getattr(user, "email", "") or getattr(user, "username", ""))[:254]


def plain_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """`data` as it reads back from the JSON column (keys strings, tuples lists), so its hash survives storage."""
    result: dict[str, Any] = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    return result


def _when(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    """Everything an event's hash covers (not its row id, nor the actor's user id, which is only a link)."""
    return {
        "chain": event.chain,
        "prev_hash": event.prev_hash,
        "actor": event.actor_label,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "data": event.data,
        "created_at": _when(event.created_at),
    }


def event_hash(event: AuditEvent) -> str:
    text = json.dumps(hashed_fields(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_head_locked(chain: str) -> AuditChainHead:
    """The chain's head row, locked until the transaction ends (created, empty, the first time)."""
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        AuditChainHead.objects.bulk_create([AuditChainHead(chain=chain)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
    return head


def chain_append(event: AuditEvent) -> AuditEvent:
    """Link `event` (its chain set, not yet saved) after the newest event of its chain, and save both.
    Call it inside a transaction."""
    head = chain_head_locked(event.chain)
    event.prev_hash = head.hash
    event.hash = event_hash(event)
    event.save()
    head.hash, head.count, head.last_event_id = event.hash, head.count + 1, event.pk
    head.save(update_fields=["hash", "count", "last_event_id"])
    return event


# ---- checking ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    chain: str
    events: int
    problem: str = ""  # the first broken link, in plain words; "" when the chain is intact

    @property
    def intact(self) -> bool:
        return not self.problem


def _describe(event: AuditEvent) -> str:
    return (
        f"event {event.pk} ({event.verb} of {event.target_type} {event.target_id}, {_when(event.created_at)})"
    )


def _link_problem(event: AuditEvent, previous: AuditEvent | None, claimed: AuditEvent | None) -> str:
    if previous is None:
        return f"{_describe(event)} is the first event of the chain, yet it follows another: earlier events are missing (deleted)."
    if claimed is not None:
        return (
            f"{_describe(event)} claims to follow {_describe(claimed)}, but other events stand between them: "
            "an event was added to the record, or they were reordered, by going around JoinedUp."
        )
    return (
        f"{_describe(event)} was not written straight after {_describe(previous)}: an event between them is "
        "missing (deleted), or was changed."
    )


def chain_verify(
    chain: str,
    events: Iterable[AuditEvent],
    head: AuditChainHead | None,
    redacted: dict[int, str] | None = None,
) -> ChainReport:
    """Check one chain's events (in the order they were written) against each other and its head.
    `redacted` ({event id: hash of its redacted content}, core.personal_data) names events an erasure changed:
    such an event must match the hash recorded then instead of its own (which still links the chain)."""
    redacted = redacted or {}
    previous: AuditEvent | None = None
    seen: dict[str, AuditEvent] = {}
    count = 0
    for event in events:
        count += 1
        expected = previous.hash if previous is not None else ""
        content = event_hash(event)
        intact = content == event.hash or (event.pk in redacted and content == redacted[event.pk])
        broken = event.prev_hash != expected or not intact
        if broken and head is not None and head.last_event_id is not None and event.pk > head.last_event_id:
            return ChainReport(
                chain,
                count,
                f"{_describe(event)} was added to the record by going around JoinedUp: the newest event "
                f"JoinedUp wrote to this chain is event {head.last_event_id}.",
            )
        if event.prev_hash != expected:
            return ChainReport(chain, count, _link_problem(event, previous, seen.get(event.prev_hash)))
        if not intact:
            return ChainReport(
                chain,
                count,
                f"{_describe(event)} no longer matches its hash: it was changed after it was written.",
            )
        seen[event.hash] = event
        previous = event
    if head is None:
        if previous is None:
            return ChainReport(chain, 0)
        return ChainReport(
            chain, count, f"the chain has no record of its newest event, yet holds {count} event(s)."
        )
    if previous is None or previous.hash != head.hash or count != head.count:
        newest = _describe(previous) if previous is not None else "no event"
        if head.count > count:
            why = f"{head.count - count} event(s) at its end are missing (deleted)"
        elif head.count < count:
            why = "an event was added at its end by going around JoinedUp"
        else:
            why = "its newest event was replaced"
        return ChainReport(
            chain,
            count,
            f"the chain ends at {newest}, but JoinedUp recorded {head.count} event(s) ending with event "
            f"{head.last_event_id}: {why}.",
        )
    return ChainReport(chain, count)


def chains_verify(chain: str | None = None) -> list[ChainReport]:
    """Check every chain (or only `chain`), reading the events a chain at a time in the order written."""
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    names = sorted(set(heads) | set(AuditEvent.objects.values_list("chain", flat=True).distinct()))
    if chain is not None:
        names = [n for n in names if n == chain]
    from joinedup.core.personal_data import redactions

    redacted = redactions()
    return [chain_verify(name, _events(name), heads.get(name), redacted) for name in names]


def _events(chain: str) -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(chain=chain).order_by("pk").iterator(chunk_size=2000)
