"""API shapes for assessment results: the same JSON as `joinedup assess score`, with the wave around it."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from joinedup.core.api_figures import Figure, Suppressed, figure
from joinedup.register.choices import Profession
from joinedup.surveys.choices import RoleLevel


class DimensionOut(Schema):
    """A dimension's score. Every number is a Figure: null with a reason code when disclosure control hid it."""

    key: str
    n: Figure
    mean: Figure
    sd: Figure
    ci_low: Figure
    ci_high: Figure
    rwg: Figure
    band: str | None = None

    @classmethod
    def of(cls, d: dict[str, Any], hidden: Suppressed | None) -> DimensionOut:
        """`d` as the score report keeps it; a dimension without `n` was hidden (`hidden` says why)."""
        why = hidden if d.get("n") is None else None
        numbers = {k: figure(d.get(k), why) for k in ("n", "mean", "sd", "ci_low", "ci_high", "rwg")}
        return cls(key=d["key"], band=None if why else d.get("band"), **numbers)


class GroupOut(Schema):
    group: Any
    n: Figure
    suppressed: Suppressed | None = Field(description="Why the whole group is hidden; null when it is shown.")
    dimensions: list[DimensionOut]

    @classmethod
    def of(cls, g: dict[str, Any]) -> GroupOut:
        why = Suppressed.FEWER_THAN_K if g.get("suppressed") or g.get("n") is None else None
        return cls(
            group=g.get("group"),
            n=figure(g.get("n"), why),
            suppressed=why,
            dimensions=[DimensionOut.of(d, why or Suppressed.FEWER_THAN_K) for d in g.get("dimensions", [])],
        )


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


class AssessmentResponseIn(Schema):
    """A respondent's answers, sent in one go. `answers`: statement key -> a point of the wave's scale, or "dk"
    (don't know) where the scale allows it; statements left out are unanswered. `comments`: dimension key ->
    text. The "about you" fields are as on the first page of the survey: each may be left blank."""

    organisation_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Asked only when the link does not already say (open links)."
    )
    profession: Profession | None = None
    role_level: RoleLevel | None = None
    respondent_name: str = Field("", max_length=200, description="Named waves only (and needed there).")
    answers: dict[str, Any] = Field(
        default_factory=dict,
        max_length=500,
        description='Statement key -> a whole number on the scale, or "dk"; anything else is refused by key.',
    )
    comments: dict[str, str] = Field(default_factory=dict, max_length=100)
