"""The checks a measurement passes wherever it comes from (the form, a file, the API), in one place, so each
says the same thing. Each returns {field: message}; empty means the figures are fine."""

from __future__ import annotations

import datetime
import math
import re

from joinedup.outcomes.periods import period_label

LARGEST = 1e12  # figures beyond this are typing mistakes, not measurements
_SCALES = (
    (re.compile(r"%|per ?cent"), 100.0),
    (re.compile(r"per 100,?000"), 100_000.0),
    (re.compile(r"per 10,?000"), 10_000.0),
    (re.compile(r"per 1,?000"), 1_000.0),
)


def scale_of(unit: str) -> float:
    """What numerator ÷ denominator is multiplied by to give a value in `unit` (1 for a plain ratio)."""
    text = unit.lower()
    return next((scale for pattern, scale in _SCALES if pattern.search(text)), 1.0)


def _number_problem(value: float | None) -> str:
    if value is None:
        return ""
    if not math.isfinite(value):
        return "must be a number"
    if abs(value) > LARGEST:
        return f"is too large (at most {LARGEST:,.0f} either way)"
    return ""


def measurement_problems(
    *,
    period: datetime.date,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    unit: str,
    frequency: str,
    today: datetime.date,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if period > today:
        problems["period"] = f"{period_label(period, frequency)} has not started yet"
    if value is None:
        problems["value"] = "Enter the value"
    for name, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        found = _number_problem(number)
        if found:
            problems[name] = f"The {name} {found}"
    if denominator is not None and denominator == 0:
        problems["denominator"] = "The denominator cannot be 0"
    elif denominator is not None and denominator < 0:
        problems["denominator"] = "The denominator cannot be negative"
    if (numerator is None) != (denominator is None):
        missing = "denominator" if denominator is None else "numerator"
        problems.setdefault(missing, f"Give the {missing} too, or neither")
    if problems or value is None or numerator is None or denominator is None:
        return problems
    scale = scale_of(unit)
    expected = numerator / denominator * scale
    if not math.isclose(value, expected, rel_tol=0.005, abs_tol=0.05):
        times = "" if scale == 1 else f" × {scale:,.0f}"
        problems["value"] = (
            f"The value {value:g} does not agree with the numerator and denominator: "
            f"{numerator:g} ÷ {denominator:g}{times} = {expected:.4g} (in {unit}). Correct one of them"
        )
    return problems
