"""Demo indicators for Northshire (found by joinedup.demo.northshire.extensions()).

The community mental health partnership measures six indicators, quarter by quarter, from October 2024 to
September 2026 (8 quarters), each read as *Making Data Count* reads it:

* days from referral to first contact rise for 7 quarters in a row: a trend, special cause for concern;
* people with a shared care plan sit above their mean for the last 7 quarters: a shift, special cause
  for improvement (the six hubs of the 2025 reorganisation);
* service users rating their experience good or very good never come near the 90% target: the target lies
  above the upper process limit, so it is consistently failed;
* partner attendance, board actions completed on time and avoidable emergency admissions vary only as they
  usually do (common cause). One attendance figure was corrected, so its history shows two revisions.

Figures come from `demo.rng_for("outcomes")` (and the two drifting series are fixed), entered through the
services as a coordinator would, so the audit log holds them.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from joinedup.analysis.spc import PointType, read_series
from joinedup.core.registry import record_kinds
from joinedup.outcomes import services
from joinedup.outcomes.catalogue import shipped_catalogue
from joinedup.outcomes.choices import CLAUSE_KIND
from joinedup.outcomes.periods import add_months

FIRST = datetime.date(2024, 10, 1)
QUARTERS = [add_months(FIRST, 3 * i) for i in range(8)]
TODAY = datetime.date(2026, 12, 7)
# the two drifting series, fixed so that they hit the rules exactly (tests/demo checks them with analysis.spc)
TREND = [19.6, 13.8, 14.2, 14.6, 15.9, 17.1, 18.2, 18.9]  # points 2-8 rise: a 7-point trend
SHIFT = [50.0, 59.0, 57.7, 57.6, 60.9, 57.6, 59.2, 57.5]  # points 2-8 above the mean: a 7-point shift


@dataclass(frozen=True)
class DemoIndicator:
    key: str  # the catalogue entry
    owner: str  # organisation key
    target: float | None
    values: list[float] | None = None  # fixed, or drawn around `centre` with `spread`
    centre: float = 0.0
    spread: float = 0.0
    denominator: tuple[int, int] | None = None  # draw numerator and denominator (a share of people)
    extra: dict[str, Any] = field(default_factory=dict)


INDICATORS = [
    DemoIndicator("referral-to-first-contact", "mh_trust", 14.0, values=TREND),
    DemoIndicator("shared-care-plan", "county", 60.0, values=SHIFT),
    DemoIndicator("service-user-experience", "mind", 90.0, centre=74.0, spread=2.5, denominator=(90, 140)),
    DemoIndicator("partner-attendance", "icb", 85.0, centre=82.0, spread=4.0),
    DemoIndicator("actions-on-time", "county", 75.0, centre=71.0, spread=5.0),
    DemoIndicator("avoidable-emergency-admissions", "icb", 170.0, centre=182.0, spread=9.0),
]


def _common_cause(rng: random.Random, spec: DemoIndicator, direction: str) -> list[tuple[float, Any, Any]]:
    """Draw 8 figures until every point is common cause (and, with a denominator, the value agrees with it)."""
    while True:
        rows: list[tuple[float, Any, Any]] = []
        for _ in QUARTERS:
            share = rng.gauss(spec.centre, spec.spread)
            if spec.denominator is not None:
                denominator = rng.randint(*spec.denominator)
                numerator = round(share / 100 * denominator)
                rows.append((round(numerator / denominator * 100, 1), numerator, denominator))
            else:
                rows.append((round(share, 1), None, None))
        read = read_series([str(q) for q in QUARTERS], [r[0] for r in rows], direction=direction)
        if all(p.point_type is PointType.COMMON_CAUSE for p in read.points):
            return rows


def _fields(demo: Any, spec: DemoIndicator, entry: Any, version: int, clause: int | None) -> dict[str, Any]:
    fields = {
        "title": entry.title,
        "kind": entry.kind,
        "rba_question": entry.rba_question,
        "frequency": "quarterly",
        "definition": entry.full_definition,
        "unit": entry.unit,
        "direction": entry.direction,
        "owner": demo.organisations[spec.owner],
        "data_source": entry.data_source,
        "publisher": entry.publisher,
        "target_value": spec.target,
        "target_date": datetime.date(2027, 3, 31) if spec.target is not None else None,
        "catalogue_key": entry.key,
        "catalogue_version": version,
    }
    if clause is not None:  # the agreement's aims-and-outcomes clause
        fields.update(clause_kind=CLAUSE_KIND, clause_id=clause)
    return fields


def extend_northshire(demo: Any) -> None:
    rng = demo.rng_for("outcomes")
    partnership = demo.partnerships["mh"]
    by = demo.users["coordinator"]
    book = shipped_catalogue()
    clauses = record_kinds.get(CLAUSE_KIND)
    aims = clauses.options(partnership=partnership) if clauses is not None else []
    made = {}
    for spec in INDICATORS:
        entry = book.entry(spec.key)
        assert entry is not None, spec.key
        fields = _fields(demo, spec, entry, book.version, aims[0].id if aims else None)
        trajectory = None
        if spec.key == "referral-to-first-contact":  # the recovery plan's steps down to the target
            fields.update(baseline_value=15.0, baseline_date=datetime.date(2024, 9, 30))
            trajectory = {q: t for q, t in zip(QUARTERS[4:], (17.0, 16.0, 15.0, 14.0), strict=True)}
        indicator = services.indicator_create(
            by=by, partnership=partnership, fields=fields, trajectory=trajectory
        )
        if spec.values is not None:
            rows: list[tuple[float, Any, Any]] = [(v, None, None) for v in spec.values]
        else:
            rows = _common_cause(rng, spec, entry.direction)
        for quarter, (value, numerator, denominator) in zip(QUARTERS, rows, strict=True):
            services.measurement_record(
                by=by,
                indicator=indicator,
                period=quarter,
                value=value,
                numerator=numerator,
                denominator=denominator,
                today=TODAY,
            )
        made[spec.key] = indicator
    _corrected(by, made["partner-attendance"])
    demo.extra["indicators"] = made


def _corrected(by: Any, attendance: Any) -> None:
    """One figure entered wrongly (a meeting counted twice), then corrected back: the history keeps both."""
    first = attendance.measurements.get(period=QUARTERS[2], is_current=True)
    for value, note in (
        (first.value + 9.0, "Entered from the draft minutes."),
        (first.value, "Corrected: the September meeting had been counted twice."),
    ):
        services.measurement_record(
            by=by, indicator=attendance, period=QUARTERS[2], value=value, today=TODAY, note=note
        )
