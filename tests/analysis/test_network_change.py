import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.analysis.network_change import organisation_change, tie_change


def test_hand_built_sets():
    before = [("a", "b"), ("b", "a"), ("a", "c")]
    after = [("a", "b"), ("c", "a"), ("d", "a")]
    change = tie_change(before, after)
    assert change.kept == [("a", "b")]
    assert change.lost == [("a", "c"), ("b", "a")]
    assert change.gained == [("c", "a"), ("d", "a")]
    assert change.jaccard == pytest.approx(1 / 5)


def test_ties_of_organisations_that_did_not_answer_both_times_are_not_compared():
    before = [("a", "b"), ("b", "a")]
    after = [("a", "b")]  # b did not answer the second survey: its tie is unknown, not lost
    change = tie_change(before, after, observed={"a"})
    assert change.lost == [] and change.kept == [("a", "b")] and change.not_comparable == 1
    assert change.jaccard == 1.0
    assert tie_change([], []).jaccard is None


pairs = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=30)


@given(pairs, pairs)
def test_matches_plain_set_arithmetic(before, after):
    a = {p for p in before if p[0] != p[1]}
    b = {p for p in after if p[0] != p[1]}
    change = tie_change(before, after)
    assert set(change.gained) == b - a and set(change.lost) == a - b and set(change.kept) == a & b
    union = a | b
    assert change.jaccard == (len(a & b) / len(union) if union else None)


def test_organisation_change():
    rng = random.Random(1)
    before = {k: {"in_degree": rng.randint(0, 5), "trust": rng.uniform(1, 4)} for k in "abc"}
    after = {k: {"in_degree": rng.randint(0, 5), "trust": None if k == "b" else 2.5} for k in "bcd"}
    rows = {r.key: r for r in organisation_change(before, after, measures=("in_degree", "trust"))}
    assert rows["c"].change["in_degree"] == after["c"]["in_degree"] - before["c"]["in_degree"]
    assert rows["c"].change["trust"] == pytest.approx(2.5 - before["c"]["trust"])
    assert rows["b"].change["trust"] is None
    assert rows["a"].in_after is False and rows["a"].change["in_degree"] is None
    assert rows["d"].in_before is False and rows["d"].after["in_degree"] == after["d"]["in_degree"]


def test_a_tie_gained_from_an_organisation_that_answered_once_is_not_compared_either():
    before = [("a", "b"), ("a", "a")]  # a tie to itself is no tie
    after = [("a", "b"), ("c", "a"), ("b", "c")]  # c and b answered only the second time
    change = tie_change(before, after, observed=["a"])
    assert (change.gained, change.lost, change.kept) == ([], [], [("a", "b")])
    assert change.not_comparable == 2 and change.jaccard == 1.0
    assert tie_change([("a", "a")], [("b", "b")]).jaccard is None


def test_every_measure_is_compared_by_default_in_order_of_first_appearance():
    before = {"x": {"in_degree": 2, "out_degree": 1, "betweenness": 0.5, "trust": 3.0, "value": float("nan")}}
    after = {"y": {"in_degree": 1}, "x": {"in_degree": 4, "out_degree": 1, "betweenness": 0.25, "trust": 2.5}}
    rows = organisation_change(before, after)
    assert [r.key for r in rows] == ["x", "y"]
    x, y = rows
    assert (x.in_before, x.in_after, y.in_before, y.in_after) == (True, True, False, True)
    assert x.before == {"in_degree": 2.0, "out_degree": 1.0, "betweenness": 0.5, "trust": 3.0, "value": None}
    assert x.change == {
        "in_degree": 2.0,
        "out_degree": 0.0,
        "betweenness": -0.25,
        "trust": -0.5,
        "value": None,
    }
    assert y.before == dict.fromkeys(("in_degree", "out_degree", "betweenness", "trust", "value"))
    assert y.after["in_degree"] == 1.0 and y.change["in_degree"] is None


def test_without_observed_every_tie_is_compared():
    change = tie_change([("a", "b")], [("b", "a")])
    assert change.not_comparable == 0 and change.jaccard == 0.0


def test_keys_of_different_kinds_are_listed_without_error():
    # Keys come from files and registers: an id read as a number beside one read as text must not
    # stop the comparison (Python cannot order 1 against "x").
    before = [(1, "x"), ("y", 2), (3, "z")]
    after = [(3, "z"), ("w", 4), (5, "v")]
    change = tie_change(before, after)
    assert set(change.lost) == {(1, "x"), ("y", 2)}
    assert set(change.gained) == {("w", 4), (5, "v")}
    assert change.kept == [(3, "z")]
    both = tie_change([*before, ("q", 9)], [*before, ("q", 9)])
    assert set(both.kept) == {*before, ("q", 9)}
