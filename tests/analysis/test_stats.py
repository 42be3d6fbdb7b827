"""The small statistics behind every score page: CIs, Welch's test and rwg(J), at their edges.

Reference values are closed forms (Student's t with 1 and 2 degrees of freedom has an elementary
distribution function), James, Demaree & Wolf's single-item rwg, and scipy on the raw scores.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats as scipy_stats

from joinedup.analysis.stats import mean_ci, null_variance, rwg_j, welch


def summary(values: list[float]) -> tuple[int, float, float]:
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return n, mean, sd


# --- confidence interval of a mean ----------------------------------------------------------------


def test_ci_of_two_answers_uses_one_degree_of_freedom() -> None:
    # Answers 3 and 4: mean 3.5, SD 1/sqrt(2), SE 0.5. With 1 df, t is Cauchy: t(0.975) = tan(0.475 pi).
    half = math.tan(0.475 * math.pi) * 0.5  # 6.353102...
    low, high = mean_ci(*summary([3, 4]))
    assert (low, high) == (pytest.approx(3.5 - half, rel=1e-12), pytest.approx(3.5 + half, rel=1e-12))
    assert (low, high) == pytest.approx(scipy_stats.t.interval(0.95, 1, loc=3.5, scale=0.5), rel=1e-12)


def test_ci_needs_two_answers_and_a_spread() -> None:
    assert mean_ci(1, 4.0, 0.0) == (None, None)
    assert mean_ci(0, None, None) == (None, None)
    assert mean_ci(5, 4.0, None) == (None, None)
    assert mean_ci(5, None, 1.0) == (None, None)
    assert mean_ci(5, 4.0, math.nan) == (None, None)


def test_ci_of_identical_answers_is_the_mean_itself() -> None:
    assert mean_ci(6, 4.0, 0.0) == (4.0, 4.0)


# --- Welch's t-test from summaries ----------------------------------------------------------------


def test_welch_with_two_in_each_group_against_the_closed_form() -> None:
    # [2, 3] against [4, 5]: difference -2, SE sqrt(1/4 + 1/4), t = -2 sqrt(2), df = 2 exactly.
    # With 2 df, P(T < t) = 1/2 + t / (2 sqrt(2 + t^2)), so p = 1 - 2/sqrt(5) = 0.105573.
    test = welch(*summary([2, 3]), *summary([4, 5]))
    assert test is not None
    assert test.difference == -2.0
    assert test.df == pytest.approx(2.0, rel=1e-12)
    assert test.t == pytest.approx(-2 * math.sqrt(2), rel=1e-12)
    assert test.p_value == pytest.approx(1 - 2 / math.sqrt(5), rel=1e-12)
    # 2 df: t(0.975) = 0.95 / sqrt(2 x 0.975 x 0.025) = 4.302653
    half = 0.95 / math.sqrt(2 * 0.975 * 0.025) * math.sqrt(0.5)
    assert test.ci() == (pytest.approx(-2 - half, rel=1e-12), pytest.approx(-2 + half, rel=1e-12))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([2.0, 2.5, 3.0, 2.0, 2.5], [3.5, 4.0, 3.0, 4.5, 4.0]),  # a falls below b
        ([3.5, 4.0, 3.0, 4.5, 4.0], [2.0, 2.5, 3.0, 2.0, 2.5]),  # a rises above b
        ([1.0, 2.0, 3.0, 4.0], [2.5, 2.5, 3.0, 2.0, 2.5, 3.5, 1.5]),  # equal means: p = 1
    ],
)
def test_welch_matches_scipy_whichever_way_the_difference_goes(a: list[float], b: list[float]) -> None:
    test = welch(*summary(a), *summary(b))
    expected = scipy_stats.ttest_ind(a, b, equal_var=False)
    assert test is not None
    assert test.t == pytest.approx(expected.statistic, rel=1e-9, abs=1e-12)
    assert test.df == pytest.approx(expected.df, rel=1e-9)
    assert test.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    ci = expected.confidence_interval(0.95)
    assert test.ci() == (pytest.approx(ci.low, rel=1e-9), pytest.approx(ci.high, rel=1e-9))


def test_a_clear_fall_is_significant() -> None:
    test = welch(*summary([2.0, 2.5, 3.0, 2.0, 2.5]), *summary([3.5, 4.0, 3.0, 4.5, 4.0]))
    assert test is not None and test.p_value < 0.01


def test_welch_is_undefined_with_one_in_a_group_or_no_variation_at_all() -> None:
    assert welch(1, 3.0, 0.0, 5, 4.0, 1.0) is None
    assert welch(5, 3.0, 1.0, 1, 4.0, 0.0) is None
    assert welch(5, 3.0, 0.0, 6, 4.0, 0.0) is None


def test_no_variation_in_one_group_is_still_a_test() -> None:
    # Everyone in a says 4: Welch's test reduces to the one-sample t-test of b against 4 (df = n_b - 1).
    a, b = [4.0, 4.0, 4.0, 4.0], [2.0, 3.0, 3.5, 2.5, 3.0]
    test = welch(*summary(a), *summary(b))
    expected = scipy_stats.ttest_1samp(b, 4.0)
    assert test is not None
    assert test.df == pytest.approx(4.0, rel=1e-12)
    assert test.t == pytest.approx(-expected.statistic, rel=1e-12)
    assert test.p_value == pytest.approx(expected.pvalue, rel=1e-9)


# --- rwg(J) ---------------------------------------------------------------------------------------


def test_null_variance_of_a_five_and_a_seven_point_scale() -> None:
    # (A^2 - 1) / 12: the variance of a discrete uniform over A points.
    assert null_variance(5) == 2.0
    assert null_variance(7) == 4.0


def test_a_one_item_dimension_gets_the_single_item_rwg() -> None:
    # With J = 1, rwg(J) is James, Demaree & Wolf's rwg = 1 - s2/sE: 1 - 0.5/2 = 0.75.
    assert rwg_j(0.5, 1, 5) == pytest.approx(0.75)


def test_rwg_j_for_several_items_and_its_floor() -> None:
    # J = 4, s2/sE = 0.25: 4(0.75) / (4(0.75) + 0.25) = 3 / 3.25
    assert rwg_j(0.5, 4, 5) == pytest.approx(3 / 3.25)
    assert rwg_j(0.0, 4, 5) == 1.0
    assert rwg_j(2.0, 4, 5) == 0.0  # as much disagreement as random answering
    assert rwg_j(8.0, 4, 5) == 0.0  # more than random: set to 0, never negative


def test_rwg_j_cannot_be_computed_without_a_variance_or_items() -> None:
    assert rwg_j(None, 4, 5) is None
    assert rwg_j(math.nan, 4, 5) is None
    assert rwg_j(0.5, 0, 5) is None
