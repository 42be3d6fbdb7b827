"""Periods as people write them, and a series read across definitions and rebases (no queries)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from joinedup.analysis.spc import PointType, read_series
from joinedup.outcomes.periods import last_ended, parse_period, period_label
from joinedup.outcomes.series import read_indicator, what_this_means

D = datetime.date


@pytest.mark.parametrize(
    ("text", "frequency", "start", "label"),
    [
        ("2025-04", "monthly", D(2025, 4, 1), "Apr 2025"),
        ("2025-10-01", "quarterly", D(2025, 10, 1), "Oct to Dec 2025"),
        ("2025/26", "annual", D(2025, 4, 1), "2025/26"),
        ("2025-04", "annual", D(2025, 4, 1), "2025/26"),
    ],
)
def test_periods_read_and_label(text, frequency, start, label):
    assert parse_period(text, frequency) == start
    assert period_label(start, frequency) == label


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("2025-05", "quarterly"),
        ("2025-13", "monthly"),
        ("Q1", "monthly"),
        ("2025-01", "annual"),
        ("2025-04-02", "monthly"),
    ],
)
def test_other_periods_are_refused(text, frequency):
    with pytest.raises(ValueError):
        parse_period(text, frequency)


def test_the_latest_period_that_has_ended():
    today = D(2026, 12, 7)
    assert last_ended(today, "monthly") == D(2026, 11, 1)
    assert last_ended(today, "quarterly") == D(2026, 7, 1)
    assert last_ended(today, "annual") == D(2025, 4, 1)


FIRST = D(2024, 1, 1)


def rows(values, first=FIRST):
    return [
        SimpleNamespace(
            period=D(first.year + (first.month - 1 + 3 * i) // 12, (first.month - 1 + 3 * i) % 12 + 1, 1),
            value=v,
        )
        for i, v in enumerate(values)
    ]


def test_each_definition_is_read_with_its_own_direction_and_the_line_breaks():
    values = [5, 6, 7, 8, 9, 10, 11, 30, 31, 29]
    measurements = rows(values)
    versions = [
        SimpleNamespace(number=1, starts=None, direction="increase", unit="%"),
        SimpleNamespace(number=2, starts=measurements[7].period, direction="decrease", unit="days"),
    ]
    indicator = SimpleNamespace(frequency="quarterly", target_value=20.0)
    read = read_indicator(
        indicator, versions=versions, measurements=list(reversed(measurements)), rebases=[], trajectory=[]
    )
    alone = read_series([str(i) for i in range(7)], values[:7], direction="increase")
    assert [p.point_type for p in read.points[:7]] == [p.point_type for p in alone.points]
    assert read.points[6].point_type is PointType.IMPROVEMENT  # a rising trend, higher is better
    assert [g.points for g in read.groups] == [7, 3]
    assert read.points[7].starts_group == "definition 2 starts"
    assert read.direction == "decrease"
    # the last group: limits around 30, target 20 below them, lower is better: consistently failed
    assert read.assurance.value == "consistent_fail"
    words = " ".join(what_this_means(read, "days", "Waits"))
    assert "The latest figure is 29 days" in words and "provisional" in words


def test_an_empty_series_reads_as_nothing_yet():
    versions = [SimpleNamespace(number=1, starts=None, direction="increase", unit="%")]
    read = read_indicator(
        SimpleNamespace(frequency="monthly", target_value=None),
        versions=versions,
        measurements=[],
        rebases=[],
        trajectory=[],
    )
    assert read.variation is None and read.assurance is None
    assert what_this_means(read, "%", "x") == ["There are no measurements yet, so there is nothing to read."]
