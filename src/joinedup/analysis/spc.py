"""Reading a series as NHS England's *Making Data Count* does: an XmR chart and its special-cause rules.

Pure (numpy and the standard library), so the indicator pages, the API and `joinedup indicator spc` on a CSV
file read a series the same way. `read_series` is the entry point; the rest are its parts.

- **Groups.** A series is one group, or several when points are marked as rebasing (each marked point starts a
  new group). Every figure below is per group, and no rule looks across a rebase.
- **Limits.** The mean of the values; the moving ranges |xᵢ − xᵢ₋₁|; the process limits mean ± 2.66 × mean
  moving range; the near-limits band beyond mean ± (2/3 × 2.66) × mean moving range but inside the limits.
  `fix_after=N` computes them from the group's first N points only, and applies them to all its points.
  `screen_outliers` drops the moving ranges of at least 3.267 × their mean and takes the mean of the rest
  (off by default, as in NHS England's spreadsheet tool; when every moving range is 0 none is dropped).
  Limits resting on fewer than 12 points are provisional; on fewer than 2 there are none.
- **Rules**, in this precedence for labelling a point: outside the limits (strictly above the upper or below
  the lower); a trend (7 points, each strictly higher, or each strictly lower, than the one before; a tie breaks
  it; all 7 are part of it); two of three consecutive points in the near-limits band with all three strictly on
  one side of the mean (only the points in the band are flagged); a shift (7 consecutive points strictly on one
  side of the mean: a point on the mean breaks the run; all 7 are part of it).
- **Direction of a flagged point**: above or below the limits or the mean, and for a trend the direction of the
  step to the next point when that step is part of a trend, else of the step from the previous point (so the
  turning point shared by a rise and a fall goes with the fall, and a tie between two trends splits them).
- **Point type** from the improvement direction: `special_cause_improvement` / `special_cause_concern`
  (increase, decrease) or `special_cause_neutral_high` / `special_cause_neutral_low` (neutral), else
  `common_cause`. The series' variation is its last point's type.
- **Assurance** against a target, from the last point's group limits: a target above the upper limit is
  consistently failed (increase) or passed (decrease), below the lower limit the reverse, otherwise
  "inconsistent"; none without a target, for a neutral direction, or when the last group has no limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

import numpy as np

LIMIT_FACTOR = 2.66  # process limits: mean ± 2.66 × mean moving range
NEAR_FACTOR = 2 / 3 * LIMIT_FACTOR  # the near-limits band starts at two thirds of the way out
OUTLIER_FACTOR = 3.267  # screening drops moving ranges of at least 3.267 × their mean
RUN = 7  # points in a trend or a shift
ROBUST_POINTS = 12  # limits on fewer points are provisional
MIN_POINTS = 2  # limits need at least one moving range
LARGEST = 1e150  # values beyond ± this could overflow the sums and the limits


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class Rule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_IN_THREE = "two_in_three"
    SHIFT = "shift"


class PointType(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "special_cause_improvement"
    CONCERN = "special_cause_concern"
    NEUTRAL_HIGH = "special_cause_neutral_high"
    NEUTRAL_LOW = "special_cause_neutral_low"


class Assurance(StrEnum):
    CONSISTENT_PASS = "consistent_pass"
    CONSISTENT_FAIL = "consistent_fail"
    INCONSISTENT = "inconsistent"


@dataclass(frozen=True)
class GroupLimits:
    """One group's chart: its points `start` (inclusive) to `end` (exclusive), the mean and the limits.

    `basis` is how many points the figures rest on (the group's, or its first N with `fix_after`). Without
    limits (a basis under 2 points) `mean_moving_range` and the four limits are None."""

    start: int
    end: int
    basis: int
    mean: float
    mean_moving_range: float | None
    lpl: float | None
    upl: float | None
    near_lpl: float | None
    near_upl: float | None

    @property
    def has_limits(self) -> bool:
        return self.mean_moving_range is not None

    @property
    def provisional(self) -> bool:
        """Limits resting on fewer than 12 points: to be read with care until more points come."""
        return self.has_limits and self.basis < ROBUST_POINTS


@dataclass(frozen=True)
class Point:
    period: str
    value: float
    group: int  # index into SpcResult.groups
    mean: float
    lpl: float | None
    upl: float | None
    rule: Rule | None
    point_type: PointType


@dataclass(frozen=True)
class SpcResult:
    direction: Direction
    target: float | None
    points: tuple[Point, ...]
    groups: tuple[GroupLimits, ...]
    variation: PointType | None  # the last point's type; None for an empty series
    assurance: Assurance | None


def group_bounds(rebase: Sequence[bool], n: int) -> list[tuple[int, int]]:
    """(start, end) of each group: a new one at every point marked as rebasing (the first always starts one)."""
    starts = [0] + [i for i in range(1, n) if rebase[i]]
    return list(pairwise([*starts, n])) if n else []


def moving_ranges(values: np.ndarray) -> np.ndarray:
    return np.abs(np.diff(values))


def mean_moving_range(ranges: np.ndarray, *, screen_outliers: bool) -> float:
    """The mean of the moving ranges; with screening, the mean of those below 3.267 × that mean."""
    mean = math.fsum(ranges.tolist()) / len(ranges)
    if screen_outliers:
        kept = ranges[ranges < OUTLIER_FACTOR * mean]
        if len(kept):  # none is kept only when every range is 0: there is no outlier to drop
            mean = math.fsum(kept.tolist()) / len(kept)
    return mean


def xmr_limits(
    values: np.ndarray, *, start: int, fix_after: int | None, screen_outliers: bool
) -> GroupLimits:
    """The chart of one group (`values` are its points; `start` its first point's place in the series)."""
    basis = values[:fix_after]  # all of them when fix_after is None
    mean = math.fsum(basis.tolist()) / len(basis)
    end = start + len(values)
    if len(basis) < MIN_POINTS:
        return GroupLimits(start, end, len(basis), mean, None, None, None, None, None)
    mr = mean_moving_range(moving_ranges(basis), screen_outliers=screen_outliers)
    return GroupLimits(
        start=start,
        end=end,
        basis=len(basis),
        mean=mean,
        mean_moving_range=mr,
        lpl=mean - LIMIT_FACTOR * mr,
        upl=mean + LIMIT_FACTOR * mr,
        near_lpl=mean - NEAR_FACTOR * mr,
        near_upl=mean + NEAR_FACTOR * mr,
    )


def _runs(signs: np.ndarray, length: int) -> np.ndarray:
    """True where `signs` is in a run of at least `length` equal, non-zero entries."""
    flagged = np.full(len(signs), False)
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0 and i - start >= length:
                flagged[start:i] = True
            start = i
    return flagged


def outside_limits(values: np.ndarray, limits: GroupLimits) -> np.ndarray:
    """+1 above the upper limit, -1 below the lower, 0 inside (or without limits)."""
    if limits.upl is None or limits.lpl is None:
        return np.zeros(len(values))
    return np.where(values > limits.upl, 1, np.where(values < limits.lpl, -1, 0))


def trend(values: np.ndarray) -> np.ndarray:
    """Each point's trend direction (+1 rising, -1 falling), 0 for a point in no 7-point trend."""
    steps = np.sign(np.diff(values))
    in_trend = _runs(steps, RUN - 1)  # 7 points make 6 steps
    direction = np.zeros(len(values))
    after = np.where(in_trend, steps, 0)  # the step to the next point, where it is part of a trend
    before = np.concatenate(([0], after))  # the step from the previous point, likewise
    direction[:-1] = after
    return np.where(direction != 0, direction, before[: len(values)])


def near_limits(values: np.ndarray, limits: GroupLimits) -> np.ndarray:
    """+1 in the upper near-limits band, -1 in the lower, 0 elsewhere (the band ends at the limit itself)."""
    if limits.upl is None or limits.lpl is None or limits.near_upl is None or limits.near_lpl is None:
        return np.zeros(len(values))
    high = (values > limits.near_upl) & (values <= limits.upl)
    low = (values < limits.near_lpl) & (values >= limits.lpl)
    return np.where(high, 1, np.where(low, -1, 0))


def two_in_three(values: np.ndarray, limits: GroupLimits) -> np.ndarray:
    """+1/-1 for a point in the band that is one of two (or three) in the band among three consecutive points
    all on its side of the mean; 0 otherwise."""
    band = near_limits(values, limits)
    side = np.sign(values - limits.mean)
    flagged = np.zeros(len(values))
    for i in range(len(values) - 2):
        window = slice(i, i + 3)
        if abs(int(side[window].sum())) == 3 and np.count_nonzero(band[window]) >= 2:
            flagged[window] = band[window]
    return flagged


def shift(values: np.ndarray, mean: float) -> np.ndarray:
    """+1/-1 for a point in a run of 7 or more strictly above/below the mean; 0 otherwise."""
    side = np.sign(values - mean)
    return np.where(_runs(side, RUN), side, 0)


def label_group(values: np.ndarray, limits: GroupLimits) -> list[tuple[Rule | None, int]]:
    """Each point's rule by the precedence (outside, trend, two in three, shift) and its direction (+1/-1/0)."""
    by_precedence = (
        (Rule.OUTSIDE_LIMITS, outside_limits(values, limits)),
        (Rule.TREND, trend(values)),
        (Rule.TWO_IN_THREE, two_in_three(values, limits)),
        (Rule.SHIFT, shift(values, limits.mean)),
    )
    labels: list[tuple[Rule | None, int]] = []
    for i in range(len(values)):
        found = next(((rule, int(flags[i])) for rule, flags in by_precedence if flags[i]), (None, 0))
        labels.append(found)
    return labels


def point_type(direction: Direction, high: int) -> PointType:
    """The type of a point whose special cause lies above (+1) or below (-1) where it should be; 0: none."""
    if high == 0:
        return PointType.COMMON_CAUSE
    if direction is Direction.NEUTRAL:
        return PointType.NEUTRAL_HIGH if high == 1 else PointType.NEUTRAL_LOW
    good = (high == 1) == (direction is Direction.INCREASE)
    return PointType.IMPROVEMENT if good else PointType.CONCERN


def assurance(direction: Direction, target: float | None, limits: GroupLimits | None) -> Assurance | None:
    """Whether the process, as its last group's limits show it, will meet the target."""
    if target is None or direction is Direction.NEUTRAL or limits is None or limits.upl is None:
        return None
    assert limits.lpl is not None
    increase = direction is Direction.INCREASE
    if target > limits.upl:
        return Assurance.CONSISTENT_FAIL if increase else Assurance.CONSISTENT_PASS
    if target < limits.lpl:
        return Assurance.CONSISTENT_PASS if increase else Assurance.CONSISTENT_FAIL
    return Assurance.INCONSISTENT


def read_series(
    periods: Sequence[str],
    values: Sequence[float],
    *,
    rebase: Sequence[bool] | None = None,
    direction: Direction | str = Direction.NEUTRAL,
    target: float | None = None,
    fix_after: int | None = None,
    screen_outliers: bool = False,
) -> SpcResult:
    """The XmR reading of a series, point by point, in the order given. Raises ValueError on values that are
    not finite numbers, on lengths that differ, or on `fix_after` below 2."""
    direction = Direction(direction)
    array = np.asarray(values) + 0.0  # as floats
    if len(periods) != len(array) or (rebase is not None and len(rebase) != len(array)):
        raise ValueError("periods, values and rebase must have one entry per point")
    if not np.isfinite(array).all() or (target is not None and not math.isfinite(target)):
        raise ValueError("every value (and the target) must be a finite number")
    if len(array) and np.abs(array).max() > LARGEST:
        raise ValueError(f"every value must lie between -{LARGEST:g} and {LARGEST:g}")
    if fix_after is not None and fix_after < MIN_POINTS:
        raise ValueError(f"limits can be fixed after {MIN_POINTS} points at the earliest")
    groups, points = [], []
    marks = [False] * len(array) if rebase is None else [bool(mark) for mark in rebase]
    for number, (start, end) in enumerate(group_bounds(marks, len(array))):
        limits = xmr_limits(
            array[start:end], start=start, fix_after=fix_after, screen_outliers=screen_outliers
        )
        groups.append(limits)
        for offset, (rule, high) in enumerate(label_group(array[start:end], limits)):
            i = start + offset
            kind = point_type(direction, high)
            value = float(array[i])
            points.append(Point(periods[i], value, number, limits.mean, limits.lpl, limits.upl, rule, kind))
    return SpcResult(
        direction=direction,
        target=target,
        points=tuple(points),
        groups=tuple(groups),
        variation=points[-1].point_type if points else None,
        assurance=assurance(direction, target, groups[-1] if groups else None),
    )
