"""A second reading of a series, written from issue 13's text alone, for checking `joinedup.analysis.spc`.

Deliberately another shape: plain lists and loops, every rule checked point by point by looking at each window
of points that could contain the point, nothing from spc.py. Returns, per point, a dict with mean, lpl, upl,
rule and point_type, plus the variation and assurance, as plain strings.

Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

from typing import Any


def _groups(n: int, rebase: list[bool] | None) -> list[list[int]]:
    groups: list[list[int]] = []
    for i in range(n):
        if i == 0 or (rebase is not None and rebase[i]):
            groups.append([])
        groups[-1].append(i)
    return groups


def _chart(ys: list[float], fix_after: int | None, screen: bool) -> dict[str, Any]:
    base = ys if fix_after is None else ys[:fix_after]
    mean = sum(base) / len(base)
    chart: dict[str, Any] = {"mean": mean, "lpl": None, "upl": None, "nlpl": None, "nupl": None}
    if len(base) < 2:
        return chart
    ranges = [abs(base[k] - base[k - 1]) for k in range(1, len(base))]
    mr = sum(ranges) / len(ranges)
    if screen:
        kept = [r for r in ranges if not r >= 3.267 * mr]
        if kept:
            mr = sum(kept) / len(kept)
    chart.update(
        lpl=mean - 2.66 * mr,
        upl=mean + 2.66 * mr,
        nlpl=mean - (2 / 3 * 2.66) * mr,
        nupl=mean + (2 / 3 * 2.66) * mr,
    )
    return chart


def _side(y: float, mean: float) -> int:
    if y > mean:
        return 1
    if y < mean:
        return -1
    return 0


def _monotone(ys: list[float], start: int, stop: int) -> int:
    """+1 if ys[start..stop] rise strictly at every step, -1 if they fall so, else 0."""
    if all(ys[k] > ys[k - 1] for k in range(start + 1, stop + 1)):
        return 1
    if all(ys[k] < ys[k - 1] for k in range(start + 1, stop + 1)):
        return -1
    return 0


def _in_a_trend_with(ys: list[float], a: int, b: int) -> bool:
    """Is there a strictly monotone run of 7 points holding both a and b (a <= b)?"""
    for start in range(b - 6, a + 1):
        if start >= 0 and start + 6 < len(ys) and _monotone(ys, start, start + 6) != 0:
            return True
    return False


def _trend_direction(ys: list[float], j: int) -> int:
    if not _in_a_trend_with(ys, j, j):
        return 0
    if j + 1 < len(ys) and _in_a_trend_with(ys, j, j + 1):
        return 1 if ys[j + 1] > ys[j] else -1
    return 1 if ys[j] > ys[j - 1] else -1


def _in_band(y: float, c: dict[str, Any]) -> int:
    if c["upl"] is None:
        return 0
    if c["nupl"] < y <= c["upl"]:
        return 1
    if c["lpl"] <= y < c["nlpl"]:
        return -1
    return 0


def _two_in_three(ys: list[float], j: int, c: dict[str, Any]) -> int:
    band = _in_band(ys[j], c)
    if band == 0:
        return 0
    for start in range(j - 2, j + 1):
        if start < 0 or start + 2 >= len(ys):
            continue
        window = ys[start : start + 3]
        sides = [_side(y, c["mean"]) for y in window]
        near = [y for y in window if _in_band(y, c) != 0]
        if (sides == [1, 1, 1] or sides == [-1, -1, -1]) and len(near) >= 2:
            return band
    return 0


def _shift(ys: list[float], j: int, mean: float) -> int:
    for start in range(j - 6, j + 1):
        if start < 0 or start + 6 >= len(ys):
            continue
        sides = {_side(y, mean) for y in ys[start : start + 7]}
        if sides == {1} or sides == {-1}:
            return _side(ys[j], mean)
    return 0


def _label(ys: list[float], j: int, c: dict[str, Any]) -> tuple[str | None, int]:
    y = ys[j]
    if c["upl"] is not None and y > c["upl"]:
        return "outside_limits", 1
    if c["lpl"] is not None and y < c["lpl"]:
        return "outside_limits", -1
    found = _trend_direction(ys, j)
    if found:
        return "trend", found
    found = _two_in_three(ys, j, c)
    if found:
        return "two_in_three", found
    found = _shift(ys, j, c["mean"])
    if found:
        return "shift", found
    return None, 0


def _type(direction: str, way: int) -> str:
    if way == 0:
        return "common_cause"
    if direction == "neutral":
        return "special_cause_neutral_high" if way == 1 else "special_cause_neutral_low"
    if (way == 1 and direction == "increase") or (way == -1 and direction == "decrease"):
        return "special_cause_improvement"
    return "special_cause_concern"


def _assurance(direction: str, target: float | None, c: dict[str, Any] | None) -> str | None:
    if target is None or direction == "neutral" or c is None or c["upl"] is None:
        return None
    if target > c["upl"]:
        return "consistent_fail" if direction == "increase" else "consistent_pass"
    if target < c["lpl"]:
        return "consistent_pass" if direction == "increase" else "consistent_fail"
    return "inconsistent"


def reference(
    values: list[float],
    *,
    rebase: list[bool] | None = None,
    direction: str = "neutral",
    target: float | None = None,
    fix_after: int | None = None,
    screen_outliers: bool = False,
) -> dict[str, Any]:
    points: list[dict[str, Any]] = []
    chart = None
    for group in _groups(len(values), rebase):
        ys = [values[i] for i in group]
        chart = _chart(ys, fix_after, screen_outliers)
        for j in range(len(ys)):
            rule, way = _label(ys, j, chart)
            points.append(
                {
                    "mean": chart["mean"],
                    "lpl": chart["lpl"],
                    "upl": chart["upl"],
                    "rule": rule,
                    "point_type": _type(direction, way),
                }
            )
    return {
        "points": points,
        "variation": points[-1]["point_type"] if points else None,
        "assurance": _assurance(direction, target, chart),
    }
