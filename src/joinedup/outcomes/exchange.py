"""The outcomes' share of the JSON export (core.exchange_spec): indicators with the versions of their
definitions, every revision of every measurement, trajectories and rebases. The clause an indicator serves
and the decision a rebase cites are written as {"kind", "key"} (their record_kinds key and the record's key)."""

from __future__ import annotations

from joinedup.core.exchange_spec import Table
from joinedup.outcomes.models import Indicator, IndicatorVersion, Measurement, Rebase, TrajectoryPoint

versions = Table(
    name="versions",
    model=IndicatorVersion,
    parent="indicator",
    fields=("number", "definition", "unit", "direction", "starts", "created_at"),
    refs={"created_by": "user"},
)
measurements = Table(
    name="measurements",
    model=Measurement,
    parent="indicator",
    fields=("period", "revision", "is_current", "value", "numerator", "denominator", "note", "entered_at"),
    refs={"entered_by": "user"},
)
trajectory = Table(name="trajectory", model=TrajectoryPoint, parent="indicator", fields=("period", "target"))
rebases = Table(
    name="rebases",
    model=Rebase,
    parent="indicator",
    fields=("period", "reason", "created_at"),
    refs={"created_by": "user"},
    generic={"decision": ("decision_kind", "decision_id")},
)
indicators = Table(
    name="indicators",
    model=Indicator,
    key="outcomes.indicator",
    fields=(
        "title",
        "kind",
        "rba_question",
        "frequency",
        "data_source",
        "publisher",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "catalogue_key",
        "catalogue_version",
        "created_at",
    ),
    refs={"owner": "organisation", "created_by": "user"},
    generic={"clause": ("clause_kind", "clause_id")},
    children=(versions, measurements, trajectory, rebases),
)

TABLES = (indicators,)
