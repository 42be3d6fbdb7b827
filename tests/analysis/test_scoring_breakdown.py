"""A breakdown worked out by hand: which groups and cells are hidden, and that the rest are all shown.

The privacy properties (nothing under k can be recovered) are checked over random waves in
test_scoring_suppression.py; these examples pin the other side, which those properties cannot see: a
group or cell that the rule does *not* hide is shown, with its figures, in order.
"""

from __future__ import annotations

import polars as pl

from joinedup.analysis.instruments import parse_instrument
from joinedup.analysis.scoring import DimensionResult, score

ONE_ITEM = parse_instrument(
    """
key: one-item
title: One item
version: 1
scale: {min: 1, max: 5, labels: [a, b, c, d, e]}
bands: [{min: 1, label: any}]
dimensions:
  - {key: trust, title: Trust, items: [{key: trust_1, text: x}]}
"""
)


def wave(groups: dict[str, list[int | None]]) -> pl.DataFrame:
    orgs = [org for org, answers in groups.items() for _ in answers]
    answers = [a for group in groups.values() for a in group]
    return pl.DataFrame({"org": orgs, "trust_1": answers}, schema={"org": pl.String, "trust_1": pl.Int8})


def test_a_cell_is_not_hidden_for_a_group_that_is_hidden_already() -> None:
    # Groups of 2, 6, 7 and 20 people (k = 5): A is under k and B, the next smallest, is hidden with it
    # (2 + 6 = 8 people). Only 5 of C's 7 answered: C's cell (5 scores) is at k and the hidden cells of
    # A and B already hold 8 people's scores, so C's cell is shown. (Were A and B's cells counted by
    # their size alone, as if shown, C's 5 would be hidden as the next smallest after A's 2.)
    data = wave({"A": [1, 2], "B": [5] * 6, "C": [1, 2, 3, 4, 5, None, None], "D": [4] * 20})
    groups = score(data, ONE_ITEM, by=["org"], min_group=5).groups["org"]
    assert [(g.group, g.n, g.suppressed) for g in groups] == [
        ("A", None, True),
        ("B", None, True),
        ("C", 7, False),
        ("D", 20, False),
    ]
    (c,) = groups[2].dimensions
    assert (c.key, c.n, c.mean, c.band) == ("trust", 5, 3.0, "any")
    (d,) = groups[3].dimensions
    assert (d.n, d.mean, d.sd) == (20, 4.0, 0.0)


def test_a_hidden_cell_in_a_shown_group_keeps_its_dimension_and_nothing_else() -> None:
    # C: 7 people, 3 answered (a cell under k); D, 20 answers, is hidden with it as the next smallest.
    data = wave({"C": [2, 3, 4, None, None, None, None], "D": [4] * 20})
    report = score(data, ONE_ITEM, by=["org"], min_group=5)
    groups = report.groups["org"]
    assert [(g.group, g.n, g.suppressed) for g in groups] == [("C", 7, False), ("D", 20, False)]
    assert groups[0].dimensions == [DimensionResult(key="trust", n=None)]
    assert groups[1].dimensions == [DimensionResult(key="trust", n=None)]
    assert report.to_dict()["groups"]["org"][0]["dimensions"] == [
        {
            "key": "trust",
            "n": None,
            "mean": None,
            "sd": None,
            "ci_low": None,
            "ci_high": None,
            "rwg": None,
            "band": None,
        }
    ]
