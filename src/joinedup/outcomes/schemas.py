"""API shapes for indicators: the indicator, its latest reading, and its series point by point."""

from __future__ import annotations

import datetime

from ninja import Field, Schema


class IndicatorOut(Schema):
    id: int
    partnership_id: int
    title: str
    kind: str
    rba_question: str
    frequency: str
    owner_id: int
    owner: str
    definition: str
    unit: str
    direction: str = Field(description="increase, decrease or neutral: which way is better.")
    definition_version: int
    target_value: float | None
    target_date: datetime.date | None
    baseline_value: float | None
    baseline_date: datetime.date | None
    variation: str | None = Field(description="The latest point's type (common_cause, special_cause_...).")
    assurance: str | None = Field(description="consistent_pass, consistent_fail, inconsistent, or null.")


class PointOut(Schema):
    period: str = Field(description="As files write it: 2025-04 (a month or quarter's first month), 2025/26.")
    period_start: datetime.date
    value: float
    numerator: float | None
    denominator: float | None
    revision: int
    group: int = Field(
        description="The line of the chart the point is on (a new one at a new definition or rebase)."
    )
    definition_version: int
    mean: float
    lpl: float | None
    upl: float | None
    rule: str | None = Field(description="outside_limits, trend, two_in_three, shift, or null.")
    point_type: str
    trajectory: float | None


class GroupOut(Schema):
    number: int
    first: str
    last: str
    points: int
    mean: float
    lpl: float | None
    upl: float | None
    provisional: bool = Field(description="The limits rest on fewer than 12 points.")
    reason: str


class SeriesOut(Schema):
    indicator: IndicatorOut
    points: list[PointOut]
    groups: list[GroupOut]


class MeasurementIn(Schema):
    period: str = Field(description="2025-04 for a month or quarter (its first month), 2025/26 for a year.")
    value: float
    numerator: float | None = None
    denominator: float | None = None
    note: str = Field("", max_length=2000)


class MeasurementOut(Schema):
    id: int
    period: str
    period_start: datetime.date
    value: float
    numerator: float | None
    denominator: float | None
    note: str
    revision: int
