"""Disclosure control on small waves worked out by hand: which groups, cells and statements a reader sees, and
what an attacker could work out by adding and subtracting them (DESIGN.md §6)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from joinedup.analysis import disclosure
from joinedup.analysis.disclosure import (
    WHOLE,
    Release,
    Shown,
    _derivation,
    find_breach,
    in_span,
    plan,
    suppress,
)

W = (WHOLE, None)


def org(value: str) -> tuple[str, str]:
    return ("org", value)


# --- find_breach and in_span: what adding and subtracting released groups gives away ---------------------------


def test_a_sector_minus_its_organisation_is_one_person() -> None:
    # Five people in the wave, four of them in the one organisation shown: 5 - 4 = person 4.
    assert find_breach([{0, 1, 2, 3, 4}, {0, 1, 2, 3}], 3) == find_breach([{0, 1, 2, 3}, {0, 1, 2, 3, 4}], 3)
    breach = find_breach([{0, 1, 2, 3, 4}, {0, 1, 2, 3}], 3)
    assert breach is not None and breach.members == {4} and not breach.exhausted


def test_a_difference_of_k_minus_one_people_is_a_breach_and_of_k_is_not() -> None:
    breach = find_breach([{0, 1, 2, 3, 4}, {0, 1, 2}], 3)
    assert breach is not None and breach.members == {3, 4}  # two people: fewer than 3
    assert find_breach([{0, 1, 2, 3, 4, 5}, {0, 1, 2}], 3) is None  # three people: allowed
    breach = find_breach([set(range(9)), {0, 1, 2, 3, 4}], 5)
    assert breach is not None and breach.members == {5, 6, 7, 8}


def test_a_group_of_fewer_than_k_is_itself_a_breach() -> None:
    breach = find_breach([{7, 8}], 3)
    assert breach is not None and breach.members == {7, 8}
    assert find_breach([{7, 8, 9}], 3) is None
    assert find_breach([], 3) is None
    assert find_breach([set()], 3) is None  # an empty group shows nobody


def test_halves_count_too() -> None:
    # {0,1} + {0,2} - {1,2} = 2 * {0}: with rational coefficients each person on their own is derivable.
    groups = [{0, 1}, {1, 2}, {0, 2}]
    assert in_span({0}, groups) and in_span({1}, groups) and in_span({2}, groups)
    assert in_span({0, 1, 2}, groups)
    big = [{0, 1, 5, 6, 7}, {1, 2, 5, 6, 7}, {0, 2, 5, 6, 7}, {5, 6, 7}]  # the same, with three more in each
    assert in_span({0}, big)
    breach = find_breach(big, 3)
    assert breach is not None and 1 <= len(breach.members) <= 2 and in_span(breach.members, big)


def test_three_overlapping_groups_with_no_small_difference() -> None:
    # Two breakdowns of six people, every group of three: organisation p = {0,1,2}, q = {3,4,5}; role
    # r = {0,1,3}, s = {2,4,5}. Each person is in a different pair of groups but no sum or difference of the
    # groups is one or two people (a*p + b*q + c*r on the atoms {0,1}, {2}, {3}, {4,5} is (a+c, a, b+c, b):
    # a 0/1 vector of weight 1 or 2 would need a = 0 or 1 and b = 0 or 1, and every choice gives weight >= 3).
    groups = [set(range(6)), {0, 1, 2}, {3, 4, 5}, {0, 1, 3}, {2, 4, 5}]
    assert find_breach(groups, 3) is None
    assert not in_span({2}, groups) and not in_span({4, 5}, groups) and not in_span({0, 1}, groups)
    assert in_span({0, 1, 3}, groups) and in_span({2, 3}, groups) is False
    # Looking for it costs visits: with a budget of one the search gives up, and giving up counts as a breach.
    gave_up = find_breach(groups, 3, budget=1)
    assert gave_up is not None and gave_up.exhausted and gave_up.members


def test_in_span_of_nothing_and_of_people_outside_every_group() -> None:
    assert in_span(set(), [])  # nothing is derivable from nothing
    assert not in_span({1}, [])
    assert not in_span({9}, [{0, 1}, {1}])  # person 9 is in no released group
    assert in_span({0}, [{0, 1}, {1}])
    assert in_span({0, 1}, [{0, 1}]) and not in_span({0}, [{0, 1}])


# --- plan: what a wave's release shows ----------------------------------------------------------------------------


def test_a_wave_of_exactly_k_is_shown_and_of_one_fewer_is_not() -> None:
    three = plan({"org": ["A"] * 3}, {"trust": [True] * 3}, {"q1": [True] * 3}, 3)
    assert three == Shown(groups={W, org("A")}, cells={"trust": {W, org("A")}}, items={"q1"})
    two = plan({"org": ["A"] * 2}, {"trust": [True] * 2}, {"q1": [True] * 2}, 3)
    assert two == Shown()
    five = plan({}, {"trust": [True] * 5}, {}, 5)
    assert five == Shown(groups={W}, cells={"trust": {W}})
    assert plan({}, {"trust": [True] * 4}, {}, 5) == Shown()


def test_an_organisation_is_hidden_so_the_small_one_cannot_be_worked_out() -> None:
    # Seven people: organisations A (0-2), B (3-5), C (6); all in sector x. C is too small; the whole wave
    # minus A minus B would give C's one person, so the smallest shown group in that sum, A (ties with B broken
    # by name), is hidden too. Then the wave minus B is four people (A's three and C's one): safe.
    attributes = {"org": list("AAABBBC"), "sector": ["x"] * 7}
    shown = plan(attributes, {"trust": [True] * 7}, {"q1": [True] * 7}, 3)
    assert shown.groups == {W, ("sector", "x"), org("B")}
    assert shown.cells == {"trust": {W, ("sector", "x"), org("B")}}
    assert shown.items == {"q1"}
    # Person 6 gave no score: C's cell is empty, so the cells alone would be safe; A's cell stays hidden
    # because A is.
    shown = plan(attributes, {"trust": [True] * 6 + [False]}, {}, 3)
    assert shown.cells == {"trust": {W, ("sector", "x"), org("B")}}


def test_a_cell_is_hidden_when_the_whole_cell_minus_another_would_give_it() -> None:
    # A (0-2) and B (3-5) both shown; on trust person 5 has no score, so B's cell is two people, and the whole
    # wave's trust cell (five) minus A's (three) would give them: A's cell is hidden, the whole one kept.
    shown = plan({"org": list("AAABBB")}, {"trust": [True] * 5 + [False], "value": [True] * 6}, {}, 3)
    assert shown.groups == {W, org("A"), org("B")}
    assert shown.cells == {"trust": {W}, "value": {W, org("A"), org("B")}}


def test_statements_answered_by_fewer_than_k_are_not_counted() -> None:
    answered = {"q1": [True, True, True, False], "q2": [True, True, False, False], "q3": [False] * 4}
    shown = plan({}, {}, answered, 3)
    assert shown.groups == {W} and shown.items == {"q1"}
    # Nothing of a wave below k, not even a statement everyone answered.
    assert plan({}, {}, {"q1": [True, True]}, 3).items == set()


def test_a_second_release_shows_nothing_new_until_k_more_have_answered() -> None:
    first = plan({"org": list("AAA")}, {"trust": [True] * 3}, {"q1": [True] * 3}, 3)
    assert first == Shown(groups={W, org("A")}, cells={"trust": {W, org("A")}}, items={"q1"})
    earlier = [Release(members=frozenset(range(3)), shown=first)]
    # One more person: the new whole wave minus the first release is that person. Nothing new is shown.
    four = plan({"org": list("AAAA")}, {"trust": [True] * 4}, {"q1": [True] * 4}, 3, earlier=earlier)
    assert four == Shown(cells={"trust": set()})
    # Three more: the difference is three people, and everything is shown again.
    six = plan({"org": list("AAAAAA")}, {"trust": [True] * 6}, {"q1": [True] * 6}, 3, earlier=earlier)
    assert six == Shown(groups={W, org("A")}, cells={"trust": {W, org("A")}}, items={"q1"})


def test_a_second_release_checks_each_cell_and_statement_against_the_first() -> None:
    first = plan({}, {"trust": [True] * 3}, {"q1": [True] * 3}, 3)
    earlier = [Release(members=frozenset(range(3)), shown=first)]
    # Three more people; on trust only one of them scored, on value (new) and q1 all did, q2 (new) two of them.
    shown = plan(
        {},
        {"trust": [True] * 4 + [False] * 2, "value": [True] * 6},
        {"q1": [True] * 4 + [False] * 2, "q2": [True] * 6},
        3,
        earlier=earlier,
    )
    # trust: 4 now - 3 then = person 3's score. q1: 4 answered now - 3 then = person 3's answer.
    assert shown == Shown(groups={W}, cells={"trust": set(), "value": {W}}, items={"q2"})


def test_an_earlier_release_of_a_group_that_no_longer_exists_is_no_group() -> None:
    # The first release showed organisation Z; nobody now is in Z (their answers were withdrawn).
    first = Shown(groups={W, org("Z")}, cells={"trust": {W, org("Z")}}, items=set())
    earlier = [Release(members=frozenset(range(3)), shown=first)]
    shown = plan({"org": list("AAAAAA")}, {"trust": [True] * 6}, {}, 3, earlier=earlier)
    assert shown == Shown(groups={W, org("A")}, cells={"trust": {W, org("A")}})


def test_whole_shown_keeps_the_whole_wave_and_still_counts_it() -> None:
    # `joinedup assess score` on one's own file: the whole wave is shown whatever its size.
    two = plan({"org": ["A", "A"]}, {"trust": [True, True]}, {"q1": [True, True]}, 3, whole_shown=True)
    assert two == Shown(groups={W}, cells={"trust": {W}}, items={"q1"})
    # A (0-2) and B (3-4): B is too small, and the (shown) whole minus A would be B, so A is hidden as well.
    five = plan({"org": list("AAABB")}, {"trust": [True] * 5}, {}, 3, whole_shown=True)
    assert five == Shown(groups={W}, cells={"trust": {W}})
    # Everyone's groups are fine, but on trust person 5 gave no score: B's cell is two people and the whole
    # wave's cell (shown) minus A's would give them, so A's cell is hidden.
    six = plan(
        {"org": list("AAABBB")},
        {"trust": [True] * 5 + [False]},
        {"q1": [False] * 6, "q2": [True] * 6},
        3,
        whole_shown=True,
    )
    assert six == Shown(groups={W, org("A"), org("B")}, cells={"trust": {W}}, items={"q1", "q2"})


def test_a_search_out_of_budget_hides_more_never_less() -> None:
    # The six people of test_three_overlapping_groups_with_no_small_difference as two breakdowns.
    attributes = {"org": list("pppqqq"), "role": list("rrsrss")}
    groups = {W, org("p"), org("q"), ("role", "r"), ("role", "s")}
    full = plan(attributes, {"trust": [True] * 6}, {}, 3)
    assert full == Shown(groups=groups, cells={"trust": groups})
    starved = plan(attributes, {"trust": [True] * 6}, {}, 3, budget=1)
    assert starved.groups < groups and starved.cells["trust"] <= starved.groups
    # A statement checked against two earlier counts that overlap the same way: {0,1,2} and {2,3,4} then,
    # {0..5} now. No difference of them is one or two people, but it takes a search to know.
    earlier = [
        Release(members=frozenset({0, 1, 2}), shown=Shown(items={"q1"})),
        Release(members=frozenset({2, 3, 4}), shown=Shown(items={"q1"})),
    ]
    assert plan({}, {}, {"q1": [True] * 6}, 3, earlier=earlier).items == {"q1"}
    assert plan({}, {}, {"q1": [True] * 6}, 3, earlier=earlier, budget=1).items == set()


def test_a_search_out_of_budget_on_the_cells_hides_cells_of_groups_that_are_shown() -> None:
    # Twelve people in four blocks of three: org p = blocks 1-2, q = 3-4; role r = blocks 1 and 3, s = 2 and 4.
    # Every block has three people, so the groups need no search. On trust two of block 1 scored, one of
    # block 2, one of block 3 and two of block 4: the cells overlap like the six people above, safe, but
    # only a search shows it.
    attributes = {"org": list("ppppppqqqqqq"), "role": list("rrrsssrrrsss")}
    trust = [True, True, False, True, False, False, True, False, False, True, True, False]
    groups = {W, org("p"), org("q"), ("role", "r"), ("role", "s")}
    assert plan(attributes, {"trust": trust}, {}, 3) == Shown(groups=groups, cells={"trust": groups})
    starved = plan(attributes, {"trust": trust}, {}, 3, budget=1)
    assert starved.groups == groups and starved.cells["trust"] < groups


def test_every_attribute_and_flag_needs_one_value_per_respondent() -> None:
    with pytest.raises(ValueError, match=r"^every attribute and flag needs one value per respondent$"):
        plan({"org": list("AAA")}, {"trust": [True] * 4}, {}, 3)
    with pytest.raises(ValueError, match=r"^every attribute and flag needs one value per respondent$"):
        plan({}, {"trust": [True] * 4}, {"q1": [True] * 3}, 3)
    assert plan({}, {}, {}, 3) == Shown()  # no columns: no respondents


# --- Shown as stored with a release (WaveRelease.shown, JSON) -----------------------------------------------------


def test_shown_is_stored_as_sorted_json_and_read_back() -> None:
    organisations = [org(v) for v in "HGFEDCBA"]
    shown = Shown(
        groups={W, *organisations, ("year", 10), ("year", 9), ("year", 11), ("org", None)},
        cells={"value": set(), "trust": {org("B"), org("A"), W}},
        items={"q2", "q1", "q10"},
    )
    stored = shown.to_dict()
    # Sorted by breakdown, then by the value as text (None as "None", 10 before 9), so that the stored JSON
    # is the same for the same release.
    assert stored == {
        "groups": [
            ["__whole__", None],
            *(["org", v] for v in "ABCDEFGH"),
            ["org", None],
            ["year", 10],
            ["year", 11],
            ["year", 9],
        ],
        "cells": {"trust": [["__whole__", None], ["org", "A"], ["org", "B"]], "value": []},
        "items": ["q1", "q10", "q2"],
    }
    assert list(stored["cells"]) == ["trust", "value"]
    assert Shown.from_dict(json.loads(json.dumps(stored))) == shown
    assert Shown.from_dict(stored).whole and not Shown(groups={org("A")}).whole


def test_a_stored_release_missing_parts_reads_as_showing_nothing_of_them() -> None:
    assert Shown.from_dict({}) == Shown()
    assert Shown.from_dict({"groups": [["__whole__", None]]}) == Shown(groups={W})
    assert Shown.from_dict({"items": ["q1"]}) == Shown(items={"q1"})
    assert Shown.from_dict({"cells": {"trust": [["org", "A"]]}}) == Shown(cells={"trust": {org("A")}})


# --- suppress: which groups are hidden, and which are put back ----------------------------------------------------


def test_the_smallest_group_a_derivation_uses_is_hidden() -> None:
    # An earlier release F showed six people; now g0 = {3,5,6} and g1 = {0,2,3,5,6}. The only small set an
    # attacker can work out is g1 - g0 = {0,2}; that uses both groups, and the smaller, g0, is hidden. Then
    # g1 with F gives nothing of fewer than three: atoms {0,2,3,6}, {1,4} and {5} take the values
    # (a+b, a, b) for a*F + b*g1, zero on the first only when a = -b.
    earlier = [{0, 1, 2, 3, 4, 6}]
    assert suppress({"g0": {3, 5, 6}, "g1": {0, 2, 3, 5, 6}}, 3, fixed=earlier) == {"g0"}
    # The same sets under other names: the choice goes by size, not by name.
    assert suppress({"b": {3, 5, 6}, "a": {0, 2, 3, 5, 6}}, 3, fixed=earlier) == {"b"}


def test_groups_of_one_size_are_hidden_in_order_of_their_key() -> None:
    # B is listed first, but of the two organisations of three whose difference from the wave gives C's one
    # person, A comes first by key, so A is hidden (the result does not depend on the order of the rows).
    attributes = {"org": list("BBBAAAC"), "sector": ["x"] * 7}
    assert plan(attributes, {}, {}, 3).groups == {W, ("sector", "x"), org("B")}
    candidates = {"b": {0, 1, 2}, "a": {3, 4, 5}, "c": {6}, "whole": set(range(7))}
    assert suppress(candidates, 3) == {"a", "c"}


def test_a_last_resort_is_hidden_only_when_nothing_else_will_do() -> None:
    # x minus y is one person, so one of them goes: the smaller, y, unless y is a last resort.
    candidates = {"x": {0, 1, 2, 3}, "y": {0, 1, 2}}
    assert suppress(candidates, 3) == {"y"}
    assert suppress(candidates, 3, last=["y"]) == {"x"}
    assert suppress(candidates, 3, last=["x", "y"]) == {"y"}  # both last: by size again
    # `hidden` groups are hidden whatever their size, and others only as needed.
    assert suppress(candidates, 3, hidden=["x"]) == {"x"}
    assert suppress({"x": {0, 1, 2}, "y": {3, 4, 5}}, 3, hidden=["y"]) == {"y"}


def test_a_group_hidden_on_the_way_is_put_back_when_it_is_no_longer_needed() -> None:
    # An earlier release showed {0,1,3}; now a sector {0,1,2,4}, the whole wave {0..4} and org B {3}, hidden.
    # The whole minus the sector is person 3: the sector, smaller, is hidden first. The whole with the earlier
    # release still gives {2,4} (whole minus earlier), so the whole is hidden too. With the whole gone, the
    # sector is safe again (the earlier {0,1,3} and the sector {0,1,2,4} give no set of one or two people:
    # a*{0,1,3} + b*{0,1,2,4} is a+b on {0,1}, a on 3 and b on {2,4}), so it is put back.
    candidates = {"sector": {0, 1, 2, 4}, "B": {3}, "whole": {0, 1, 2, 3, 4}}
    assert suppress(candidates, 3, fixed=[{0, 1, 3}], hidden=["B"]) == {"B", "whole"}


def test_when_an_earlier_release_is_itself_too_small_every_new_group_is_hidden() -> None:
    # Only three people of an earlier release are left (the others withdrew): with k = 4 it is a set of
    # fewer than k, and hiding new groups cannot change that, so nothing new is shown.
    assert suppress({"a": {3, 4, 5, 6}}, 4, fixed=[{1, 2, 7}]) == {"a"}
    assert suppress({"a": {3, 4, 5, 6}, "b": {1, 2, 3, 7, 8}}, 4, fixed=[{1, 2, 7}]) == {"a", "b"}
    assert suppress({"a": {3, 4, 5, 6}}, 4, fixed=[set(), {1, 2, 7, 9}]) == set()  # an empty one is nothing


def check_derivation(target: set[int], groups: list[set[int]], coefficients: dict[int, Fraction]) -> None:
    """sum c_g * group_g is exactly the target's indicator."""
    for person in set(target).union(*groups):
        total = sum((c for g, c in coefficients.items() if person in groups[g]), Fraction(0))
        assert total == (person in target), person


@pytest.mark.parametrize(
    ("target", "groups", "expected"),
    [
        # whole - sector = person 4
        ({4}, [{0, 1, 2, 3, 4}, {0, 1, 2, 3}], {0: Fraction(1), 1: Fraction(-1)}),
        # ({0,1} - {1,2} + {0,2}) / 2 = person 0
        ({0}, [{0, 1}, {1, 2}, {0, 2}], {0: Fraction(1, 2), 1: Fraction(-1, 2), 2: Fraction(1, 2)}),
        # A and B are the same people: the derivation uses the first (B's coefficient, a free unknown, is 0)
        ({3}, [{0, 1, 2}, {0, 1, 2, 3}, {0, 1, 2, 3}], {0: Fraction(-1), 1: Fraction(1)}),
        # {5,6} = everyone - {0..4}: the group {0,1,2} is not needed
        ({5, 6}, [{0, 1, 2, 3, 4}, {0, 1, 2}, set(range(7))], {0: Fraction(-1), 2: Fraction(1)}),
        # a group on its own
        ({0, 1}, [{5, 6, 7}, {0, 1}], {1: Fraction(1)}),
    ],
)
def test_the_derivation_an_attacker_would_use(
    target: set[int], groups: list[set[int]], expected: dict[int, Fraction]
) -> None:
    got = _derivation(frozenset(target), [frozenset(g) for g in groups])
    check_derivation(target, groups, expected)  # the worked answer is right
    assert got == expected


def test_no_derivation_of_what_cannot_be_derived() -> None:
    assert _derivation(frozenset({0}), [frozenset({0, 1})]) == {}
    assert _derivation(frozenset({5}), [frozenset({0, 1})]) == {}  # person 5 is in no group
    assert _derivation(frozenset({0}), []) == {}


def test_of_two_groups_that_cannot_both_be_put_back_the_larger_is() -> None:
    # Four groups of a wave, k = 4; g0 is the last resort (as the whole wave is). Differences of one or two
    # people: g3 - g1 = {7}, g2 - g3 = {0}, g2 - g0 = {2,3}. g0 with g1 is safe, and so is g0 with g3 (their
    # atoms {0}, {5,6,7,8} and {2,3} take the values (a, a+b, b), zero on the big one only when b = -a), but
    # g1 and g3 cannot both be shown. Hiding on the way takes g1, g3 and g2; of g1 and g3 the larger, g3, is
    # put back.
    candidates = {
        "g0": {0, 5, 6, 7, 8},
        "g1": {2, 3, 5, 6, 8},
        "g2": {0, 2, 3, 5, 6, 7, 8},
        "g3": {2, 3, 5, 6, 7, 8},
    }
    assert suppress(candidates, 4, last=["g0"]) == {"g1", "g2"}


def test_a_search_out_of_budget_hides_the_first_group_holding_anyone_it_was_looking_at() -> None:
    # y - x = {3,4}. With the search able to finish, the smaller of the two, x, is hidden; when it runs out
    # of budget there is no derivation to go by, and the first shown group with any of the people it was
    # looking at ({3,4}) is hidden: y (x, first by size and key, holds neither).
    candidates = {"x": {0, 1, 2}, "y": {0, 1, 2, 3, 4}, "z": {5, 6, 7}}
    assert suppress(candidates, 3) == {"x"}
    assert suppress(candidates, 3, budget=1) == {"y"}


def test_of_two_groups_that_cannot_both_be_put_back_a_last_resort_is_first() -> None:
    # An earlier release showed F = {1,2,3,4}. g4 = {1,..,5} minus F is person 5: g4 is never shown. g0 =
    # {3,4,5} and g3 = {1,2,5} are each safe with F (atoms {1,2}, {3,4}, {5} take (a, a+b, b) or (a+b, a, b)
    # for a*F + b*g: never one or two people), but g0 + g3 - F is twice person 5. Both last resorts (g0, g4)
    # are put back before g3 is tried, so g0 is shown; with g3 and g4 the last resorts, g3 is.
    candidates = {"g0": {3, 4, 5}, "g3": {1, 2, 5}, "g4": {1, 2, 3, 4, 5}}
    assert suppress(candidates, 3, fixed=[{1, 2, 3, 4}], last=["g0", "g4"]) == {"g3", "g4"}
    assert suppress(candidates, 3, fixed=[{1, 2, 3, 4}], last=["g3", "g4"]) == {"g0", "g4"}


def test_of_two_groups_of_one_size_that_cannot_both_be_put_back_the_first_by_key_is() -> None:
    # The same F, {3,4,5} and {1,2,5}, and 100 = {1,..,5}, under keys whose order as text ("10" < "9") is not
    # their order in a set (9 before 10): 10 is put back, whatever order the keys come in.
    for candidates in (
        {10: {3, 4, 5}, 9: {1, 2, 5}, 100: {1, 2, 3, 4, 5}},
        {100: {1, 2, 3, 4, 5}, 9: {1, 2, 5}, 10: {3, 4, 5}},
    ):
        assert suppress(candidates, 3, fixed=[{1, 2, 3, 4}]) == {9, 100}


# --- the search's own limits --------------------------------------------------------------------------------------


def test_a_search_of_four_visits_fits_a_budget_of_four() -> None:
    # {0,1,2} and {2,3,4}, k = 3: atoms {0,1}, {2}, {3,4}, all small, so the search runs. Its rows (reduced)
    # are {0,1} - {3,4} and {2} + {3,4}. It visits: the start; the first row taken (weight 2, then the
    # second row would make 3 and leaving it gives {3,4} the value -1); the first row left; the second
    # taken (weight 1 + 2 for {3,4}: over) or left: the empty set, which is no breach. Four visits.
    groups = [{0, 1, 2}, {2, 3, 4}]
    assert find_breach(groups, 3, budget=4) is None
    gave_up = find_breach(groups, 3, budget=3)
    assert gave_up is not None and gave_up.exhausted


def test_residues_that_cannot_be_trusted_count_as_a_breach(monkeypatch: pytest.MonkeyPatch) -> None:
    # {1,3,5}, {0,1,3}, {0,4,5}, k = 3: a*g0 + b*g1 + c*g2 on the atoms {1,3}, {5}, {0}, {4} is
    # (a+b, a+c, b+c, c), and no choice gives one or two people. Their echelon form has a pivot of 2; were
    # the prime 2, the residues would lose it, and the check gives up on the safe side.
    groups = [{1, 3, 5}, {0, 1, 3}, {0, 4, 5}]
    assert find_breach(groups, 3) is None
    monkeypatch.setattr(disclosure, "PRIME", 2)
    gave_up = find_breach(groups, 3)
    assert gave_up is not None and gave_up.exhausted is True
    assert gave_up.members and gave_up.members <= {0, 1, 3, 4, 5}


def test_a_group_smaller_than_k_among_overlapping_ones_is_found() -> None:
    # {5,6,7} is three people, under k = 4, whatever the other groups are.
    groups = [{0, 3, 5, 7}, {2, 3, 4, 6, 7}, {3, 4, 5, 6}, {5, 6, 7}, {1, 3, 4, 6}]
    breach = find_breach(groups, 4)
    assert breach is not None and not breach.exhausted and len(breach.members) < 4
    assert in_span(breach.members, groups)


@pytest.mark.parametrize(
    ("groups", "k", "smallest"),
    [
        # {0,1} is itself two people.
        ([{0, 1}, {0, 3, 5, 6}, {0, 2, 3, 6}], 4, {0, 1}),
        # {0,2,3,4} - {0,3,4} = person 2.
        ([{0, 2, 5}, {0, 2, 3, 4}, {0, 2, 3, 4}, {2, 4, 5}, {0, 3, 4}], 3, {2}),
        # Atoms {1,3,5}, {2,4}, {6}, {7} take (a+c, a+b, b+c, c) for a*g0 + b*g1 + c*g2; zero on the first
        # means a = -c, leaving (0, b-c, b+c, c): 0/1 only for c = 0, b = 1, which is {2,4,6}, three people.
        ([{1, 2, 3, 4, 5}, {2, 4, 6}, {1, 3, 5, 6, 7}], 3, None),
    ],
)
def test_breaches_that_need_the_residues_right(
    groups: list[set[int]], k: int, smallest: set[int] | None
) -> None:
    breach = find_breach(groups, k)
    if smallest is None:
        assert breach is None
    else:
        assert breach is not None and not breach.exhausted and 1 <= len(breach.members) < k
        assert in_span(breach.members, groups) and in_span(smallest, groups)


def test_a_set_the_search_finds_is_returned_only_when_the_exact_check_confirms_it() -> None:
    # One small atom of two people, limit 2: the search's only candidate is that atom.
    reduced = disclosure._reduced_residues({0: {0: 1}})
    assert reduced is not None
    assert disclosure._Search(reduced, [2], 2, 100).run(lambda found: True) == [0]
    assert disclosure._Search(reduced, [2], 2, 100).run(lambda found: False) is None


def test_the_hidden_organisation_s_total_cannot_be_worked_out_from_the_released_ones() -> None:
    # The AAABBBC wave with a score each: C's one person scored 1. Released as planned: the whole wave, the
    # sector (everyone) and B, totals 23, 23 and 10. Had A (12) been shown as well, 23 - 12 - 10 = 1.
    scores = [4, 5, 3, 2, 4, 4, 1]
    attributes = {"org": list("AAABBBC"), "sector": ["x"] * 7}
    shown = plan(attributes, {"trust": [True] * 7}, {}, 3)
    members = {
        W: set(range(7)),
        **{
            (by, v): {i for i, x in enumerate(values) if x == v}
            for by, values in attributes.items()
            for v in values
        },
    }
    released = {key: sum(scores[i] for i in members[key]) for key in shown.cells["trust"]}
    assert released == {W: 23, ("sector", "x"): 23, org("B"): 10}
    # The attacker's question, by hand: is person 6 alone a sum of the released groups with any factors?
    # Every released group holds A's three people and person 6 together or none of them, so any
    # combination has the same factor on persons 0, 1, 2 and 6: never person 6 alone.
    rows = [[1 if i in members[key] else 0 for i in range(7)] for key in released]
    assert all(row[0] == row[1] == row[2] == row[6] for row in rows)
    assert not in_span({6}, [members[key] for key in released])
    assert in_span({6}, [members[key] for key in [*released, org("A")]])  # with A it could be


def test_whole_shown_still_counts_an_earlier_release_of_the_whole_wave() -> None:
    # An earlier release showed the whole wave when it was people 0-3. Now seven: A = {0,1,2}, B = {3,..,6}.
    # That earlier count (4) minus A (3) is person 3, so A cannot be shown; and B minus (now - then) =
    # B - {4,5,6} is person 3 again, so B cannot either. (Until this was fixed, `whole_shown` dropped the
    # earlier release of the whole wave from the check and showed both.)
    earlier = [Release(members=frozenset(range(4)), shown=Shown(groups={W}, cells={"trust": {W}}))]
    for whole_shown in (True, False):
        shown = plan(
            {"org": list("AAABBBB")}, {"trust": [True] * 7}, {}, 3, earlier=earlier, whole_shown=whole_shown
        )
        assert org("A") not in shown.groups and org("B") not in shown.groups
        assert org("A") not in shown.cells["trust"] and org("B") not in shown.cells["trust"]
    shown = plan({"org": list("AAABBBB")}, {"trust": [True] * 7}, {}, 3, earlier=earlier, whole_shown=True)
    assert shown == Shown(groups={W}, cells={"trust": {W}})
