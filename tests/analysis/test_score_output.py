"""The CSV and the plain-English text of a scored wave, written out by hand for a small report.

The report is built from hand-made results (no scoring), so every expected line below is worked out
from the definitions in `score_output`'s docstring: one CSV row per whole-wave dimension, then per
breakdown group and dimension; a suppressed group or cell has every number empty; the text shows two
decimals, "-" for a missing figure, and lists only the gaps to discuss.
"""

from __future__ import annotations

import csv
import io

from joinedup.analysis.instruments import parse_instrument
from joinedup.analysis.score_output import CSV_COLUMNS, to_csv, to_text
from joinedup.analysis.scoring import DimensionResult, Gap, GroupResult, ScoreReport

INSTRUMENT = parse_instrument(
    """
key: two-dims
title: Two dimensions
version: 3
scale: {min: 1, max: 5, labels: [a, b, c, d, e]}
bands: [{min: 3, label: high}, {min: 1, label: low}]
dimensions:
  - {key: trust, title: Trust, items: [{key: trust_1, text: x}]}
  - {key: goals, title: Shared goals, items: [{key: goals_1, text: y}]}
"""
)

TRUST = DimensionResult(key="trust", n=12, mean=3.5, sd=0.25, ci_low=3.25, ci_high=3.75, rwg=0.8, band="high")
GOALS_ONE = DimensionResult(key="goals", n=1, mean=2.0, band="low")  # one answer: no SD, CI or rwg


def report(*, gaps: list[Gap] | None = None) -> ScoreReport:
    health = GroupResult(
        group="Health",
        n=7,
        suppressed=False,
        dimensions=[
            DimensionResult(
                key="trust", n=7, mean=4.125, sd=0.5, ci_low=3.5, ci_high=4.75, rwg=0.9, band="high"
            ),
            DimensionResult(key="goals", n=None),  # a cell hidden inside a shown group
        ],
    )
    return ScoreReport(
        instrument="two-dims",
        respondents=12,
        dimensions=[TRUST, GOALS_ONE],
        groups={"sector": [health, GroupResult(group=None, n=None, suppressed=True)]},
        gaps=gaps or [],
    )


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_is_the_whole_wave_then_each_group_with_hidden_figures_empty() -> None:
    text = to_csv(report())
    assert text.endswith("\n") and "\r" not in text
    assert rows(text) == [
        CSV_COLUMNS,
        ["", "", "12", "false", "trust", "12", "3.5", "0.25", "3.25", "3.75", "0.8", "high"],
        ["", "", "12", "false", "goals", "1", "2.0", "", "", "", "", "low"],
        ["sector", "Health", "7", "false", "trust", "7", "4.125", "0.5", "3.5", "4.75", "0.9", "high"],
        ["sector", "Health", "7", "true", "goals", "", "", "", "", "", "", ""],
        ["sector", "", "", "true", "", "", "", "", "", "", "", ""],
    ]


def test_the_csv_header_names_every_column() -> None:
    assert CSV_COLUMNS == [
        "by", "group", "group_n", "suppressed", "dimension", "n", "mean", "sd", "ci_low", "ci_high", "rwg", "band",
    ]  # fmt: skip
    assert to_csv(ScoreReport(instrument="x", respondents=0, dimensions=[])) == ",".join(CSV_COLUMNS) + "\n"


def test_the_text_for_a_wave_with_a_breakdown_and_no_gap_to_discuss() -> None:
    quiet = Gap("trust", "sector", "Health", "Care", 0.5, 0.2, to_discuss=False)
    assert to_text(report(gaps=[quiet]), INSTRUMENT, 5) == (
        "Two dimensions (two-dims, version 3)\n"
        "12 respondents. Scale 1 to 5.\n"
        "\n"
        "Dimension      n  mean    SD        95% CI  rwg(J)  band\n"
        "Trust         12  3.50  0.25  3.25 to 3.75    0.80  high\n"
        "Shared goals   1  2.00     -             -       -   low\n"
        "\n"
        "By sector (groups of fewer than 5 people are hidden, with the next smallest)\n"
        "\n"
        "Health: 7 respondents\n"
        "Dimension     n                      mean    SD        95% CI  rwg(J)  band\n"
        "Trust         7                      4.12  0.50  3.50 to 4.75    0.90  high\n"
        "Shared goals  -  hidden (too few answers)\n"
        "\n"
        "(not given): hidden to protect a small group\n"
        "\n"
        "Gaps to discuss (difference of 0.75 or more, p < 0.05):\n"
        "  none\n"
    )


def test_the_text_lists_only_the_gaps_to_discuss_with_p_to_three_places() -> None:
    flagged = Gap("goals", "sector", "Health", "Care", 1.25, 0.0123, to_discuss=True)
    quiet = Gap("trust", "sector", "Health", "Care", 0.5, 0.2, to_discuss=False)
    text = to_text(report(gaps=[quiet, flagged]), INSTRUMENT, 10)
    assert "groups of fewer than 10 people" in text
    assert text.endswith(
        "Gaps to discuss (difference of 0.75 or more, p < 0.05):\n"
        "  Shared goals: Health 1.25 higher than Care (by sector, p = 0.012)\n"
    )
    assert "none" not in text and "Trust: Health" not in text


def test_the_text_of_a_wave_without_a_breakdown_has_no_gaps_section() -> None:
    no_band = DimensionResult("goals", 2, 1.005, 0.0, 1.0, 1.01)  # a mean with no band: "-"
    plain = ScoreReport(
        instrument="two-dims", respondents=2, dimensions=[DimensionResult("trust", None), no_band]
    )
    assert to_text(plain, INSTRUMENT, 5) == (
        "Two dimensions (two-dims, version 3)\n"
        "2 respondents. Scale 1 to 5.\n"
        "\n"
        "Dimension     n                      mean    SD        95% CI  rwg(J)  band\n"
        "Trust         -  hidden (too few answers)\n"
        "Shared goals  2                      1.00  0.00  1.00 to 1.01       -     -\n"
    )


def test_a_group_after_a_hidden_one_is_still_written() -> None:
    shown = GroupResult(
        group="Care", n=9, suppressed=False, dimensions=[TRUST, DimensionResult("goals", None)]
    )
    hidden_first = ScoreReport(
        instrument="two-dims",
        respondents=12,
        dimensions=[TRUST, GOALS_ONE],
        groups={"sector": [GroupResult(group="Arts", n=None, suppressed=True), shown]},
    )
    text = to_text(hidden_first, INSTRUMENT, 5)
    assert "Arts: hidden to protect a small group\n\nCare: 9 respondents\n" in text
    assert [row[:3] for row in rows(to_csv(hidden_first))[3:]] == [
        ["sector", "Arts", ""],
        ["sector", "Care", "9"],
        ["sector", "Care", "9"],
    ]
