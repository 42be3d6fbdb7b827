"""API shapes for assessment results: the same JSON as `joinedup assess score`, with the wave around it."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema


class DimensionOut(Schema):
    key: str
    n: int | None
    mean: float | None = None
    sd: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    rwg: float | None = None
    band: str | None = None


class GroupOut(Schema):
    group: Any
    n: int | None
    suppressed: bool
    dimensions: list[DimensionOut]


class GapOut(Schema):
    dimension: str
    by: str
    high: Any
    low: Any
    difference: float
    p_value: float | None
    to_discuss: bool


class ReleaseOut(Schema):
    number: int = Field(
        description="The release shown (1, 2, ...); 0 while fewer than k people have answered."
    )
    released_at: datetime.datetime | None
    final: bool = Field(description="The wave has closed and this is its last release.")
    message: str = Field(description="When the next release comes, in plain English.")


class WaveResultsOut(Schema):
    wave: int
    title: str
    instrument: str
    min_group_size: int
    respondents: int
    dimensions: list[DimensionOut]
    groups: dict[str, list[GroupOut]]
    gaps: list[GapOut]
    items: dict[str, dict[str, int]] = Field(
        description="Statement key -> number of people giving each answer (scale value or dk); only statements "
        "shown by disclosure control."
    )
    release: ReleaseOut


class PendingOut(Schema):
    detail: str = Field(description="Why there are no results yet, and when to ask again.")
