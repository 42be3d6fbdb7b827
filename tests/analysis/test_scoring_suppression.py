"""Small-group suppression: no path releases figures about fewer than k people (hypothesis)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.analysis.instruments import parse_instrument
from joinedup.analysis.scoring import score
from joinedup.analysis.suppression import MinGroupError, suppressed_groups

INSTRUMENT = parse_instrument(
    """
key: tiny
title: Tiny
version: 1
scale: {min: 1, max: 4, labels: [a, b, c, d]}
bands: [{min: 1, label: any}]
dimensions:
  - {key: one, title: One, items: [{key: one_1, text: x}, {key: one_2, text: y}]}
  - {key: two, title: Two, items: [{key: two_1, text: x}]}
"""
)

sizes = st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=1, max_value=30), max_size=12)
ks = st.integers(min_value=3, max_value=10)


@given(sizes, ks)
def test_group_rule(group_sizes: dict[str, int], k: int) -> None:
    hidden = suppressed_groups(group_sizes, k)
    shown = set(group_sizes) - hidden
    hidden_total = sum(group_sizes[g] for g in hidden)
    # Every group under k is hidden; nothing shown is under k.
    assert all(group_sizes[g] >= k for g in shown)
    assert {g for g, n in group_sizes.items() if n < k} <= hidden
    # The rule: a lone suppressed group is never left alone while others are shown.
    assert len(hidden) != 1 or not shown
    # Differencing the total against the shown groups recovers 0 people or at least k (or nothing is shown).
    assert hidden_total == 0 or hidden_total >= k or not shown
    # Nothing is hidden without a reason: removing the largest complementary group would break the rule.
    extra = [g for g in hidden if group_sizes[g] >= k]
    if extra:
        biggest = max(extra, key=lambda g: group_sizes[g])
        assert 0 < hidden_total - group_sizes[biggest] < k


def test_the_next_smallest_is_hidden_with_a_lone_small_group() -> None:
    assert suppressed_groups({"a": 2, "b": 7, "c": 6, "d": 40}, 5) == {"a", "c"}
    # Two small groups totalling under k are not enough either: 1 + 2 people could be differenced.
    assert suppressed_groups({"a": 1, "b": 2, "c": 6, "d": 40}, 5) == {"a", "b", "c"}
    assert suppressed_groups({"a": 3, "b": 3, "c": 6}, 5) == {"a", "b"}
    assert suppressed_groups({"a": 9, "b": 7}, 5) == set()
    # Hidden groups adding up to exactly k are enough: nothing more is hidden.
    assert suppressed_groups({"a": 2, "b": 3, "c": 6, "d": 40}, 5) == {"a", "b"}
    # Between two equally small candidates, the first by name goes, the same on every page.
    assert suppressed_groups({"a": 2, "c": 7, "b": 7, "d": 40}, 5) == {"a", "b"}
    assert suppressed_groups({"a": 2, "b": 7, "c": 7, "d": 40}, 5) == {"a", "b"}
    # Cells already hidden (their group is) count towards the hidden total like any other.
    assert suppressed_groups({"a": 3, "b": 8, "c": 9}, 5, already={"b"}) == {"a", "b"}
    assert suppressed_groups({"a": 6, "b": 8, "c": 9}, 5, already={"a"}) == {"a"}
    assert suppressed_groups({"a": 2, "b": 8, "c": 9}, 5, already={"c"}) == {"a", "c"}


def test_k_below_three_is_refused() -> None:
    with pytest.raises(MinGroupError):
        suppressed_groups({"a": 9}, 2)


answer = st.one_of(st.none(), st.integers(min_value=1, max_value=4))


@st.composite
def waves(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(min_value=1, max_value=60))
    groups = draw(st.lists(st.sampled_from(["A", "B", "C", "D", "E", None]), min_size=n, max_size=n))
    data = {key: draw(st.lists(answer, min_size=n, max_size=n)) for key in INSTRUMENT.item_keys}
    return pl.DataFrame(
        {"org": groups, **data}, schema={"org": pl.String, **{k: pl.Int8 for k in INSTRUMENT.item_keys}}
    )


@settings(max_examples=150, deadline=None)
@given(waves(), ks)
def test_no_breakdown_releases_fewer_than_k_people(wave: pl.DataFrame, k: int) -> None:
    report = score(wave, INSTRUMENT, by=["org"], min_group=k)
    data = report.to_dict()
    groups = data["groups"]["org"]
    shown = [g for g in groups if not g["suppressed"]]
    # Suppressed groups carry no numbers at all.
    for group in groups:
        if group["suppressed"]:
            assert group["n"] is None and group["dimensions"] == []
    # Respondents: shown groups have at least k, and total minus shown is 0 or at least k.
    assert all(g["n"] >= k for g in shown)
    hidden_people = data["respondents"] - sum(g["n"] for g in shown)
    assert hidden_people == 0 or hidden_people >= k or not shown
    # The same for every dimension: cells shown have n >= k, and differencing the whole-wave n and
    # mean against the shown cells never recovers fewer than k people's scores.
    for index, overall in enumerate(data["dimensions"]):
        cells = [g["dimensions"][index] for g in shown]
        visible = [c for c in cells if c["n"] is not None]
        assert all(c["n"] >= k for c in visible)
        for cell in cells:
            if cell["n"] is None:
                assert all(cell[f] is None for f in ("mean", "sd", "ci_low", "ci_high", "rwg", "band"))
        hidden_scores = overall["n"] - sum(c["n"] for c in visible)
        assert hidden_scores == 0 or hidden_scores >= k or not visible
    # Gaps only compare shown cells.
    for gap in data["gaps"]:
        names = {g["group"] for g in shown}
        assert gap["high"] in names and gap["low"] in names
