"""Where a reader sees "to discuss" and a change between waves: the thresholds and edges, against scipy.

A perception gap is "to discuss" when the difference is at least 0.75 scale points and Welch's p < 0.05
(DESIGN.md; scoring's docstring). Every p-value here is checked against scipy first, so the thresholds are
tested on independently computed figures.
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from scipy import stats

from joinedup.analysis.instruments import parse_instrument
from joinedup.analysis.scoring import DimensionResult, GroupResult, perception_gaps, score, wave_change

ONE_ITEM = parse_instrument(
    """
key: one-item
title: One item per dimension
version: 1
scale: {min: 1, max: 5, labels: [a, b, c, d, e]}
bands: [{min: 1, label: any}]
dimensions:
  - {key: trust, title: Trust, items: [{key: trust_1, text: x}]}
"""
)


def group(name: str, n: int, mean: float, sd: float) -> GroupResult:
    cell = DimensionResult(key="trust", n=n, mean=mean, sd=sd)
    return GroupResult(group=name, n=n, suppressed=False, dimensions=[cell])


def gap_between(a: tuple[int, float, float], b: tuple[int, float, float]):  # type: ignore[no-untyped-def]
    """The gap between group A (n, mean, sd) and group B, and scipy's Welch p-value for it."""
    (gap,) = perception_gaps([group("A", *a), group("B", *b)], "org")
    p = stats.ttest_ind_from_stats(a[1], a[2], a[0], b[1], b[2], b[0], equal_var=False).pvalue
    return gap, p


# --- "to discuss" thresholds -----------------------------------------------------------------------


def test_a_gap_of_exactly_three_quarters_of_a_point_is_to_discuss() -> None:
    gap, p = gap_between((40, 3.75, 0.5), (40, 3.0, 0.5))
    assert gap.difference == 0.75 and p < 1e-6
    assert gap.p_value == pytest.approx(p, rel=1e-9)
    assert (gap.high, gap.low, gap.to_discuss) == ("A", "B", True)


def test_a_gap_just_under_three_quarters_of_a_point_is_not() -> None:
    gap, p = gap_between((40, 3.74, 0.5), (40, 3.0, 0.5))
    assert p < 1e-6
    assert gap.to_discuss is False


def test_a_large_gap_that_could_be_chance_is_not_to_discuss() -> None:
    # Three people each side, answers all over the scale: 1.5 points apart, but p = 0.27.
    gap, p = gap_between((3, 3.5, 1.5), (3, 2.0, 1.5))
    assert gap.difference == 1.5 and 0.05 < p < 0.5
    assert gap.p_value == pytest.approx(p, rel=1e-9)
    assert gap.to_discuss is False


@pytest.mark.parametrize(("target", "flagged"), [(0.049, True), (0.051, False)])
def test_the_p_value_threshold_is_five_percent(target: float, flagged: bool) -> None:
    # n = 10 and SD 1 each side: Welch's df is 2(n - 1) = 18; choose the difference giving p = target.
    difference = stats.t.ppf(1 - target / 2, 18) * math.sqrt(2 / 10)
    gap, p = gap_between((10, 3.0 + difference, 1.0), (10, 3.0, 1.0))
    assert p == pytest.approx(target, rel=1e-9) and gap.difference >= 0.75
    assert gap.to_discuss is flagged


def test_a_p_value_of_exactly_five_percent_is_not_below_it() -> None:
    # A mean found by search so that scipy's Welch p-value is 0.05 to the last bit.
    gap, p = gap_between((6, 4.029133252788911, 0.8), (6, 3.0, 0.8))
    assert p == 0.05, "the reference value moved: find another mean with p exactly 0.05"
    assert gap.p_value == 0.05 and gap.difference > 1
    assert gap.to_discuss is False


def test_the_gap_is_between_the_highest_and_lowest_shown_groups() -> None:
    groups = [group("mid", 10, 3.5, 0.5), group("low", 10, 2.0, 0.5), group("high", 10, 4.5, 0.5)]
    (gap,) = perception_gaps(groups, "org")
    assert (gap.high, gap.low, gap.difference, gap.to_discuss) == ("high", "low", 2.5, True)
    hidden = GroupResult(group="hidden", n=None, suppressed=True)
    assert perception_gaps([groups[0], hidden], "org") == []

    # A group in which nobody answered (n = 0, no mean) is not one of the groups compared.
    nobody = GroupResult(
        group="nobody", n=6, suppressed=False, dimensions=[DimensionResult(key="trust", n=0)]
    )
    (gap,) = perception_gaps([groups[0], nobody, groups[1]], "org")
    assert (gap.high, gap.low, gap.difference) == ("mid", "low", 1.5)


def test_each_dimension_gets_its_gap_even_after_one_with_a_single_group_shown() -> None:
    def two(name: str, purpose: float | None, trust: float) -> GroupResult:
        cells = [DimensionResult(key="purpose", n=8 if purpose else None, mean=purpose, sd=0.5)]
        return GroupResult(name, 8, False, [*cells, DimensionResult(key="trust", n=8, mean=trust, sd=0.5)])

    (gap,) = perception_gaps([two("A", 3.0, 2.0), two("B", None, 4.0)], "org")
    expected = stats.ttest_ind_from_stats(4.0, 0.5, 8, 2.0, 0.5, 8, equal_var=False).pvalue
    assert (gap.dimension, gap.high, gap.low, gap.difference) == ("trust", "B", "A", 2.0)
    assert gap.p_value == pytest.approx(expected, rel=1e-9)


def test_a_mean_of_zero_on_a_scale_from_zero_is_the_lowest() -> None:
    # On a 0-4 scale a group can average 0: it is the low side of the gap, as any other mean would be.
    groups = [group("zero", 10, 0.0, 0.5), group("half", 10, 0.5, 0.5), group("one", 10, 1.0, 0.5)]
    (gap,) = perception_gaps(groups, "org")
    assert (gap.high, gap.low, gap.difference) == ("one", "zero", 1.0)
    groups = [group("zero", 10, 0.0, 0.5), group("tenth", 10, 0.1, 0.5)]
    (gap,) = perception_gaps(groups, "org")
    assert (gap.high, gap.low) == ("tenth", "zero") and gap.difference == pytest.approx(0.1)


# --- a group that agrees completely ----------------------------------------------------------------


def frame(org: list[str], answers: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"org": org, "trust_1": answers}, schema_overrides={"trust_1": pl.Int8})


def test_a_group_that_all_gave_the_same_answer_has_no_spread() -> None:
    # Everyone at A answers 4; B varies. A's SD is 0 (not made up), and the gap's p-value is Welch's
    # with one variance 0, which is the one-sample t-test of B's answers against 4.
    b = [2, 3, 3, 2, 4, 2]
    df = frame(["A"] * 6 + ["B"] * 6, [4] * 6 + b)
    report = score(df, ONE_ITEM, by=["org"])
    a_cell = report.groups["org"][0].dimensions[0]
    assert (a_cell.mean, a_cell.sd, a_cell.ci_low, a_cell.ci_high, a_cell.rwg) == (4.0, 0.0, 4.0, 4.0, 1.0)
    (gap,) = report.gaps
    assert gap.p_value == pytest.approx(stats.ttest_1samp(b, 4.0).pvalue, rel=1e-9)
    assert gap.difference == pytest.approx(4 - 16 / 6) and gap.to_discuss is True


def test_a_one_item_dimension_scores_with_the_single_item_rwg() -> None:
    # Answers 3, 4, 3, 4: sample variance 1/3; rwg = 1 - (1/3)/2 = 5/6 (James, Demaree & Wolf 1984).
    report = score(frame(["A"] * 4, [3, 4, 3, 4]), ONE_ITEM)
    (trust,) = report.dimensions
    assert (trust.n, trust.mean) == (4, 3.5)
    assert trust.rwg == pytest.approx(5 / 6)


# --- the default minimum group size is 5 -----------------------------------------------------------


def test_by_default_a_group_of_five_is_shown_and_a_group_of_four_is_not() -> None:
    shown = score(frame(["A"] * 5 + ["B"] * 5, [3] * 10), ONE_ITEM, by=["org"]).groups["org"]
    assert [(g.group, g.n, g.suppressed) for g in shown] == [("A", 5, False), ("B", 5, False)]
    hidden = score(frame(["A"] * 4 + ["B"] * 9 + ["C"] * 9, [3] * 22), ONE_ITEM, by=["org"]).groups["org"]
    assert (hidden[0].group, hidden[0].suppressed) == ("A", True)
    assert hidden[0].n is None and hidden[0].dimensions == []


# --- change between waves --------------------------------------------------------------------------


def summary(key: str, values: list[float]) -> DimensionResult:
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return DimensionResult(key=key, n=n, mean=mean, sd=sd)


def test_a_falling_score_is_a_significant_fall() -> None:
    before = [3.5, 4.0, 3.0, 4.5, 4.0, 3.75]
    after = [2.0, 2.5, 3.0, 2.0, 2.5]
    (change,) = wave_change([summary("trust", before)], [summary("trust", after)])
    expected = stats.ttest_ind(after, before, equal_var=False)
    ci = expected.confidence_interval(0.95)
    assert change.difference == pytest.approx(sum(after) / 5 - sum(before) / 6)
    assert change.difference < 0 and change.ci_high < 0
    assert (change.ci_low, change.ci_high) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert change.p_value == pytest.approx(expected.pvalue, rel=1e-9) and change.p_value < 0.01


def test_change_between_two_waves_of_two_respondents() -> None:
    # Before [4, 5], after [2, 3]: a fall of 2 with df = 2, so p = 1 - 2/sqrt(5) and the CI's half-width
    # is t(0.975; 2) x SE = 0.95 / sqrt(2 x 0.975 x 0.025) x sqrt(1/2).
    (change,) = wave_change([summary("trust", [4, 5])], [summary("trust", [2, 3])])
    half = 0.95 / math.sqrt(2 * 0.975 * 0.025) * math.sqrt(0.5)
    assert (change.before, change.after, change.difference) == (4.5, 2.5, -2.0)
    assert change.p_value == pytest.approx(1 - 2 / math.sqrt(5), rel=1e-12)
    assert (change.ci_low, change.ci_high) == (pytest.approx(-2 - half), pytest.approx(-2 + half))


def test_change_is_only_for_dimensions_in_both_waves() -> None:
    before = [summary("trust", [3, 4, 5]), summary("purpose", [2, 3, 4])]
    after = [summary("power", [1, 2, 2]), summary("trust", [4, 5, 5]), summary("new", [3, 3, 4])]
    assert [c.dimension for c in wave_change(before, after)] == ["trust"]


def test_change_from_a_wave_with_one_respondent_has_no_interval() -> None:
    one = DimensionResult(key="trust", n=1, mean=4.0, sd=None)
    (change,) = wave_change([one], [summary("trust", [2, 3, 3])])
    assert change.difference == pytest.approx(8 / 3 - 4)
    assert (change.ci_low, change.ci_high, change.p_value) == (None, None, None)


def test_two_groups_each_of_one_mind_but_apart_are_to_discuss() -> None:
    # Everyone at A says 5, everyone at B says 1: the starkest gap there is. Welch's t is infinite and
    # scipy's p-value 0, so it is flagged, not left without a p-value.
    report = score(frame(["A"] * 6 + ["B"] * 6, [5] * 6 + [1] * 6), ONE_ITEM, by=["org"])
    (gap,) = report.gaps
    expected = stats.ttest_ind_from_stats(5.0, 0.0, 6, 1.0, 0.0, 6, equal_var=False).pvalue
    assert gap.p_value == expected == 0.0
    assert (gap.difference, gap.to_discuss) == (4.0, True)
    # The same answer everywhere is no gap: no p-value, nothing to discuss.
    (same,) = score(frame(["A"] * 6 + ["B"] * 6, [3] * 12), ONE_ITEM, by=["org"]).gaps
    assert (same.difference, same.p_value, same.to_discuss) == (0.0, None, False)


def test_groups_of_one_mind_a_single_point_apart_are_certain_too() -> None:
    # A all say 4, B all say 3: a gap of exactly one point, with scipy's p = 0 (t is infinite).
    report = score(frame(["A"] * 6 + ["B"] * 6, [4] * 6 + [3] * 6), ONE_ITEM, by=["org"])
    (gap,) = report.gaps
    expected = stats.ttest_ind_from_stats(4.0, 0.0, 6, 3.0, 0.0, 6, equal_var=False).pvalue
    assert gap.p_value == expected == 0.0
    assert (gap.dimension, gap.by, gap.high, gap.low, gap.difference, gap.to_discuss) == (
        "trust", "org", "A", "B", 1.0, True,
    )  # fmt: skip


def test_two_respondents_have_an_sd_and_a_confidence_interval() -> None:
    # Answers 3 and 5: mean 4, SD sqrt(2), and the 95% CI is 4 -/+ t(0.975; 1) x sqrt(2) / sqrt(2).
    (trust,) = score(frame(["A", "A"], [3, 5]), ONE_ITEM).dimensions
    half = stats.t.ppf(0.975, 1)
    assert (trust.n, trust.mean) == (2, 4.0)
    assert trust.sd == pytest.approx(math.sqrt(2))
    assert (trust.ci_low, trust.ci_high) == (pytest.approx(4 - half), pytest.approx(4 + half))


def test_every_breakdown_has_its_gaps() -> None:
    # By org, A (all 5) and B (all 1) are 4 points apart; by sector, the same people split evenly
    # across health and care, whose means are both 3: a gap of 0, with scipy's p = 1 (t = 0).
    df = frame(["A"] * 6 + ["B"] * 6, [5] * 6 + [1] * 6).with_columns(
        pl.Series("sector", ["health", "care"] * 6)
    )
    gaps = score(df, ONE_ITEM, by=["org", "sector"]).gaps
    half = [5, 1, 5, 1, 5, 1]
    assert stats.ttest_ind(half, half, equal_var=False).pvalue == 1.0
    assert [(g.by, g.difference, g.p_value, g.to_discuss) for g in gaps] == [
        ("org", 4.0, 0.0, True),
        ("sector", 0.0, 1.0, False),
    ]
