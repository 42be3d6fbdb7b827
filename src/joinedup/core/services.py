from __future__ import annotations

from typing import Any

from django.db import models

from joinedup.accounts.models import User
from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent


def audit_record(
    *, by: User | None, verb: AuditVerb, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Write the audit event for a change; call it inside the service's transaction.

    `verb` must be an AuditVerb (a free string that is not one raises ValueError), so every stored verb is one
    the admin can filter by and a reader can look up.
    """
    return AuditEvent.objects.create(
        actor=by if by is not None and by.is_authenticated else None,
        verb=AuditVerb(verb),
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        data=data or {},
    )
