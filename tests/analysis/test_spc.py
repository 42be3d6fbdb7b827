"""analysis/spc.py: each rule and each tie case on hand-built series, against the expected labels written out
here AND against a reference written separately from the issue text (spc_reference.py); published values from
the NHS-R community's NHSRplotthedots package; and a property test comparing the two readings on random series.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.analysis.spc import (
    Assurance,
    Direction,
    GroupLimits,
    PointType,
    Rule,
    SpcResult,
    assurance,
    point_type,
    read_series,
)
from tests.analysis.spc_reference import reference

# A baseline whose limits the tests know: with fix_after=4, mean 2 and mean moving range 4, so the limits are
# 2 ± 10.64 (-8.64 and 12.64) and the near-limits band starts at 2 ± (2/3 × 2.66) × 4 (about -5.09 and 9.09).
# It swings across the mean, so it starts no run of its own.
BASE = [0, 4, 0, 4]
UPL = 2 + 2.66 * 4
NEAR_UPL = 2 + (2 / 3 * 2.66) * 4

GOOD, BAD = "special_cause_improvement", "special_cause_concern"
COMMON = "common_cause"


def run(values: list[float], **options: object) -> SpcResult:
    """The reading of `values`, after checking that the separate reference reads every point the same way."""
    periods = [f"p{i}" for i in range(len(values))]
    result = read_series(periods, values, **options)  # type: ignore[arg-type]
    expected = reference(values, **options)  # type: ignore[arg-type]
    for point, other in zip(result.points, expected["points"], strict=True):
        assert (point.rule, point.point_type) == (other["rule"], other["point_type"])
        for key in ("mean", "lpl", "upl"):  # the same figures, summed in another order
            assert getattr(point, key) == (
                None if other[key] is None else pytest.approx(other[key], rel=1e-12)
            )
    assert (result.variation, result.assurance) == (expected["variation"], expected["assurance"])
    return result


def rules(result: SpcResult, skip: int = 0) -> list[str | None]:
    return [p.rule for p in result.points[skip:]]


def types(result: SpcResult, skip: int = 0) -> list[str]:
    return [p.point_type for p in result.points[skip:]]


# --- limits ---------------------------------------------------------------------------------------------


def test_limits_are_the_mean_plus_and_minus_2_66_mean_moving_ranges() -> None:
    result = run([10, 12, 11, 15, 13])  # moving ranges 2, 1, 4, 2: mean 2.25; mean 12.2
    group = result.groups[0]
    assert group.mean == pytest.approx(12.2)
    assert group.mean_moving_range == pytest.approx(2.25)
    assert (group.lpl, group.upl) == pytest.approx((12.2 - 2.66 * 2.25, 12.2 + 2.66 * 2.25))
    assert (group.near_lpl, group.near_upl) == pytest.approx((12.2 - 1.77333 * 2.25, 12.2 + 1.77333 * 2.25))
    assert all(p.mean == group.mean and (p.lpl, p.upl) == (group.lpl, group.upl) for p in result.points)


def test_fix_after_takes_the_limits_from_the_first_n_points_and_holds_them() -> None:
    result = run([*BASE, 50, 60, 70], fix_after=4)
    group = result.groups[0]
    assert (group.mean, group.mean_moving_range, group.basis) == (2, 4, 4)
    assert (group.lpl, group.upl) == pytest.approx((-8.64, 12.64))
    assert rules(result, 4) == ["outside_limits"] * 3
    assert types(run([*BASE, 50, 60, 70], fix_after=4, direction="decrease"), 4) == [BAD] * 3
    longer = run([1, 2, 3], fix_after=10)  # fewer points than N: all of them
    assert longer.groups[0].basis == 3 and longer.groups[0].mean == 2


def test_screening_drops_moving_ranges_of_at_least_3_267_times_their_mean() -> None:
    # Moving ranges 363, then seven of 80, then 77: their mean is 1000/9 and 3.267 × 1000/9 is exactly 363.
    values = [0, 363, 283, 363, 283, 363, 283, 363, 283, 206]
    plain, screened = run(values), run(values, screen_outliers=True)
    assert plain.groups[0].mean_moving_range == pytest.approx(1000 / 9)
    assert screened.groups[0].mean_moving_range == pytest.approx(637 / 8)  # the 363 is left out
    assert screened.groups[0].mean == plain.groups[0].mean  # the mean of the values is untouched
    just_below = [0, 362, 282, 362, 282, 362, 282, 362, 282, 205]  # 362 < 3.267 × 999/9 = 362.6...
    assert run(just_below, screen_outliers=True).groups[0].mean_moving_range == pytest.approx(999 / 9)


def test_screening_a_series_without_variation_drops_nothing() -> None:
    result = run([5, 5, 5, 5, 6], fix_after=4, screen_outliers=True)
    assert result.groups[0].mean_moving_range == 0
    assert (result.groups[0].lpl, result.groups[0].upl) == (5, 5)
    assert rules(result) == [None] * 4 + ["outside_limits"]  # on the limits is not outside; 6 is


def test_provisional_under_12_points_and_no_limits_under_2() -> None:
    assert run(list(range(11)) * 1).groups[0].provisional
    assert not run([1, 3] * 6).groups[0].provisional
    assert run([1, 3] * 10, fix_after=6).groups[0].provisional  # limits from 6 points
    single = run([1, 3, 2, 5], rebase=[False, False, False, True])
    assert [g.basis for g in single.groups] == [3, 1]
    last = single.groups[1]
    assert (last.has_limits, last.provisional, last.lpl, last.upl, last.mean) == (False, False, None, None, 5)
    assert single.points[-1].point_type == COMMON


# --- outside the limits -------------------------------------------------------------------------------------


def test_a_point_beyond_a_limit_is_outside_and_one_on_it_is_not() -> None:
    result = run([*BASE, 13, -9, UPL, 3], fix_after=4, direction="increase")
    assert rules(result, 4)[:2] == ["outside_limits", "outside_limits"]
    assert types(result, 4)[:2] == [GOOD, BAD]
    assert result.points[6].rule != "outside_limits"


# --- trend ----------------------------------------------------------------------------------------------


def test_seven_rising_points_are_a_trend_and_all_seven_are_flagged() -> None:
    result = run([*BASE, -3, -2, -1, 0, 1, 2, 3, 0], fix_after=4, direction="increase")
    assert rules(result, 4) == ["trend"] * 7 + [None]
    assert types(result, 4) == [GOOD] * 7 + [COMMON]
    falling = run([*BASE, 3, 2, 1, 0, -1, -2, -3, 4], fix_after=4, direction="increase")
    assert types(falling, 4) == [BAD] * 7 + [COMMON]


def test_six_rising_points_are_not_a_trend() -> None:
    assert rules(run([*BASE, -2, -1, 0, 1, 2, 3, 0], fix_after=4), 4) == [None] * 7


def test_a_tie_breaks_a_trend() -> None:
    assert rules(run([*BASE, -3, -2, -1, -1, 0, 1, 2, 3], fix_after=4), 4) == [None] * 8


def test_the_turning_point_of_a_rise_and_a_fall_goes_with_the_fall() -> None:
    values = [*BASE, -3, -2, -1, 0, 1, 2, 3, 2, 1, 0, -1, -2, -3]
    result = run(values, fix_after=4, direction="increase")
    assert rules(result, 4) == ["trend"] * 13
    assert types(result, 4) == [GOOD] * 6 + [BAD] * 7


def test_a_tie_between_a_rise_and_a_fall_splits_them() -> None:
    values = [*BASE, -3, -2, -1, 0, 1, 2, 3, 3, 2, 1, 0, -1, -2, -3]
    result = run(values, fix_after=4, direction="neutral")
    assert rules(result, 4) == ["trend"] * 14
    assert types(result, 4) == ["special_cause_neutral_high"] * 7 + ["special_cause_neutral_low"] * 7


def test_outside_the_limits_outranks_a_trend() -> None:
    result = run([*BASE, -3, -2, -1, 0, 1, 2, 13], fix_after=4, direction="decrease")
    assert rules(result, 4) == ["trend"] * 6 + ["outside_limits"]
    assert types(result, 4) == [BAD] * 7


def test_a_trend_outranks_a_shift_which_carries_on_after_it() -> None:
    result = run([*BASE, 3, 4, 5, 6, 7, 8, 9, 3], fix_after=4, direction="increase")
    assert rules(result, 4) == ["trend"] * 7 + ["shift"]
    assert types(result, 4) == [GOOD] * 8


# --- two of three near the limits ---------------------------------------------------------------------


def test_two_of_three_near_a_limit_on_one_side_flags_only_the_two() -> None:
    result = run([*BASE, 10, 3, 10, 1], fix_after=4, direction="increase")
    assert rules(result, 4) == ["two_in_three", None, "two_in_three", None]
    assert types(result, 4) == [GOOD, COMMON, GOOD, COMMON]
    at_the_end = run([*BASE, 1, 10, 3, 10], fix_after=4)
    assert rules(at_the_end, 4) == [None, "two_in_three", None, "two_in_three"]
    low = run([*BASE, -6, 0, -6, 3], fix_after=4, direction="increase")
    assert types(low, 4) == [BAD, COMMON, BAD, COMMON]


def test_two_near_the_limits_with_one_across_the_mean_are_not_flagged() -> None:
    assert rules(run([*BASE, 10, 1, 10], fix_after=4), 4) == [None] * 3


def test_a_point_on_the_mean_means_the_three_are_not_on_one_side() -> None:
    assert rules(run([*BASE, 10, 2, 10], fix_after=4), 4) == [None] * 3


def test_a_point_outside_the_limits_is_not_near_them() -> None:
    assert rules(run([*BASE, 13, 10, 3], fix_after=4), 4) == ["outside_limits", None, None]


def test_the_band_starts_beyond_two_thirds_and_ends_at_the_limit() -> None:
    assert rules(run([*BASE, NEAR_UPL, 10, 3], fix_after=4), 4) == [None] * 3
    near_lpl, lpl = 2 - (2 / 3 * 2.66) * 4, 2 - 2.66 * 4
    assert rules(run([*BASE, near_lpl, -6, 1], fix_after=4), 4) == [None] * 3
    assert rules(run([*BASE, lpl, -6, 1], fix_after=4), 4) == ["two_in_three", "two_in_three", None]
    assert rules(run([*BASE, UPL, 10, 3], fix_after=4), 4) == ["two_in_three", "two_in_three", None]


def test_two_in_three_outranks_a_shift() -> None:
    result = run([*BASE, 3, 10, 3, 10, 3, 3, 3], fix_after=4)
    assert rules(result, 4) == ["shift", "two_in_three", "shift", "two_in_three", "shift", "shift", "shift"]


def test_near_limit_points_published_as_opposite_sides_are_common_cause() -> None:
    # NHSRplotthedots' test: alternating 1, -1 with two big swings either side of the mean at the end.
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    assert types(run(values, screen_outliers=True, direction="increase"))[-2:] == [COMMON, COMMON]


# --- shift ----------------------------------------------------------------------------------------------


def test_seven_points_on_one_side_of_the_mean_are_a_shift() -> None:
    result = run([*BASE, 3, 3, 3, 3, 3, 3, 3, 1], fix_after=4, direction="decrease")
    assert rules(result, 4) == ["shift"] * 7 + [None]
    assert types(result, 4) == [BAD] * 7 + [COMMON]
    assert types(run([*BASE, *[1] * 7], fix_after=4, direction="decrease"), 4) == [GOOD] * 7


def test_six_points_on_one_side_are_not_a_shift() -> None:
    assert rules(run([*BASE, 1, 3, 3, 3, 3, 3, 3, 1], fix_after=4), 4) == [None] * 8


def test_a_point_on_the_mean_breaks_a_shift() -> None:
    assert rules(run([*BASE, 3, 3, 3, 2, 3, 3, 3, 3], fix_after=4), 4) == [None] * 8


# --- groups ---------------------------------------------------------------------------------------------


def test_no_rule_looks_across_a_rebase() -> None:
    values = [1, 2, 3, 4, 5, 6, 7]
    together = run(values)
    # mean 4, limits 1.34 and 6.66
    assert rules(together) == ["outside_limits"] + ["trend"] * 5 + ["outside_limits"]
    apart = run(values, rebase=[False] * 4 + [True, False, False])
    assert rules(apart) == [None] * 7
    assert [(g.start, g.end) for g in apart.groups] == [(0, 4), (4, 7)]
    assert [p.group for p in apart.points] == [0] * 4 + [1] * 3
    shifted = [0, 4, 0, 4, 3, 3, 3, 3, 3, 3, 3]
    assert rules(run(shifted))[4:] == ["shift"] * 7
    assert rules(run(shifted, rebase=[False] * 7 + [True] + [False] * 3)) == [None] * 11


def test_a_rebase_on_the_first_point_changes_nothing() -> None:
    assert run([1, 5, 2], rebase=[True, False, False]).groups == run([1, 5, 2]).groups


# --- point types, variation, assurance ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "high", "low"),
    [
        ("increase", GOOD, BAD),
        ("decrease", BAD, GOOD),
        ("neutral", "special_cause_neutral_high", "special_cause_neutral_low"),
    ],
)
def test_point_types_follow_the_improvement_direction(direction: str, high: str, low: str) -> None:
    assert point_type(Direction(direction), 1) == high
    assert point_type(Direction(direction), -1) == low
    assert point_type(Direction(direction), 0) == PointType.COMMON_CAUSE


def test_the_variation_is_the_last_points_type() -> None:
    assert run([*BASE, 13], fix_after=4, direction="increase").variation == GOOD
    assert run([*BASE, 13, 3], fix_after=4, direction="increase").variation == COMMON
    assert read_series([], []).variation is None


def group(lpl: float, upl: float) -> GroupLimits:
    return GroupLimits(0, 12, 12, (lpl + upl) / 2, (upl - lpl) / 5.32, lpl, upl, lpl, upl)


@pytest.mark.parametrize(
    ("limits", "increase", "decrease"),
    [  # NHSRplotthedots' assurance cases: target 4 against three sets of limits
        ((1, 3), "consistent_fail", "consistent_pass"),
        ((5, 7), "consistent_pass", "consistent_fail"),
        ((1, 5), "inconsistent", "inconsistent"),
        ((1, 4), "inconsistent", "inconsistent"),  # on a limit is not beyond it
        ((4, 6), "inconsistent", "inconsistent"),
    ],
)
def test_assurance_against_a_target(limits: tuple[float, float], increase: str, decrease: str) -> None:
    assert assurance(Direction.INCREASE, 4, group(*limits)) == increase
    assert assurance(Direction.DECREASE, 4, group(*limits)) == decrease
    assert assurance(Direction.NEUTRAL, 4, group(*limits)) is None
    assert assurance(Direction.INCREASE, None, group(*limits)) is None


def test_assurance_uses_the_last_groups_limits() -> None:
    values = [100, 104, 100, 104, 1, 3, 1, 3]
    rebase = [False] * 4 + [True, False, False, False]
    assert run(values, rebase=rebase, direction="increase", target=50).assurance == Assurance.CONSISTENT_FAIL
    assert run(values[:4], direction="increase", target=50).assurance == Assurance.CONSISTENT_PASS
    assert run(values, direction="increase", target=50).assurance == Assurance.INCONSISTENT
    no_limits = run([1, 3, 1, 9], rebase=[False, False, False, True], direction="increase", target=2)
    assert no_limits.assurance is None


FINITE = r"^every value \(and the target\) must be a finite number$"


@pytest.mark.parametrize(
    ("values", "options", "message"),
    [
        ([1, float("nan")], {}, FINITE),
        ([1, float("inf")], {}, FINITE),
        ([1, 2], {"target": float("nan")}, FINITE),
        ([1, 2], {"fix_after": 1}, r"^limits can be fixed after 2 points at the earliest$"),
        ([1, 2], {"rebase": [False]}, r"^periods, values and rebase must have one entry per point$"),
        ([1, -1e151], {}, r"^every value must lie between -1e\+150 and 1e\+150$"),
    ],
    ids=["nan", "inf", "nan-target", "fix-after-1", "short-rebase", "too-large"],
)
def test_bad_input_is_refused(values: list[float], options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_series([f"p{i}" for i in range(len(values))], values, **options)  # type: ignore[arg-type]


def test_the_largest_values_allowed_give_finite_limits() -> None:
    result = read_series(["a", "b", "c"], [1e150, -1e150, 1e150])
    assert result.groups[0].upl == pytest.approx(1e150 / 3 + 2.66 * 2e150)


def test_periods_values_and_rules_come_back_in_order() -> None:
    result = read_series(["Q1", "Q2", "Q3"], [1, 2, 4], direction="increase")
    assert [(p.period, p.value) for p in result.points] == [("Q1", 1.0), ("Q2", 2.0), ("Q3", 4.0)]
    assert result.direction is Direction.INCREASE
    assert isinstance(result.points[0].point_type, PointType)
    assert all(p.rule is None or isinstance(p.rule, Rule) for p in result.points)


# --- published values (NHSRplotthedots: tests and the "Deviations from Excel defaults" vignette) ------------

# R's rnorm(20) after set.seed(123), the series of NHSRplotthedots' own tests.
RNORM = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_the_published_limits_of_a_random_normal_series() -> None:
    result = run(RNORM, screen_outliers=True, direction="increase")
    g = result.groups[0]
    assert (g.mean, g.lpl, g.upl) == pytest.approx((0.1416238, -3.01138, 3.294627), abs=5e-7)
    assert types(result) == [COMMON] * 20
    outlier = [*RNORM[:14], 10.0, *RNORM[15:]]
    screened, plain = run(outlier, screen_outliers=True).groups[0], run(outlier).groups[0]
    assert (screened.mean, screened.lpl, screened.upl) == pytest.approx(
        (0.6694159, -2.383666, 3.722497), abs=5e-7
    )
    assert (plain.mean, plain.lpl, plain.upl) == pytest.approx((0.6694159, -4.596625, 5.935457), abs=5e-7)


def test_the_published_limits_of_two_groups() -> None:
    # Published for two facets of ten points; a rebase at the eleventh point makes the same two groups.
    result = run(RNORM, rebase=[i == 10 for i in range(20)], screen_outliers=True)
    first, second = result.groups
    assert (first.mean, first.lpl, first.upl) == pytest.approx((0.0746, -2.60, 2.75), abs=5e-3)
    assert (second.mean, second.lpl, second.upl) == pytest.approx((0.209, -3.28, 3.70), abs=5e-3)
    assert first.provisional and second.provisional


def test_the_published_outlier_example_with_and_without_screening() -> None:
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    for screen, (upl, lpl) in ((True, (4.6, -0.72)), (False, (6.95, -3.06))):
        result = run(values, screen_outliers=screen, direction="increase")
        g = result.groups[0]
        assert (round(g.upl, 2), round(g.mean, 2), round(g.lpl, 2)) == (upl, 1.94, lpl)
        assert types(result) == [COMMON] * 4 + [GOOD] + [COMMON] * 13


# --- the two readings agree on random series ---------------------------------------------------------------

quarters = st.integers(-40, 40).map(lambda k: k / 4)  # sums of quarters are exact, so no rounding differs
walk = st.lists(st.integers(-2, 3), min_size=0, max_size=40).map(
    lambda steps: [float(sum(steps[: i + 1])) for i in range(len(steps))]
)


@st.composite
def series(draw: st.DrawFn) -> tuple[list[float], dict[str, object]]:
    values = draw(st.one_of(st.lists(quarters, max_size=40), walk))
    options: dict[str, object] = {
        "rebase": draw(st.lists(st.booleans().map(lambda b: b and draw(st.integers(0, 5)) == 0),
                                min_size=len(values), max_size=len(values))),
        "direction": draw(st.sampled_from(["increase", "decrease", "neutral"])),
        "target": draw(st.one_of(st.none(), quarters, st.sampled_from(values) if values else st.none())),
        "fix_after": draw(st.one_of(st.none(), st.integers(2, 15))),
        "screen_outliers": draw(st.booleans()),
    }  # fmt: skip
    return values, options


@settings(max_examples=400, deadline=None)
@given(series())
def test_the_reading_agrees_with_the_reference(case: tuple[list[float], dict[str, object]]) -> None:
    values, options = case
    run(values, **options)
