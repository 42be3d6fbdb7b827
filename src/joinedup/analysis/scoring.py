"""Scoring multi-respondent assessments: dimension scores, agreement, safe breakdowns, gaps, change.

Input is a polars frame with one row per respondent: one column per item key holding the answer as a
number on the instrument's scale (null for blank or "don't know"), and any other columns as respondent
attributes (organisation, sector, profession, ...). Everything runs as polars column expressions, with
no Python loop over rows; only the small per-dimension summaries are finished off in Python.

Definitions (the same for the web pages, the API, the CLI and every export):

- Respondent dimension score: the mean of the items they answered, reverse-worded items flipped as
  `min + max - answer`, when they answered at least half of the dimension's items; otherwise missing.
- Per dimension: n (respondents with a score), mean, SD (n - 1), 95% CI of the mean (t distribution),
  rwg(J) agreement (James, Demaree & Wolf 1984; see `stats.rwg_j`) from the mean of the item variances
  among the respondents counted in n, with J = the dimension's number of items and the uniform null
  variance (A^2 - 1)/12 for A scale points (items answered by fewer than two of those respondents
  have no variance and are left out of the mean); the band is the instrument's band for the mean.
- Breakdown by an attribute: one group per value (a blank value is a group of its own, shown as None).
  What is shown is decided by `disclosure.plan` for the whole wave and every breakdown together (and
  with the wave's earlier releases, when given): a group, or a dimension's cell within it (the
  respondents with a score on it), is hidden when it has fewer than k people or when a set of fewer
  than k people could be worked out by adding and subtracting what is shown. A hidden group shows no
  numbers at all; so does the whole wave when it is hidden (fewer than k respondents).
- Perception gap per dimension and breakdown: the largest difference between the means of the shown
  groups, with Welch's t-test p-value (0 when each of the two groups gave one score and they differ, as
  scipy has it); "to discuss" when the difference is at least 0.75 scale points and p < 0.05.
- Change between two waves: difference of the means with a 95% CI from Welch's standard error and
  degrees of freedom (the waves are treated as independent samples, as anonymous waves must be).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from joinedup.analysis.disclosure import WHOLE, Release, Shown, plan
from joinedup.analysis.instruments import Instrument
from joinedup.analysis.stats import mean_ci, rwg_j, welch
from joinedup.analysis.suppression import DEFAULT_MIN_GROUP, check_min_group

GAP_TO_DISCUSS = 0.75
GAP_P_VALUE = 0.05

_N = "__n"


def _score(dimension_key: str) -> str:
    return f"__score__{dimension_key}"


def _item(item_key: str) -> str:
    return f"__item__{item_key}"


@dataclass(frozen=True)
class DimensionResult:
    key: str
    n: int | None
    mean: float | None = None
    sd: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    rwg: float | None = None
    band: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.n is None


@dataclass(frozen=True)
class GroupResult:
    group: Any
    n: int | None
    suppressed: bool
    dimensions: list[DimensionResult] = field(default_factory=list)


@dataclass(frozen=True)
class Gap:
    dimension: str
    by: str
    high: Any
    low: Any
    difference: float
    p_value: float | None
    to_discuss: bool


@dataclass(frozen=True)
class Change:
    dimension: str
    before: float | None
    after: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


@dataclass
class ScoreReport:
    instrument: str
    respondents: int
    dimensions: list[DimensionResult]
    groups: dict[str, list[GroupResult]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    # What disclosure control let through (not part of the JSON: the release keeps it apart).
    shown: Shown | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `joinedup assess score` (groups and gaps only when there was a breakdown)."""
        out: dict[str, Any] = {
            "instrument": self.instrument,
            "respondents": self.respondents,
            "dimensions": [asdict(d) for d in self.dimensions],
        }
        if self.groups:
            out["groups"] = {by: [asdict(g) for g in groups] for by, groups in self.groups.items()}
            out["gaps"] = [asdict(g) for g in self.gaps]
        return out


# --- respondent scores ---------------------------------------------------------------------------


def respondent_scores(responses: pl.DataFrame | pl.LazyFrame, instrument: Instrument) -> pl.LazyFrame:
    """The responses with one more column per dimension: the respondent's score (null when missing),
    named `__score__<dimension key>`."""
    lo, hi = instrument.scale.min, instrument.scale.max
    columns = []
    for dimension in instrument.dimensions:
        values = [
            (lo + hi - pl.col(item.key)) if item.reverse else pl.col(item.key) for item in dimension.items
        ]
        answered = pl.sum_horizontal([pl.col(item.key).is_not_null() for item in dimension.items])
        total = pl.sum_horizontal([v.cast(pl.Float64) for v in values])
        enough = answered * 2 >= len(dimension.items)
        columns.append(pl.when(enough).then(total / answered).otherwise(None).alias(_score(dimension.key)))
    return responses.lazy().with_columns(columns)


def _aggregations(instrument: Instrument) -> list[pl.Expr]:
    exprs: list[pl.Expr] = [pl.len().alias(_N)]
    for dimension in instrument.dimensions:
        score = pl.col(_score(dimension.key))
        exprs += [
            score.count().alias(f"{dimension.key}.n"),
            score.mean().alias(f"{dimension.key}.mean"),
            score.std(ddof=1).alias(f"{dimension.key}.sd"),
        ]
        # Item variances among the respondents counted in n (the same people the mean describes):
        # the `__item__` columns hold the answers of respondents with a dimension score only. polars
        # computes the variance of integers in floating point itself; casting first only costs time.
        exprs += [pl.col(_item(item.key)).var(ddof=1).alias(f"{item.key}.var") for item in dimension.items]
    return exprs


def _dimension_result(row: dict[str, Any], instrument: Instrument, key: str) -> DimensionResult:
    dimension = instrument.dimension(key)
    n = int(row[f"{key}.n"])
    mean = _number(row[f"{key}.mean"]) if n else None
    sd = _number(row[f"{key}.sd"]) if n > 1 else None
    ci_low, ci_high = mean_ci(n, mean, sd)
    variances = [v for item in dimension.items if (v := _number(row[f"{item.key}.var"])) is not None]
    rwg = (
        rwg_j(sum(variances) / len(variances), len(dimension.items), instrument.scale.points)
        if variances
        else None
    )
    return DimensionResult(
        key=key,
        n=n,
        mean=mean,
        sd=sd,
        ci_low=ci_low,
        ci_high=ci_high,
        rwg=rwg,
        band=instrument.band_for(mean),
    )


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


# --- whole report --------------------------------------------------------------------------------


def check_responses(responses: pl.DataFrame, instrument: Instrument) -> None:
    """Raise ValueError unless every item column is present, numeric and on the scale."""
    missing = [key for key in instrument.item_keys if key not in responses.columns]
    if missing:
        raise ValueError(f"item columns missing: {', '.join(missing)}")
    keys = instrument.item_keys
    bad = [k for k in keys if not responses.schema[k].is_numeric() and responses.schema[k] != pl.Null]
    if bad:
        raise ValueError(f"item columns are not numbers: {', '.join(bad)}")
    lo, hi = instrument.scale.min, instrument.scale.max
    # A column nobody answered has no type; polars cannot round it, and it has nothing off the scale.
    answered = [k for k in keys if responses.schema[k] != pl.Null]
    outside = (
        responses.select(
            [
                ((pl.col(k) < lo) | (pl.col(k) > hi) | (pl.col(k) != pl.col(k).round())).any().alias(k)
                for k in answered
            ]
        ).row(0, named=True)
        if answered
        else {}
    )
    off = [k for k, flag in outside.items() if flag]
    if off:
        raise ValueError(f"answers off the {lo}-{hi} scale in: {', '.join(off)}")


def score(
    responses: pl.DataFrame,
    instrument: Instrument,
    *,
    by: Sequence[str] = (),
    min_group: int = DEFAULT_MIN_GROUP,
    validate: bool = True,
    earlier: Sequence[Release] = (),
    answered: Mapping[str, Sequence[bool]] | None = None,
    release: bool = False,
) -> ScoreReport:
    """Score a wave: whole-wave results per dimension, plus a breakdown and the perception gaps for every
    attribute column in `by`, with what disclosure control hides left without numbers.

    `earlier` are the wave's earlier releases (their respondents as row numbers of `responses`), checked
    together with this one; `answered` says who answered each statement (by default: a non-blank answer),
    for the statements' answer counts (`report.shown.items`). `release=True` is for figures released to
    others (a wave's results): the whole wave is then hidden like any group of fewer than k people; without it
    (a file scored by whoever holds it) the whole wave is always shown, and counts in the breakdowns' check."""
    check_min_group(min_group)
    by = list(dict.fromkeys(by))
    for column in by:
        if column not in responses.columns:
            raise ValueError(f"no column {column!r} to break down by")
        if column in instrument.item_keys:
            raise ValueError(f"{column!r} is an item, not a respondent attribute")
    if validate:
        check_responses(responses, instrument)
    masked = [
        pl.when(pl.col(_score(d.key)).is_not_null()).then(pl.col(item.key)).alias(_item(item.key))
        for d in instrument.dimensions
        for item in d.items
    ]
    needed = responses.select([*by, *instrument.item_keys])
    # Materialised once, then aggregated for the whole wave and for each breakdown in parallel.
    collected = respondent_scores(needed, instrument).with_columns(masked).collect()
    shown = plan(
        {column: collected.get_column(column).to_list() for column in by},
        {d.key: collected.get_column(_score(d.key)).is_not_null().to_list() for d in instrument.dimensions},
        answered
        if answered is not None
        else {key: collected.get_column(key).is_not_null().to_list() for key in instrument.item_keys},
        min_group,
        earlier=earlier,
        whole_shown=not release,
    )
    scored = collected.lazy()
    aggregations = _aggregations(instrument)
    queries = [scored.select(aggregations)]
    queries += [scored.group_by(column).agg(aggregations) for column in by]
    frames = pl.collect_all(queries)
    overall = frames[0].row(0, named=True)
    report = ScoreReport(
        instrument=instrument.key,
        respondents=int(overall[_N]),
        dimensions=[
            _dimension_result(overall, instrument, d.key)
            if (WHOLE, None) in shown.cells.get(d.key, set())
            else DimensionResult(key=d.key, n=None)
            for d in instrument.dimensions
        ],
        shown=shown,
    )
    for column, frame in zip(by, frames[1:], strict=True):
        groups = _breakdown(frame.rows(named=True), column, instrument, shown)
        report.groups[column] = groups
        report.gaps += perception_gaps(groups, column)
    return report


def _breakdown(
    rows: list[dict[str, Any]], column: str, instrument: Instrument, shown: Shown
) -> list[GroupResult]:
    rows = sorted(rows, key=lambda r: (r[column] is None, str(r[column])))
    groups = []
    for row in rows:
        key = (column, row[column])
        if key not in shown.groups:
            groups.append(GroupResult(group=row[column], n=None, suppressed=True))
            continue
        cells = [
            _dimension_result(row, instrument, d.key)
            if key in shown.cells.get(d.key, set())
            else DimensionResult(key=d.key, n=None)
            for d in instrument.dimensions
        ]
        groups.append(GroupResult(group=row[column], n=int(row[_N]), suppressed=False, dimensions=cells))
    return groups


def perception_gaps(groups: Sequence[GroupResult], by: str) -> list[Gap]:
    """Per dimension, the largest difference between two shown groups, with Welch's p-value."""
    cells: dict[str, list[tuple[Any, DimensionResult]]] = {}
    for group in groups:
        for cell in group.dimensions:
            if cell.mean is not None and cell.n is not None:
                cells.setdefault(cell.key, []).append((group.group, cell))
    gaps = []
    for key, shown in cells.items():
        if len(shown) < 2:
            continue
        high_group, high = max(shown, key=lambda gc: gc[1].mean or 0.0)
        low_group, low = min(shown, key=lambda gc: gc[1].mean or 0.0)
        assert high.mean is not None and low.mean is not None and high.n is not None and low.n is not None
        test = welch(high.n, high.mean, high.sd or 0.0, low.n, low.mean, low.sd or 0.0)
        difference = high.mean - low.mean
        p_value = test.p_value if test else None
        if test is None and high.sd == 0 and low.sd == 0 and difference > 0:
            # Everyone on each side gave the same score, and the sides differ: the difference is certain
            # (t is infinite; scipy's ttest_ind gives p = 0), not unknown.
            p_value = 0.0
        gaps.append(
            Gap(
                dimension=key,
                by=by,
                high=high_group,
                low=low_group,
                difference=difference,
                p_value=p_value,
                to_discuss=difference >= GAP_TO_DISCUSS and p_value is not None and p_value < GAP_P_VALUE,
            )
        )
    return gaps


def wave_change(before: Sequence[DimensionResult], after: Sequence[DimensionResult]) -> list[Change]:
    """Per dimension present in both, the change of the mean from `before` to `after` with its 95% CI."""
    earlier = {d.key: d for d in before}
    changes = []
    for now in after:
        then = earlier.get(now.key)
        if then is None:
            continue
        test = None
        if None not in (then.n, then.mean, then.sd, now.n, now.mean, now.sd):
            test = welch(now.n, now.mean, now.sd, then.n, then.mean, then.sd)  # type: ignore[arg-type]
        difference = now.mean - then.mean if now.mean is not None and then.mean is not None else None
        ci = test.ci() if test else (None, None)
        changes.append(
            Change(
                dimension=now.key,
                before=then.mean,
                after=now.mean,
                difference=difference,
                ci_low=ci[0],
                ci_high=ci[1],
                p_value=test.p_value if test else None,
            )
        )
    return changes
