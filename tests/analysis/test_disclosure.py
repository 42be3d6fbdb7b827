"""Disclosure control attacked as an adversary would: every released group (whole wave, every breakdown, earlier
releases) added and subtracted, solved here independently with numpy ranks, never recovers 1 .. k-1 people."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.analysis.disclosure import WHOLE, Release, find_breach, plan


def attacker_recovers(groups: list[frozenset[int]], n: int, k: int) -> tuple[int, ...] | None:
    """Brute force: a set of 1 .. k-1 people whose indicator is in the span of the groups (numpy rank)."""
    if not groups:
        return None
    matrix = np.array([[1.0 if p in g else 0.0 for p in range(n)] for g in groups])
    rank = np.linalg.matrix_rank(matrix)
    for size in range(1, k):
        for people in itertools.combinations(range(n), size):
            row = np.zeros(n)
            row[list(people)] = 1
            if np.linalg.matrix_rank(np.vstack([matrix, row])) == rank:
                return people
    return None


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 10),
    st.sampled_from([3, 4, 5]),
    st.lists(st.lists(st.booleans(), min_size=10, max_size=10), max_size=6),
)
def test_find_breach_agrees_with_brute_force(n: int, k: int, flags: list[list[bool]]) -> None:
    groups = [frozenset(p for p in range(n) if row[p]) for row in flags]
    breach = find_breach(groups, k)
    assert (breach is None) == (attacker_recovers(groups, n, k) is None)
    if breach is not None:
        assert 1 <= len(breach.members) < k


def released(
    attributes: dict[str, list[str]], shown_groups: set, members: frozenset[int]
) -> list[frozenset[int]]:
    out = []
    for by, value in shown_groups:
        if by == WHOLE:
            out.append(members)
        else:
            out.append(frozenset(i for i in members if attributes[by][i] == value))
    return out


@st.composite
def waves(draw: st.DrawFn) -> tuple[int, dict[str, list[str]]]:
    n = draw(st.integers(0, 12))
    attributes = {
        by: draw(st.lists(st.sampled_from(values), min_size=n, max_size=n))
        for by, values in {"organisation": "ABCD", "sector": "xy", "role": "fm"}.items()
    }
    return n, attributes


@settings(max_examples=60, deadline=None)
@given(waves(), st.integers(0, 12))
def test_no_small_set_is_recovered_from_two_releases_and_every_breakdown(wave, first) -> None:
    n, attributes = wave
    k = 3
    first = min(first, n)
    # The first release counted the first `first` people; the second everyone, checked together with it.
    one = plan({by: v[:first] for by, v in attributes.items()}, {}, {}, k)
    earlier = [Release(members=frozenset(range(first)), shown=one)] if one.groups else []
    two = plan(attributes, {}, {}, k, earlier=earlier)
    groups = released(attributes, two.groups, frozenset(range(n)))
    if earlier:
        groups += released(attributes, one.groups, frozenset(range(first)))
    assert attacker_recovers([g for g in groups if g], n, k) is None
    if n < k:
        assert not two.groups  # nothing of a wave below k
