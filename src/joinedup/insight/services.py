"""Writes of the insight app: recomputing a partnership's flags (derived data, written by the background job
only, so it writes no audit event) and saving the thresholds a partnership tunes for itself (audited)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.analysis.flags import FlagSettingsError, evaluate, load_settings
from joinedup.core.choices import AuditVerb
from joinedup.core.services import audit_record
from joinedup.insight.ladder_facts import ladder_build
from joinedup.insight.models import FlagSet, FlagThresholds
from joinedup.insight.snapshot import snapshot_build, to_plain


def flags_compute(*, partnership: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """The partnership's flags computed now, with the snapshot, the health facts and the ladder (reads only)."""
    today = today or timezone.localdate()
    stored = FlagThresholds.objects.filter(partnership=partnership).values_list("values", flat=True).first()
    settings = load_settings(overrides=stored or None)
    snapshot, health = snapshot_build(partnership=partnership, today=today)
    flags = evaluate(snapshot, settings)
    return {
        "computed_at": timezone.now(),
        "settings_version": settings.version,
        "flags": [flag.as_dict() for flag in flags],
        "snapshot": to_plain(snapshot),
        "health": to_plain(health),
        "ladder": ladder_build(partnership=partnership, snapshot=snapshot),
    }


def flags_recompute(*, by: Any = None, partnership: Any, today: datetime.date | None = None) -> FlagSet:
    """Compute the partnership's flags and keep them as its latest FlagSet (called by the job, never a page)."""
    computed = flags_compute(partnership=partnership, today=today)
    with transaction.atomic():
        flag_set, _ = FlagSet.objects.update_or_create(partnership=partnership, defaults=computed)
    return flag_set


def thresholds_save(*, by: Any, partnership: Any, values: dict[str, float]) -> FlagThresholds:
    """Keep the partnership's own thresholds (only those that differ from the shipped ones need be given);
    each is checked against the flags' schema, and a bad one is named by its field."""
    shipped = load_settings().thresholds
    unknown = sorted(set(values) - set(shipped))
    if unknown:
        raise ValidationError({name: "There is no such threshold." for name in unknown})
    changed = {name: float(v) for name, v in values.items() if float(v) != float(shipped[name])}
    try:
        load_settings(overrides=changed or None)
    except FlagSettingsError as error:
        raise ValidationError(
            {
                p.split(":", 1)[0].removeprefix("thresholds.") or "__all__": p.split(": ", 1)[-1]
                for p in error.problems
            }
        ) from error
    with transaction.atomic(durable=True):
        row, _ = FlagThresholds.objects.select_for_update().get_or_create(partnership=partnership)
        before = dict(row.values)
        row.values = changed
        row.updated_by = by if by is not None and by.is_authenticated else None
        row.save()
        audit_record(
            by=by,
            verb=AuditVerb.PARTNERSHIP_UPDATED,
            target=row,
            data={"flag_thresholds": {"before": before, "after": changed}},
        )
    return row
