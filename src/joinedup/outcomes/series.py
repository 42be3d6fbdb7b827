"""An indicator's series read as *Making Data Count* does (`joinedup.analysis.spc`), with what breaks its line.

A new group of the chart starts at every later version of the definition (its figures mean something else)
and at every rebase. Each version is read with its own improvement direction; the variation and the
assurance are those of the last point and of the last group. Everything comes from rows already loaded
(`selectors` prefetch them), so reading costs no queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from joinedup.analysis.spc import Assurance, PointType, Rule, SpcResult, read_series
from joinedup.outcomes.periods import period_code, period_label

VARIATION_WORDS = {
    PointType.COMMON_CAUSE: (
        "Common cause",
        "the figures go up and down only as much as they usually do: nothing has changed that needs looking into",
    ),
    PointType.IMPROVEMENT: (
        "Special cause: improvement",
        "something has changed for the better, more than the usual ups and downs explain: find out what, and keep it",
    ),
    PointType.CONCERN: (
        "Special cause: concern",
        "something has changed for the worse, more than the usual ups and downs explain: find out why",
    ),
    PointType.NEUTRAL_HIGH: (
        "Special cause: higher",
        "the figures have moved up more than the usual ups and downs explain (neither better nor worse)",
    ),
    PointType.NEUTRAL_LOW: (
        "Special cause: lower",
        "the figures have moved down more than the usual ups and downs explain (neither better nor worse)",
    ),
}
ASSURANCE_WORDS = {
    Assurance.CONSISTENT_PASS: (
        "Consistently passing the target",
        "the target lies outside the process limits on the good side: it will be met every time while the "
        "service works as it does now",
    ),
    Assurance.CONSISTENT_FAIL: (
        "Consistently failing the target",
        "the target lies outside the process limits on the bad side: it will be missed every time unless "
        "the way the service works changes",
    ),
    Assurance.INCONSISTENT: (
        "Hit and miss",
        "the target lies inside the process limits: the usual ups and downs will meet it sometimes and miss it "
        "other times",
    ),
}
RULE_WORDS = {
    Rule.OUTSIDE_LIMITS: "outside the process limits",
    Rule.TREND: "part of a run of 7 rising or falling points",
    Rule.TWO_IN_THREE: "2 of 3 points close to a limit",
    Rule.SHIFT: "part of a run of 7 points on one side of the mean",
}
POINT_WORDS = {
    PointType.COMMON_CAUSE: "Common cause",
    PointType.IMPROVEMENT: "Improvement",
    PointType.CONCERN: "Concern",
    PointType.NEUTRAL_HIGH: "Higher",
    PointType.NEUTRAL_LOW: "Lower",
}


@dataclass(frozen=True)
class SeriesPoint:
    period: datetime.date
    label: str
    code: str
    value: float
    measurement: Any  # the current Measurement row
    version: int
    group: int  # 1, 2, ... across the whole series
    mean: float
    lpl: float | None
    upl: float | None
    rule: Rule | None
    point_type: PointType
    starts_group: str  # why a new group starts here ("" when it does not)
    trajectory: float | None

    @property
    def type_words(self) -> str:
        return POINT_WORDS[self.point_type]

    @property
    def rule_words(self) -> str:
        return RULE_WORDS[self.rule] if self.rule else ""


@dataclass(frozen=True)
class SeriesGroup:
    number: int
    first: str
    last: str
    points: int
    mean: float
    lpl: float | None
    upl: float | None
    provisional: bool
    reason: str  # why it starts ("" for the first)

    @property
    def has_limits(self) -> bool:
        return self.lpl is not None


@dataclass(frozen=True)
class SeriesReading:
    points: tuple[SeriesPoint, ...]
    groups: tuple[SeriesGroup, ...]
    variation: PointType | None
    assurance: Assurance | None
    direction: str
    target: float | None

    @property
    def variation_words(self) -> tuple[str, str] | None:
        return VARIATION_WORDS[self.variation] if self.variation else None

    @property
    def assurance_words(self) -> tuple[str, str] | None:
        return ASSURANCE_WORDS[self.assurance] if self.assurance else None

    @property
    def last_group(self) -> SeriesGroup | None:
        return self.groups[-1] if self.groups else None

    @property
    def is_special(self) -> bool:
        return self.variation is not None and self.variation is not PointType.COMMON_CAUSE


def _version_of(versions: list[Any], period: datetime.date) -> Any:
    current = versions[0]
    for version in versions[1:]:
        if version.starts is not None and version.starts <= period:
            current = version
    return current


def _segments(versions: list[Any], measurements: list[Any]) -> list[tuple[Any, list[Any]]]:
    """The measurements in period order, cut where each version of the definition starts."""
    segments: list[tuple[Any, list[Any]]] = []
    for row in sorted(measurements, key=lambda m: m.period):
        version = _version_of(versions, row.period)
        if not segments or segments[-1][0] is not version:
            segments.append((version, []))
        segments[-1][1].append(row)
    return segments


@dataclass
class _Reader:
    indicator: Any
    rebase_reason: dict[datetime.date, str]
    targets: dict[datetime.date, float]
    points: list[SeriesPoint]
    groups: list[SeriesGroup]

    def read(self, version: Any, rows: list[Any]) -> SpcResult:
        """Read one version's rows (rebases start groups inside it) and add its groups and points."""
        frequency = self.indicator.frequency
        result = read_series(
            [period_code(r.period, frequency) for r in rows],
            [r.value for r in rows],
            rebase=[i > 0 and row.period in self.rebase_reason for i, row in enumerate(rows)],
            direction=version.direction,
            target=self.indicator.target_value,
        )
        offset = len(self.groups)
        for group in result.groups:
            first = rows[group.start]
            if group.start > 0:
                reason = f"rebased: {self.rebase_reason[first.period]}"
            else:  # a new version starts a new line; the series' first line has no reason
                reason = f"definition {version.number} starts" if self.groups else ""
            self.groups.append(
                SeriesGroup(
                    number=len(self.groups) + 1,
                    first=period_label(first.period, frequency),
                    last=period_label(rows[group.end - 1].period, frequency),
                    points=group.end - group.start,
                    mean=group.mean,
                    lpl=group.lpl,
                    upl=group.upl,
                    provisional=group.provisional,
                    reason=reason,
                )
            )
        starts = {g.start for g in result.groups}
        for i, (row, point) in enumerate(zip(rows, result.points, strict=True)):
            number = offset + point.group + 1
            self.points.append(
                SeriesPoint(
                    period=row.period,
                    label=period_label(row.period, frequency),
                    code=point.period,
                    value=point.value,
                    measurement=row,
                    version=version.number,
                    group=number,
                    mean=point.mean,
                    lpl=point.lpl,
                    upl=point.upl,
                    rule=point.rule,
                    point_type=point.point_type,
                    starts_group=self.groups[number - 1].reason if i in starts else "",
                    trajectory=self.targets.get(row.period),
                )
            )
        return result


def read_indicator(
    indicator: Any,
    *,
    versions: list[Any],
    measurements: list[Any],
    rebases: list[Any],
    trajectory: list[Any],
) -> SeriesReading:
    """The reading of `indicator`'s current measurements (`versions` by number; the rest in any order)."""
    reader = _Reader(
        indicator=indicator,
        rebase_reason={r.period: r.reason for r in rebases},
        targets={t.period: t.target for t in trajectory},
        points=[],
        groups=[],
    )
    result = None
    for version, rows in _segments(versions, measurements):
        result = reader.read(version, rows)
    return SeriesReading(
        points=tuple(reader.points),
        groups=tuple(reader.groups),
        variation=reader.points[-1].point_type if reader.points else None,
        assurance=result.assurance if result is not None else None,
        direction=versions[-1].direction if versions else "neutral",
        target=indicator.target_value,
    )


def _n(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def what_this_means(read: SeriesReading, unit: str, title: str) -> list[str]:
    """The reading in plain sentences, for the page's "What this means"."""
    if not read.points:
        return ["There are no measurements yet, so there is nothing to read."]
    last = read.points[-1]
    group = read.groups[-1]
    said = [f"The latest figure is {_n(last.value)} {unit}, for {last.label}."]
    if not group.has_limits:
        said.append(
            "The current line has only one point, so there are no limits yet: at least 2 points are needed, and "
            "12 before the limits can be relied on."
        )
        return said
    assert group.lpl is not None and group.upl is not None
    said.append(
        f"Since the current line started ({group.first}) it has averaged {_n(group.mean)}, and while nothing "
        f"changes, most figures should "
        f"fall between {_n(group.lpl)} and {_n(group.upl)} (the process limits)."
    )
    if group.provisional:
        said.append(
            f"These limits rest on {group.points} points, fewer than the 12 they need to be relied on, so they are "
            "provisional: read them with care."
        )
    if last.rule is not None:
        said.append(f"The latest point is {RULE_WORDS[last.rule]}, which usual variation rarely produces.")
    words = read.variation_words
    if words is not None:
        said.append(f"That means: {words[1]}.")
    assurance = read.assurance_words
    if assurance is not None and read.target is not None:
        said.append(f"Against the target of {_n(read.target)}: {assurance[1]}.")
    return said
