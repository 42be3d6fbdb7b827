"""Scoring against an independent computation written here with numpy/scipy, plus hand-worked values."""

from __future__ import annotations

import json
import math

import numpy as np
import polars as pl
import pytest
from scipy import stats

from joinedup.analysis.instruments import Instrument, load_instrument, parse_instrument
from joinedup.analysis.scoring import DimensionResult, respondent_scores, score, wave_change

SMALL = parse_instrument(
    """
key: small
title: Small
version: 1
scale: {min: 1, max: 5, labels: [a, b, c, d, e]}
bands: [{min: 4.0, label: strength}, {min: 3.0, label: borderline}, {min: 1.0, label: concern}]
dimensions:
  - key: four
    title: Four items
    items:
      - {key: four_1, text: one}
      - {key: four_2, text: two, reverse: true}
      - {key: four_3, text: three}
      - {key: four_4, text: four}
  - key: five
    title: Five items
    items:
      - {key: five_1, text: one}
      - {key: five_2, text: two}
      - {key: five_3, text: three, reverse: true}
      - {key: five_4, text: four}
      - {key: five_5, text: five}
"""
)


def frame(
    rows: list[list[int | None]], instrument: Instrument = SMALL, **attributes: list[str]
) -> pl.DataFrame:
    data: dict[str, list] = dict(attributes)
    for index, key in enumerate(instrument.item_keys):
        data[key] = [row[index] for row in rows]
    return pl.DataFrame(data, schema_overrides={k: pl.Int8 for k in instrument.item_keys})


def scores_of(df: pl.DataFrame, instrument: Instrument = SMALL) -> dict[str, list[float | None]]:
    out = respondent_scores(df, instrument).collect()
    return {d.key: out[f"__score__{d.key}"].to_list() for d in instrument.dimensions}


# --- respondent scores: reverse items and the missing-data rule ------------------------------------


def test_reverse_items_are_flipped_as_min_plus_max_minus_answer() -> None:
    df = frame([[5, 5, 5, 5, 1, 1, 1, 1, 1], [2, 1, 2, 2, 4, 4, 2, 4, 4]])
    got = scores_of(df)
    assert got["four"] == [(5 + 1 + 5 + 5) / 4, (2 + 5 + 2 + 2) / 4]
    assert got["five"] == [(1 + 1 + 5 + 1 + 1) / 5, 4.0]


def test_a_score_needs_at_least_half_the_items_answered() -> None:
    n = None
    df = frame(
        [
            [4, n, 4, n, 3, 3, n, n, n],  # 2 of 4 answered: scored; 2 of 5: missing
            [4, n, n, n, 3, 3, 3, n, n],  # 1 of 4: missing; 3 of 5: scored
            [n, n, n, n, n, n, n, n, n],
        ]
    )
    got = scores_of(df)
    assert got["four"] == [4.0, None, None]
    assert got["five"] == [None, 3.0, None]


# --- whole-wave statistics against numpy/scipy ----------------------------------------------------


def independent_dimension(answers: np.ndarray, reverse: list[bool], lo: int, hi: int) -> dict[str, float]:
    """Textbook computation, one respondent at a time (answers: respondents x items, nan = missing)."""
    flipped = np.where(reverse, lo + hi - answers, answers)
    scores, kept = [], []
    for row_index, row in enumerate(flipped):
        answered = row[~np.isnan(row)]
        if len(answered) >= len(row) / 2:
            scores.append(answered.mean())
            kept.append(row_index)
    s = np.array(scores)
    n = len(s)
    low, high = stats.t.interval(0.95, n - 1, loc=s.mean(), scale=stats.sem(s))
    item_vars = [np.nanvar(answers[kept, j], ddof=1) for j in range(answers.shape[1])]
    s2 = float(np.mean(item_vars))
    null = ((hi - lo + 1) ** 2 - 1) / 12
    J = answers.shape[1]
    rwg = 0.0 if s2 > null else J * (1 - s2 / null) / (J * (1 - s2 / null) + s2 / null)
    return {
        "n": n,
        "mean": s.mean(),
        "sd": s.std(ddof=1),
        "ci_low": low,
        "ci_high": high,
        "rwg": rwg,
        "scores": s,
    }


@pytest.fixture
def random_wave() -> tuple[pl.DataFrame, np.ndarray]:
    rng = np.random.default_rng(20260101)
    n = 400
    base = rng.integers(1, 6, size=(n, 1))
    answers = np.clip(base + rng.integers(-1, 2, size=(n, 9)), 1, 5).astype(float)
    answers[rng.random((n, 9)) < 0.2] = np.nan
    groups = rng.choice(["nhs", "council", "charity"], size=n, p=[0.5, 0.3, 0.2])
    # The NHS staff rate the four-item dimension two points higher (its second item is reverse-worded),
    # so that breakdown has a gap to discuss on one dimension and not on the other.
    nhs = groups == "nhs"
    answers[np.ix_(nhs, [0, 2, 3])] = np.clip(answers[np.ix_(nhs, [0, 2, 3])] + 2, 1, 5)
    answers[np.ix_(nhs, [1])] = np.clip(answers[np.ix_(nhs, [1])] - 2, 1, 5)
    rows = [[None if math.isnan(v) else int(v) for v in row] for row in answers]
    return frame(rows, sector=list(groups)), answers


def test_dimension_statistics_match_numpy_and_scipy(random_wave: tuple[pl.DataFrame, np.ndarray]) -> None:
    df, answers = random_wave
    report = score(df, SMALL)
    assert report.respondents == 400
    for result, columns in zip(report.dimensions, [slice(0, 4), slice(4, 9)], strict=True):
        dimension = SMALL.dimension(result.key)
        expected = independent_dimension(answers[:, columns], [i.reverse for i in dimension.items], 1, 5)
        assert result.n == expected["n"]
        for name in ("mean", "sd", "ci_low", "ci_high", "rwg"):
            assert getattr(result, name) == pytest.approx(expected[name], rel=1e-9), name
        assert result.band == SMALL.band_for(expected["mean"])


def test_group_statistics_and_gap_p_values_match_scipy(random_wave: tuple[pl.DataFrame, np.ndarray]) -> None:
    df, answers = random_wave
    sector = df["sector"].to_numpy()
    report = score(df, SMALL, by=["sector"], min_group=5)
    groups = {g.group: g for g in report.groups["sector"]}
    assert [g.group for g in report.groups["sector"]] == ["charity", "council", "nhs"]
    for name, group in groups.items():
        assert group.n == int((sector == name).sum())
        for result, columns in zip(group.dimensions, [slice(0, 4), slice(4, 9)], strict=True):
            rev = [i.reverse for i in SMALL.dimension(result.key).items]
            expected = independent_dimension(answers[sector == name][:, columns], rev, 1, 5)
            assert result.mean == pytest.approx(expected["mean"], rel=1e-9)
            assert result.rwg == pytest.approx(expected["rwg"], rel=1e-9)
    assert {gap.dimension for gap in report.gaps} == {"four", "five"}
    for gap in report.gaps:
        columns = slice(0, 4) if gap.dimension == "four" else slice(4, 9)
        rev = [i.reverse for i in SMALL.dimension(gap.dimension).items]
        means = {
            name: independent_dimension(answers[sector == name][:, columns], rev, 1, 5) for name in groups
        }
        high = max(means, key=lambda g: means[g]["mean"])
        low = min(means, key=lambda g: means[g]["mean"])
        assert (gap.high, gap.low) == (high, low)
        assert gap.difference == pytest.approx(means[high]["mean"] - means[low]["mean"])
        welch = stats.ttest_ind(means[high]["scores"], means[low]["scores"], equal_var=False)
        assert gap.p_value == pytest.approx(welch.pvalue, rel=1e-7)
        assert gap.to_discuss == (gap.difference >= 0.75 and welch.pvalue < 0.05)
    # The wave has one gap of each kind, so the line above is tested both ways.
    assert {gap.dimension: gap.to_discuss for gap in report.gaps} == {"four": True, "five": False}


def test_a_clear_gap_is_flagged_to_discuss() -> None:
    rows = [[5, 1, 5, 5, 5, 5, 1, 5, 5]] * 6 + [[4, 2, 5, 4, 5, 4, 1, 5, 5]] * 6
    rows += [[2, 4, 2, 2, 2, 2, 4, 2, 2]] * 6 + [[3, 4, 2, 2, 3, 2, 4, 2, 3]] * 6
    df = frame(rows, org=["A"] * 12 + ["B"] * 12)
    gap = next(g for g in score(df, SMALL, by=["org"]).gaps if g.dimension == "four")
    assert (gap.high, gap.low, gap.to_discuss) == ("A", "B", True)
    assert gap.difference == pytest.approx((5 + 4.25) / 2 - (2 + 2.25) / 2)  # A: 5 and 17/4; B: 2 and 9/4


# --- rwg(J): hand-worked values -------------------------------------------------------------------


def test_rwg_j_hand_worked_example() -> None:
    # Two respondents answer 3 and 4 on every item of the four-item dimension (reverse item too, since
    # flipping does not change a variance). Each item's sample variance is ((3-3.5)^2+(4-3.5)^2)/1 = 0.5.
    # A = 5 points: null variance (25-1)/12 = 2, so s2/sE = 0.25, and with J = 4:
    # rwg(J) = 4(1-0.25) / (4(1-0.25) + 0.25) = 3 / 3.25 = 0.923077 (to 6 places).
    df = frame([[3, 3, 3, 3, 3, 3, 3, 3, 3], [4, 4, 4, 4, 4, 4, 4, 4, 4]])
    four = score(df, SMALL).dimensions[0]
    assert four.rwg == pytest.approx(0.923077, abs=1e-6)
    # The five-item dimension, same answers: 5(0.75) / (5(0.75) + 0.25) = 3.75 / 4 = 0.9375.
    assert score(df, SMALL).dimensions[1].rwg == pytest.approx(0.9375)


def test_rwg_j_is_zero_when_disagreement_exceeds_the_null() -> None:
    # Answers of 1 and 5 on every item: variance 8 > null variance 2.
    df = frame([[1] * 9, [5] * 9, [1] * 9, [5] * 9])
    assert [d.rwg for d in score(df, SMALL).dimensions] == [0.0, 0.0]


def test_perfect_agreement_gives_rwg_one() -> None:
    df = frame([[4, 2, 4, 4, 4, 4, 2, 4, 4]] * 5)
    four = score(df, SMALL).dimensions[0]
    assert (four.mean, four.sd, four.rwg, four.band) == (4.0, 0.0, 1.0, "strength")


# --- change between waves ------------------------------------------------------------------------


def test_change_between_waves_matches_scipy_welch_interval() -> None:
    rng = np.random.default_rng(7)
    before = rng.normal(3.0, 0.8, 40)
    after = rng.normal(3.5, 0.6, 55)

    def summary(x: np.ndarray) -> DimensionResult:
        return DimensionResult(key="trust", n=len(x), mean=float(x.mean()), sd=float(x.std(ddof=1)))

    (change,) = wave_change([summary(before)], [summary(after)])
    expected = stats.ttest_ind(after, before, equal_var=False)
    ci = expected.confidence_interval(0.95)
    assert change.difference == pytest.approx(after.mean() - before.mean())
    assert change.ci_low == pytest.approx(ci.low, rel=1e-9)
    assert change.ci_high == pytest.approx(ci.high, rel=1e-9)
    assert change.p_value == pytest.approx(expected.pvalue, rel=1e-9)


def test_change_is_blank_when_a_wave_lacks_the_figures() -> None:
    (change,) = wave_change(
        [DimensionResult(key="trust", n=0)], [DimensionResult(key="trust", n=9, mean=3, sd=1)]
    )
    assert (change.difference, change.ci_low, change.p_value) == (None, None, None)


# --- guarding the input ---------------------------------------------------------------------------


def test_answers_off_the_scale_are_refused() -> None:
    df = frame([[6, 1, 1, 1, 1, 1, 1, 1, 1]])
    with pytest.raises(ValueError, match="four_1"):
        score(df, SMALL)


def test_minimum_group_below_three_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        score(frame([[1] * 9], org=["A"]), SMALL, by=["org"], min_group=2)


def test_shipped_instrument_scores_end_to_end() -> None:
    instrument = load_instrument("partnership-health")
    df = frame([[3] * 40] * 6, instrument, org=["A"] * 6)
    report = score(df, instrument, by=["org"]).to_dict()
    assert report["respondents"] == 6
    assert len(report["dimensions"]) == 8
    assert report["groups"]["org"][0]["n"] == 6
    assert report["gaps"] == []


def test_a_repeated_breakdown_column_is_scored_once() -> None:
    df = frame([[3] * 9] * 5, org=["A"] * 5)
    report = score(df, SMALL, by=["org", "org"])
    assert list(report.groups) == ["org"]
    assert [g.n for g in report.groups["org"]] == [5]


def test_a_blank_attribute_is_a_group_of_its_own() -> None:
    df = frame([[3] * 9] * 12, org=["A"] * 6 + [None] * 6)  # type: ignore[list-item]
    groups = score(df, SMALL, by=["org"]).groups["org"]
    assert [(g.group, g.n) for g in groups] == [("A", 6), (None, 6)]


def test_bad_input_is_refused_with_the_columns_named() -> None:
    good = frame([[3] * 9] * 5, org=["A"] * 5)
    with pytest.raises(ValueError) as missing:
        score(good.drop("four_2", "five_5"), SMALL)
    assert str(missing.value) == "item columns missing: four_2, five_5"
    with pytest.raises(ValueError) as text:
        score(good.with_columns(pl.lit("x").alias("five_1")), SMALL)
    assert str(text.value) == "item columns are not numbers: five_1"
    with pytest.raises(ValueError) as texts:
        score(good.with_columns(pl.lit("x").alias("five_1"), pl.lit("y").alias("four_2")), SMALL)
    assert str(texts.value) == "item columns are not numbers: four_2, five_1"
    for value in (0, 6, 2.5):
        with pytest.raises(ValueError) as off:
            score(good.with_columns(pl.Series("four_3", [3, 3, value, 3, 3], dtype=pl.Float64)), SMALL)
        assert str(off.value) == "answers off the 1-5 scale in: four_3"
    with pytest.raises(ValueError) as two_off:
        score(good.with_columns(pl.lit(0).alias("four_1"), pl.lit(9).alias("five_5")), SMALL)
    assert str(two_off.value) == "answers off the 1-5 scale in: four_1, five_5"
    with pytest.raises(ValueError) as no_column:
        score(good, SMALL, by=["sector"])
    assert str(no_column.value) == "no column 'sector' to break down by"
    with pytest.raises(ValueError) as item:
        score(good, SMALL, by=["four_1"])
    assert str(item.value) == "'four_1' is an item, not a respondent attribute"


def test_an_item_nobody_answered_is_blank_not_an_error() -> None:
    # A column with no answers at all has polars' Null type; it used to crash the scale check.
    df = frame([[3] * 9] * 5).with_columns(pl.lit(None).alias("five_5"))
    assert df.schema["five_5"] == pl.Null
    five = score(df, SMALL).dimensions[1]
    assert (five.n, five.mean) == (5, 3.0)


def test_answers_on_the_scale_ends_are_accepted() -> None:
    df = frame([[1] * 9, [5] * 9])
    assert score(df, SMALL).respondents == 2
    as_floats = df.with_columns(pl.col("four_1").cast(pl.Float64))
    assert score(as_floats, SMALL).dimensions[0].mean == 3.0


def test_the_json_has_groups_and_gaps_only_with_a_breakdown() -> None:
    df = frame([[3] * 9] * 5, org=["A"] * 5)
    plain = score(df, SMALL).to_dict()
    assert set(plain) == {"instrument", "respondents", "dimensions"}
    assert plain["instrument"] == "small" and plain["dimensions"][0]["key"] == "four"
    broken_down = score(df, SMALL, by=["org"]).to_dict()
    assert broken_down["groups"]["org"][0]["group"] == "A" and broken_down["gaps"] == []


def test_one_respondent_has_a_mean_but_no_spread() -> None:
    four = score(frame([[4, 2, 4, 4, 4, 4, 2, 4, 4]]), SMALL).dimensions[0]
    assert (four.n, four.mean, four.sd, four.ci_low, four.rwg, four.band) == (
        1,
        4.0,
        None,
        None,
        None,
        "strength",
    )
    nobody = score(frame([[None] * 9, [None] * 9]), SMALL).dimensions[0]
    assert (nobody.n, nobody.mean, nobody.band, nobody.rwg) == (0, None, None, None)


def test_an_unchecked_not_a_number_answer_never_reaches_the_json_as_nan() -> None:
    # Callers that checked the answers already skip the check (validate=False). Should a NaN slip
    # through, the figures it touches are blank: strict JSON has no NaN, and a blank is honest.
    df = frame([[3] * 9] * 5).with_columns(pl.Series("four_1", [3.0, float("nan"), 3.0, 3.0, 3.0]))
    four = score(df, SMALL, validate=False).dimensions[0]
    assert (four.mean, four.sd, four.ci_low, four.band) == (None, None, None, None)
    json.dumps(score(df, SMALL, validate=False).to_dict(), allow_nan=False)


def test_a_wave_in_which_nobody_answered_anything_scores_as_blank() -> None:
    # Every item column has polars' Null type: nothing to check against the scale, nothing to score.
    df = frame([[3] * 9] * 4).with_columns([pl.lit(None).alias(key) for key in SMALL.item_keys])
    report = score(df, SMALL)
    assert report.respondents == 4
    assert [(d.n, d.mean, d.sd, d.rwg, d.band) for d in report.dimensions] == [
        (0, None, None, None, None)
    ] * 2
