"""Writes for indicators: keyword-only, the acting user as `by=`, one transaction, an audit event.

- `indicator_create` makes an indicator and the first version of its definition (and its trajectory);
- `indicator_edit` changes the fields it names; a change to the definition, unit or improvement direction
  starts a new version from a given period (INDICATOR_DEFINITION_CHANGED), so the chart breaks its line there;
- `measurement_record` records a figure for a period; a different figure for a period already recorded is a
  new revision, and the earlier ones are kept;
- `measurements_import` records a file's figures, all or nothing;
- `indicator_rebase` starts a new group of the chart at a period, for a reason (and a decision, if given).

None opens a durable transaction: the demo builder calls them inside its one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.choices import AuditVerb
from joinedup.core.registry import record_kinds
from joinedup.core.services import audit_record, fields_allowed, model_edit
from joinedup.outcomes.checks import measurement_problems
from joinedup.outcomes.choices import DECISION_KIND, DEFINITION_FIELDS, Direction
from joinedup.outcomes.imports import ImportProblems, MeasurementRow, read_measurements
from joinedup.outcomes.models import Indicator, IndicatorVersion, Measurement, Rebase, TrajectoryPoint
from joinedup.outcomes.periods import is_start, period_label
from joinedup.register.models import Membership, Organisation, Partnership

EDITABLE = (
    "title",
    "kind",
    "rba_question",
    "owner",
    "data_source",
    "publisher",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "clause_kind",
    "clause_id",
    *DEFINITION_FIELDS,
)
CREATE_FIELDS = (*EDITABLE, "frequency", "catalogue_key", "catalogue_version")


@dataclass(frozen=True)
class ImportReport:
    added: int
    revised: int
    unchanged: int


def _check_owner(partnership: Partnership, owner: Organisation | None) -> dict[str, str]:
    if owner is None:
        return {"owner": "Choose the organisation that owns the indicator"}
    current = Membership.objects.filter(partnership=partnership, organisation=owner, left__isnull=True)
    if not current.exists():
        return {"owner": f"{owner.name} is not a current member of {partnership.name}"}
    return {}


def _check_link(
    partnership: Partnership, kind: str, ident: int | None, field: str, what: str
) -> dict[str, str]:
    """A (record kind, id) link must name a record of this partnership that the kind offers."""
    if not kind and ident is None:
        return {}
    entry = record_kinds.get(kind)
    if entry is None:
        return {field: f"Linking to a {what} is not available here"}
    if ident not in {ref.id for ref in entry.options(partnership=partnership)}:
        return {field: f"Choose a {what} of {partnership.name}"}
    return {}


def _check_trajectory(frequency: str, trajectory: Mapping[datetime.date, float]) -> dict[str, str]:
    wrong = sorted(p for p in trajectory if not is_start(p, frequency))
    if wrong:
        return {"trajectory": f"{wrong[0].isoformat()} does not start a {frequency} period"}
    return {}


def _check_fields(partnership: Partnership, values: Mapping[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not str(values.get("title", "")).strip():
        problems["title"] = "Enter a title"
    if not str(values.get("definition", "")).strip():
        problems["definition"] = "Say exactly what is counted"
    if not str(values.get("unit", "")).strip():
        problems["unit"] = "Enter the unit (for example %, days, admissions per 100,000)"
    if values.get("direction") not in Direction.values:
        problems["direction"] = "Choose which way is better"
    for name in ("baseline", "target"):
        if values.get(f"{name}_value") is not None and values.get(f"{name}_date") is None:
            problems[f"{name}_date"] = f"Give the date of the {name}"
    problems.update(_check_owner(partnership, values.get("owner")))
    problems.update(
        _check_link(
            partnership, values.get("clause_kind", ""), values.get("clause_id"), "clause_id", "clause"
        )
    )
    return problems


def _set_trajectory(indicator: Indicator, trajectory: Mapping[datetime.date, float]) -> None:
    TrajectoryPoint.objects.filter(indicator=indicator).delete()
    TrajectoryPoint.objects.bulk_create(
        [TrajectoryPoint(indicator=indicator, period=p, target=t) for p, t in sorted(trajectory.items())]
    )


def indicator_create(
    *,
    by: Any,
    partnership: Partnership,
    fields: Mapping[str, Any],
    trajectory: Mapping[datetime.date, float] | None = None,
) -> Indicator:
    """A new indicator with the first version of its definition. `fields` are those of CREATE_FIELDS."""
    fields_allowed("indicator_create", fields, CREATE_FIELDS)
    values = {"clause_kind": "", "clause_id": None, **fields}
    problems = _check_fields(partnership, values)
    problems.update(_check_trajectory(values.get("frequency", ""), trajectory or {}))
    if problems:
        raise ValidationError(problems)
    definition = {name: values.pop(name) for name in DEFINITION_FIELDS}
    with transaction.atomic():
        indicator = Indicator(partnership=partnership, created_by=by, **values)
        indicator.full_clean()
        indicator.save()
        IndicatorVersion.objects.create(indicator=indicator, number=1, created_by=by, **definition)
        _set_trajectory(indicator, trajectory or {})
        audit_record(
            by=by,
            verb=AuditVerb.INDICATOR_CREATED,
            target=indicator,
            data={"catalogue": indicator.catalogue_key, **definition, "trajectory": len(trajectory or {})},
        )
    return indicator


def indicator_edit(
    *,
    by: Any,
    indicator: Indicator,
    fields: Mapping[str, Any],
    starts: datetime.date | None = None,
    trajectory: Mapping[datetime.date, float] | None = None,
) -> Indicator:
    """Change the named fields. A change to the definition, unit or direction needs `starts`, the first period
    the new definition covers: it starts version N+1 there. `trajectory`, if given, replaces the trajectory."""
    fields_allowed("indicator_edit", fields, EDITABLE)
    with transaction.atomic():
        versions = list(IndicatorVersion.objects.select_for_update().filter(indicator=indicator))
        version = versions[-1]
        definition = {
            name: fields[name]
            for name in DEFINITION_FIELDS
            if name in fields and fields[name] != getattr(version, name)
        }
        plain = {name: value for name, value in fields.items() if name not in DEFINITION_FIELDS}
        row, changes = model_edit(Indicator, indicator, plain, service="indicator_edit", allowed=EDITABLE)
        current = {name: getattr(version, name) for name in DEFINITION_FIELDS}
        values = {
            **{f.name: getattr(row, f.name) for f in Indicator._meta.concrete_fields if f.name != "id"},
            "owner": row.owner,
            **current,
            **definition,
        }
        problems = _check_fields(row.partnership, values)
        problems.update(_check_trajectory(row.frequency, trajectory or {}))
        if definition:
            problems.update(_check_starts(row, version, starts))
        if problems:
            raise ValidationError(problems)
        row.full_clean()
        row.save()
        if definition:
            _new_version(by, row, version, {**current, **definition}, starts)
        if trajectory is not None:
            before = dict(TrajectoryPoint.objects.filter(indicator=row).values_list("period", "target"))
            if before != dict(trajectory):
                _set_trajectory(row, trajectory)
                changes["trajectory"] = [_periods(len(before)), _periods(len(trajectory))]
        if changes:
            audit_record(by=by, verb=AuditVerb.INDICATOR_UPDATED, target=row, data={"changes": changes})
    indicator.refresh_from_db()
    return indicator


def _new_version(
    by: Any, indicator: Indicator, version: IndicatorVersion, definition: dict[str, Any], starts: Any
) -> IndicatorVersion:
    """Start version N+1 of the definition at `starts` (the chart starts a new line there), audited."""
    new = IndicatorVersion.objects.create(
        indicator=indicator, number=version.number + 1, starts=starts, created_by=by, **definition
    )
    changes = {
        name: [getattr(version, name), value]
        for name, value in definition.items()
        if value != getattr(version, name)
    }
    audit_record(
        by=by,
        verb=AuditVerb.INDICATOR_DEFINITION_CHANGED,
        target=indicator,
        data={"version": new.number, "starts": starts, "changes": changes},
    )
    return new


def _periods(n: int) -> str:
    return f"{n} period{'' if n == 1 else 's'}"


def _check_starts(
    indicator: Indicator, version: IndicatorVersion, starts: datetime.date | None
) -> dict[str, str]:
    if starts is None:
        return {"starts": "Say from which period the new definition applies"}
    if not is_start(starts, indicator.frequency):
        return {"starts": f"{starts.isoformat()} does not start a {indicator.frequency} period"}
    if version.starts is not None and starts <= version.starts:
        label = period_label(version.starts, indicator.frequency)
        return {"starts": f"The new definition must start after {label}, when the current one started"}
    return {}


def _record(by: Any, indicator: Indicator, row: MeasurementRow | Mapping[str, Any]) -> str:
    """Record one figure inside the caller's transaction: "added", "revised" or "unchanged"."""
    data = row if isinstance(row, Mapping) else row.__dict__
    figures = {name: data.get(name) for name in ("value", "numerator", "denominator")}
    note = data.get("note") or ""
    period = data["period"]
    current = (
        Measurement.objects.select_for_update()
        .filter(indicator=indicator, period=period, is_current=True)
        .first()
    )
    if current is not None:
        same = (
            all(getattr(current, name) == value for name, value in figures.items()) and current.note == note
        )
        if same:
            return "unchanged"
        Measurement.objects.filter(pk=current.pk).update(is_current=False)
    revision = 1 if current is None else current.revision + 1
    saved = Measurement.objects.create(
        indicator=indicator, period=period, revision=revision, note=note, entered_by=by, **figures
    )
    audit = {
        "indicator": indicator.pk,
        "period": period,
        **figures,
        "revision": revision,
        **({"was": current.value} if current is not None else {}),
    }
    verb = AuditVerb.MEASUREMENT_RECORDED if current is None else AuditVerb.MEASUREMENT_REVISED
    audit_record(by=by, verb=verb, target=saved, data=audit)
    return "added" if current is None else "revised"


def _unit(indicator: Indicator, period: datetime.date) -> str:
    versions = list(indicator.versions.all())
    unit = versions[0].unit
    for version in versions[1:]:
        if version.starts is not None and version.starts <= period:
            unit = version.unit
    return unit


def measurement_record(
    *,
    by: Any,
    indicator: Indicator,
    period: datetime.date,
    value: float | None,
    numerator: float | None = None,
    denominator: float | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Measurement:
    """Record the figure for `period` (a new revision if one is recorded already and this one differs)."""
    today = today or datetime.date.today()
    problems: dict[str, str] = {}
    if not is_start(period, indicator.frequency):
        problems["period"] = f"{period.isoformat()} does not start a {indicator.frequency} period"
    else:
        problems = measurement_problems(
            period=period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            unit=_unit(indicator, period),
            frequency=indicator.frequency,
            today=today,
        )
    if problems:
        raise ValidationError(problems)
    figures = {
        "period": period,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "note": note,
    }
    with transaction.atomic():
        _record(by, indicator, figures)
    found = Measurement.objects.get(indicator=indicator, period=period, is_current=True)
    return found


def measurements_import(
    *, by: Any, indicator: Indicator, data: bytes, filename: str = "", today: datetime.date | None = None
) -> ImportReport:
    """Record every row of a CSV file, or none: ImportProblems lists every problem by row and column."""
    today = today or datetime.date.today()
    versions = list(indicator.versions.all())
    rows = read_measurements(
        data, frequency=indicator.frequency, unit=versions[-1].unit, today=today, filename=filename
    )
    if len(versions) > 1:  # check each row against the unit of the definition that covers it
        problems = []
        for row in rows:
            checked = measurement_problems(
                period=row.period,
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
                unit=_unit(indicator, row.period),
                frequency=indicator.frequency,
                today=today,
            )
            problems += [f"row {row.row}, column {name}: {message}" for name, message in checked.items()]
        if problems:
            raise ImportProblems(problems)
    counts = {"added": 0, "revised": 0, "unchanged": 0}
    with transaction.atomic():
        for row in rows:
            counts[_record(by, indicator, row)] += 1
        audit_record(
            by=by,
            verb=AuditVerb.MEASUREMENTS_IMPORTED,
            target=indicator,
            data={"file": filename, "rows": len(rows), **counts},
        )
    return ImportReport(**counts)


def indicator_rebase(
    *,
    by: Any,
    indicator: Indicator,
    period: datetime.date,
    reason: str,
    decision_id: int | None = None,
) -> Rebase:
    """Start a new group of the chart (new mean and limits) at `period`, which must hold a measurement and not be
    the first. A reason is required; `decision_id` names a governance decision (when that kind is registered)."""
    reason = reason.strip()
    problems: dict[str, str] = {}
    if not reason:
        problems["reason"] = "Say why the limits are recalculated from this point"
    periods = list(
        Measurement.objects.filter(indicator=indicator, is_current=True)
        .order_by("period")
        .values_list("period", flat=True)
    )
    if period not in periods:
        problems["period"] = "Choose a period that has a measurement"
    elif period == periods[0]:
        problems["period"] = "The first point already starts the chart: choose a later one"
    elif Rebase.objects.filter(indicator=indicator, period=period).exists():
        problems["period"] = "The chart is rebased at this period already"
    kind = DECISION_KIND if decision_id is not None else ""
    problems.update(_check_link(indicator.partnership, kind, decision_id, "decision_id", "decision"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        rebase = Rebase.objects.create(
            indicator=indicator,
            period=period,
            reason=reason,
            decision_kind=kind,
            decision_id=decision_id,
            created_by=by,
        )
        audit_record(
            by=by,
            verb=AuditVerb.INDICATOR_REBASED,
            target=indicator,
            data={"period": period, "reason": reason, "decision": decision_id},
        )
    return rebase
