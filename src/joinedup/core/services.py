from __future__ import annotations

from typing import Any

from django.db import models

from joinedup.core.models import AuditEvent


def audit_record(
    *, by: Any | None, verb: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Write the audit event for a change; call it inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=by if by is not None and by.is_authenticated else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        data=data or {},
    )
