"""Recompute flags after each write that may change them: every service writes an audit event in its
transaction, and the event names the partnership it belongs to (its chain, core.audit). When the transaction
commits, one recompute job per partnership touched is queued (`job_enqueue` with the partnership's key
returns a job still waiting instead of a second one). Nothing here decides anything about flags; it only
schedules. Writes on the register-wide chain (an organisation renamed) reach the flags at the daily sweep."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from joinedup.core.models import AuditEvent
from joinedup.insight.choices import RECOMPUTE_JOB

PREFIX = "partnership:"
_PENDING = "_insight_flags_pending"


def job_key(partnership_id: int) -> str:
    return f"{PREFIX}{partnership_id}"


def flags_queue(partnership_id: int) -> None:
    from joinedup.core.jobs import job_enqueue

    job_enqueue(
        kind=RECOMPUTE_JOB,
        title="Work out the partnership's warning flags",
        by=None,
        key=job_key(partnership_id),
        params={"partnership": partnership_id},
    )


def flags_queue_on_commit(partnership_id: int) -> None:
    """Queue the recompute once the current transaction commits, once per partnership per transaction."""
    connection = transaction.get_connection()
    blocks = getattr(connection, "atomic_blocks", [])
    token = id(blocks[0]) if blocks else None
    pending: dict[int, Any] = connection.__dict__.setdefault(_PENDING, {})
    if token is not None and pending.get(partnership_id) == token:
        return
    pending[partnership_id] = token

    def run() -> None:
        pending.pop(partnership_id, None)
        flags_queue(partnership_id)

    # robust: the write has committed; a failure to queue must not turn its page into an error (the daily
    # sweep recomputes every partnership anyway)
    transaction.on_commit(run, robust=True)


def _audited(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if created and instance.chain.startswith(PREFIX) and getattr(settings, "FLAGS_RECOMPUTE_ON_WRITE", True):
        flags_queue_on_commit(int(instance.chain.removeprefix(PREFIX)))


def connect() -> None:
    post_save.connect(_audited, sender=AuditEvent, dispatch_uid="insight.flags_after_write")
