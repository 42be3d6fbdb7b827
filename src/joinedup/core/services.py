"""Helpers every app's services use: the audit event, and the before/after of an edit."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from joinedup.core.audit import actor_label, chain_append, chain_of, plain_data
from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent

M = TypeVar("M", bound=models.Model)


def audit_record(
    *, by: Any | None, verb: AuditVerb, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Write the audit event for a change; call it inside the service's transaction.

    `verb` must be an AuditVerb (a free string that is not one raises ValueError), so every stored verb is one
    the admin can filter by and a reader can look up. The event joins the chain of the partnership `target`
    belongs to, or the register-wide chain (`core.audit`), after the newest event there.
    """
    event = AuditEvent(
        actor=by if by is not None and by.is_authenticated else None,
        actor_label=actor_label(by),
        verb=AuditVerb(verb),
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        data=plain_data(data),
        chain=chain_of(target),
    )
    with transaction.atomic():
        return chain_append(event)


def fields_allowed(service: str, fields: Collection[str], allowed: Collection[str]) -> None:
    """Raise TypeError naming every field in `fields` (names, or a mapping's keys) that `service` may not set."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(
            f"{service}() cannot set {', '.join(map(repr, unknown))}; it sets only {', '.join(sorted(allowed))}"
        )


def model_edit(
    model: type[M], instance: M | None, fields: Mapping[str, Any], *, service: str, allowed: Collection[str]
) -> tuple[M, dict[str, list[str]]]:
    """The row an edit service saves, with `fields` set on it, and the changes as {field: [before, after]}.

    Call it inside the service's transaction. A new row (`instance` None) starts from the model's defaults. An
    existing one is read again from the database and locked, so "before" is what is stored, whatever the
    caller's object holds (a model form, say, has already set the new values on it), and only the allowed
    fields given change. Raises TypeError, before anything is read, for a field not in `allowed`.
    """
    fields_allowed(service, fields, allowed)
    row = model() if instance is None else model._default_manager.select_for_update().get(pk=instance.pk)
    changes: dict[str, list[str]] = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.ForeignKey):  # compare ids: loads the related row only when it changed
            old_id, new_id = getattr(row, field.attname), getattr(value, "pk", value)
            if old_id != new_id:
                old = getattr(row, name) if old_id is not None else None
                changes[name] = [str(old), str(value)]
                setattr(row, name, value)
        elif (old := getattr(row, name)) != value:
            changes[name] = [str(old), str(value)]
            setattr(row, name, value)
    return row, changes


def model_copy(row: M, onto: M | None) -> M:
    """After an edit service saved `row`, give the caller's object (if any) the stored values too; return it."""
    if onto is None:
        return row
    for field in row._meta.concrete_fields:
        setattr(onto, field.attname, getattr(row, field.attname))
        if isinstance(field, models.ForeignKey) and field.is_cached(row):  # the related object it was given
            field.set_cached_value(onto, field.get_cached_value(row))
    return onto
