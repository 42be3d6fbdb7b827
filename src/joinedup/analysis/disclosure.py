"""Disclosure control: which released figures must be hidden so that nobody can work out what a person said.

A released "group" is a set of respondents whose count and totals (a mean with its n, an SD, an answer
histogram) are published. Whoever reads several groups can add and subtract them: a sector minus its shown
organisations, the whole wave minus every shown group, this release minus the last one. A set of respondents S
is *derivable* when its indicator vector is a linear combination (rational coefficients) of the released
groups' indicators; then S's count and totals follow from the published ones. The rule (DESIGN.md §6):

    no set of 1 .. k-1 respondents is derivable from everything released for a wave, together.

How it is checked, exactly (integer arithmetic; no floating point):

1. Respondents with the same membership in every released group form an *atom*; a derivable set is a union
   of atoms (an atom can never be split by adding and subtracting groups).
2. Atoms of k or more people are "large"; a derivable set of fewer than k people contains none of them. The
   group vectors are put in row echelon form over the integers with the large atoms' columns first, so the
   rows whose pivot is a small atom span exactly the derivable vectors that are zero on every large atom (V).
   V = {0} is the common case, and then nothing small is derivable.
3. Otherwise V is brought to reduced row echelon form, as residues modulo the prime 2^31 - 1 (the integer
   pivots are checked to be non-zero modulo it, so the residues have the same pivots and the same 0/1
   vectors). A 0/1 vector x in V is the sum of the rows whose pivot column is 1 in x, so a depth-first search
   over sets of rows (pivot atoms of fewer than k people in all) finds every derivable union of atoms of
   1 .. k-1 people, checking each column as soon as no later row can change it. An exact value of 0 or 1 has
   residue 0 or 1, so nothing is missed; each set found is confirmed exactly against the integer rows.

Suppression: every group of fewer than k people is hidden; then, while a small set is derivable, the smallest
shown group that a derivation of it uses (smallest first, ties by key) is hidden too, and the check is
repeated; finally each group hidden on the way is put back if the release stays safe without hiding it.
Groups released before (`fixed`, e.g. an earlier release of the same wave) cannot be taken back, so they stay
in the check and only new groups are hidden. With every new group hidden, only the earlier releases remain,
which were safe, so the loop always ends with a safe release.

Bound: the echelon form costs O(groups^2 x atoms) integer operations (3,000 respondents in 70 groups of four
breakdowns: about a second, the worst case being every atom a single person). The search visits at most sum over j < k of C(dim V, j) sets of rows, and stops
at `budget` visits (200,000 by default); a search that runs out of budget counts as a breach, so the answer is
then conservative (more is hidden), never unsafe.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from joinedup.analysis.suppression import (
    DEFAULT_MIN_GROUP,
    SMALLEST_MIN_GROUP,
    MinGroupError,
    check_min_group,
)

__all__ = [
    "DEFAULT_MIN_GROUP",
    "SEARCH_BUDGET",
    "SMALLEST_MIN_GROUP",
    "WHOLE",
    "Breach",
    "MinGroupError",
    "Release",
    "Shown",
    "find_breach",
    "in_span",
    "plan",
    "suppress",
]

SEARCH_BUDGET = 200_000

K = TypeVar("K", bound=Hashable)
Row = dict[int, int]


@dataclass(frozen=True)
class Breach:
    """A set of fewer than k respondents derivable from the groups (or, when `exhausted`, the search ran out
    of budget and `members` is a set that may be: the caller treats it as derivable)."""

    members: frozenset[int]
    exhausted: bool = False


def _atoms(groups: Sequence[Collection[int]]) -> list[list[int]]:
    """Respondents grouped by their membership of every group (respondents in no group are left out)."""
    signature: dict[int, list[int]] = {}
    for index, members in enumerate(groups):
        for person in members:
            signature.setdefault(person, []).append(index)
    atoms: dict[tuple[int, ...], list[int]] = {}
    for person, memberships in signature.items():
        atoms.setdefault(tuple(memberships), []).append(person)
    return [sorted(people) for _, people in sorted(atoms.items())]


def _combine(a: int, row: Row, b: int, other: Row) -> Row:
    """a * row - b * other, divided by the gcd of its entries (kept positive at its first column)."""
    out = {c: a * v for c, v in row.items()}
    for c, v in other.items():
        updated = out.get(c, 0) - b * v
        if updated:
            out[c] = updated
        else:
            out.pop(c, None)
    return _normalised(out)


def _normalised(row: Row) -> Row:
    if not row:
        return row
    divisor = math.gcd(*row.values())
    if row[min(row)] < 0:
        divisor = -divisor
    return {c: v // divisor for c, v in row.items()} if divisor != 1 else row


def _reduce(row: Row, pivots: dict[int, Row]) -> Row:
    """`row` minus multiples of the pivot rows until its first column is not a pivot (or it is zero)."""
    while row:
        column = min(row)
        pivot = pivots.get(column)
        if pivot is None:
            return row
        row = _combine(pivot[column], row, row[column], pivot)
    return row


def _echelon(rows: Iterable[Row]) -> dict[int, Row]:
    """Row echelon form over the integers (each row divided by its gcd, so it is the rational row echelon
    form up to a positive factor per row): pivot column -> row, 0 at every earlier column."""
    pivots: dict[int, Row] = {}
    for row in rows:
        reduced = _reduce(row, pivots)
        if reduced:
            pivots[min(reduced)] = reduced
    return pivots


def _reduced(pivots: dict[int, Row]) -> dict[int, Row]:
    """Reduced row echelon form (over the integers) of echelon rows: each pivot column is 0 in every other row."""
    rows = dict(pivots)
    for column in sorted(rows, reverse=True):
        pivot = rows[column]
        for other_column, other in rows.items():
            if other_column != column and column in other:
                rows[other_column] = _combine(pivot[column], other, other[column], pivot)
    return rows


PRIME = 2_147_483_647  # 2^31 - 1: a product of two residues fits in int64


def _reduced_residues(rows: dict[int, Row]) -> tuple[list[int], list[int], np.ndarray] | None:
    """The reduced row echelon form, modulo PRIME, of echelon rows over the integers: (pivot columns, columns,
    residues). None if a pivot is a multiple of PRIME (then the residues would not have the same pivots)."""
    order = sorted(rows)
    columns = sorted({c for row in rows.values() for c in row})
    position = {c: i for i, c in enumerate(columns)}
    matrix = np.zeros((len(order), len(columns)), dtype=np.int64)
    for i, pivot in enumerate(order):
        for c, v in rows[pivot].items():
            matrix[i, position[c]] = v % PRIME
    for i, pivot in enumerate(order):
        j = position[pivot]
        lead = int(matrix[i, j])
        if lead == 0:
            return None
        matrix[i] = matrix[i] * pow(lead, -1, PRIME) % PRIME
        factors = matrix[:, j].copy()
        factors[i] = 0
        touched = np.nonzero(factors)[0]
        if len(touched):
            matrix[touched] = (matrix[touched] - np.outer(factors[touched], matrix[i]) % PRIME) % PRIME
    return order, columns, matrix


class _Search:
    """Depth-first search for a 0/1 vector of weight 1 .. limit in the span of the RREF rows (residues).

    A 0/1 vector x of the span is the sum of the rows whose pivot is 1 in x, so the search chooses a set of
    rows (their pivots' people count towards the weight) and keeps the sum as residues: a column whose exact
    value is 0 or 1 has residue 0 or 1, so pruning on residues never loses a solution. A column is checked
    as soon as no later row touches it. A leaf is returned as the columns whose residue is 1; the caller checks
    it exactly."""

    def __init__(
        self, reduced: tuple[list[int], list[int], np.ndarray], sizes: list[int], limit: int, budget: int
    ) -> None:
        self.order, columns, self.residues = reduced
        self.columns = np.array(columns, dtype=np.int64)
        self.sizes = sizes
        self.column_sizes = np.array([sizes[c] for c in columns], dtype=np.int64)
        self.limit = limit  # the largest weight that is a breach (k - 1)
        self.budget = budget
        self.visits = 0
        self.exhausted = False
        pivot_positions = set(np.searchsorted(self.columns, self.order).tolist())
        # For each depth, the non-pivot columns no later row touches: they are final after that depth.
        self.final_at: list[np.ndarray] = []
        touched = self.residues != 0
        last = np.full(len(columns), -1)
        for depth in range(len(self.order)):
            last[touched[depth]] = depth
        for position in pivot_positions:
            last[position] = -1
        for depth in range(len(self.order)):
            self.final_at.append(np.nonzero(last == depth)[0])
        self.check: Callable[[list[int]], bool] = lambda found: True

    def run(self, check: Callable[[list[int]], bool]) -> list[int] | None:
        self.check = check
        return self._visit(0, np.zeros(len(self.columns), dtype=np.int64), 0, False)

    def _visit(self, depth: int, total: np.ndarray, weight: int, chosen: bool) -> list[int] | None:
        self.visits += 1
        if self.visits > self.budget:
            self.exhausted = True
            return None
        if depth == len(self.order):
            if not chosen:
                return None
            found = self.columns[total == 1].tolist()
            return found if self.check(found) else None
        options = []
        pivot_size = self.sizes[self.order[depth]]
        if weight + pivot_size <= self.limit:
            options.append(((total + self.residues[depth]) % PRIME, weight + pivot_size, True))
        options.append((total, weight, chosen))
        for new_total, new_weight, new_chosen in options:
            settled = self._settle(depth, new_total, new_weight)
            if settled is None:
                continue
            found = self._visit(depth + 1, new_total, settled, new_chosen)
            if found is not None or self.exhausted:
                return found
        return None

    def _settle(self, depth: int, total: np.ndarray, weight: int) -> int | None:
        """The weight with the columns that are final at `depth` added, or None if one is not 0 or 1 or the
        weight is over the limit."""
        final = self.final_at[depth]
        if not len(final):
            return weight
        values = total[final]
        if np.any(values > 1):
            return None
        weight += int(self.column_sizes[final][values == 1].sum())
        return weight if weight <= self.limit else None


def find_breach(groups: Sequence[Collection[int]], k: int, *, budget: int = SEARCH_BUDGET) -> Breach | None:
    """A set of 1 .. k-1 respondents derivable by adding and subtracting `groups`, or None if there is none."""
    check_min_group(k)
    atoms = _atoms(groups)
    # Large atoms first: a derivable set of fewer than k people is zero on all of them.
    atoms.sort(key=lambda people: len(people) < k)
    sizes = [len(people) for people in atoms]
    first_small = next((i for i, n in enumerate(sizes) if n < k), len(sizes))
    column_of = {person: c for c, people in enumerate(atoms) for person in people}
    pivots = _echelon(dict.fromkeys({column_of[p] for p in members}, 1) for members in groups)
    small = {c: row for c, row in pivots.items() if c >= first_small}
    if not small:
        return None

    def people(columns: Iterable[int]) -> frozenset[int]:
        return frozenset(p for c in columns for p in atoms[c])

    def derivable(columns: list[int]) -> bool:  # exact: the set reduces to zero against the echelon rows
        return not _reduce(dict.fromkeys(columns, 1), pivots)

    reduced = _reduced_residues(small)
    if reduced is None:
        return Breach(people(small[min(small)]), exhausted=True)
    search = _Search(reduced, sizes, k - 1, budget)
    found = search.run(derivable)
    if found is not None:
        return Breach(people(found))
    if search.exhausted:
        return Breach(people(small[min(small)]), exhausted=True)
    return None


def in_span(target: Collection[int], groups: Sequence[Collection[int]]) -> bool:
    """Whether the set `target` is derivable from `groups` (its indicator is in their span)."""
    people = sorted(set(target).union(*groups)) if groups else sorted(set(target))
    column = {p: i for i, p in enumerate(people)}
    pivots = _echelon({column[p]: 1 for p in members} for members in groups)
    return not _reduce({column[p]: 1 for p in target}, pivots)


def suppress(
    candidates: Mapping[K, Collection[int]],
    k: int,
    *,
    fixed: Sequence[Collection[int]] = (),
    hidden: Iterable[K] = (),
    last: Iterable[K] = (),
    budget: int = SEARCH_BUDGET,
) -> set[K]:
    """The keys of the candidate groups to hide so that, released together with the `fixed` groups (already
    published and never taken back), no set of 1 .. k-1 respondents is derivable. `hidden` are hidden whatever
    their size (the cells of a group that is itself hidden); `last` are hidden only when no other group will do
    (the whole wave: hiding it hides everything)."""
    check_min_group(k)
    out = {key for key, members in candidates.items() if len(members) < k} | set(hidden)
    final = set(last)
    order = sorted(candidates, key=lambda key: (key in final, len(candidates[key]), str(key)))
    sets = {key: frozenset(members) for key, members in candidates.items()}
    fixed_sets = [frozenset(m) for m in fixed if m]
    required = set(out)

    def breach_with(hide: set[K]) -> tuple[list[K], Breach | None]:
        shown = [key for key in order if key not in hide]
        return shown, find_breach([*fixed_sets, *(sets[key] for key in shown)], k, budget=budget)

    while True:
        shown, breach = breach_with(out)
        if breach is None or not shown:
            break
        out.add(_to_hide(breach, shown, sets, fixed_sets))
    # Put back what the greedy choice hid and no longer needs hiding (the last resorts and the largest first).
    for key in sorted(out - required, key=lambda key: (key not in final, -len(sets[key]), str(key))):
        if breach_with(out - {key})[1] is None:
            out.discard(key)
    return out


def _to_hide(
    breach: Breach, shown: list[K], sets: Mapping[K, frozenset[int]], fixed: list[frozenset[int]]
) -> K:
    """The first shown group (in `shown`'s order: smallest first, the last resorts at the end) that a
    derivation of the breach uses; the derivation is chosen to use the earlier releases and the first groups
    where it can. A search that ran out of budget found no derivation: the first group overlapping it."""
    if not breach.exhausted:
        coefficients = _derivation(breach.members, [*fixed, *(sets[key] for key in shown)])
        for index, key in enumerate(shown, start=len(fixed)):
            if coefficients.get(index):
                return key
    return next((key for key in shown if breach.members & sets[key]), shown[0])


def _derivation(target: frozenset[int], groups: Sequence[frozenset[int]]) -> dict[int, Fraction]:
    """Coefficients c (group index -> value) with sum c_g * group_g = target, preferring the first groups: the
    system has one equation per atom; groups are its unknowns, in order, and free unknowns are 0."""
    rhs = len(groups)
    equations: dict[tuple[int, ...], Row] = {}
    for person in set().union(*groups) | target:
        signature = tuple(i for i, members in enumerate(groups) if person in members)
        row = dict.fromkeys(signature, 1)
        if person in target:
            row[rhs] = 1
        equations.setdefault((*signature, person in target), row)
    solved = _reduced(_echelon(equations.values()))
    if rhs in solved:  # 0 = 1: not derivable after all
        return {}
    return {c: Fraction(row.get(rhs, 0), row[c]) for c, row in solved.items() if row.get(rhs)}


# --- a wave's release: the whole wave, its breakdowns, their cells per dimension, the statements ---------------

WHOLE = "__whole__"  # the breakdown key of the whole-wave group (its value is None)
GroupKey = tuple[str, Hashable]


@dataclass
class Shown:
    """What one release shows: groups as (breakdown, value) with (WHOLE, None) for the whole wave; per
    dimension, the groups whose cell (respondents with a score on it) is shown; the statements whose answer
    counts are shown."""

    groups: set[GroupKey] = field(default_factory=set)
    cells: dict[str, set[GroupKey]] = field(default_factory=dict)
    items: set[str] = field(default_factory=set)

    @property
    def whole(self) -> bool:
        return (WHOLE, None) in self.groups

    def to_dict(self) -> dict[str, Any]:
        def keys(found: set[GroupKey]) -> list[list[Any]]:
            return sorted(([by, value] for by, value in found), key=lambda bv: (bv[0], str(bv[1])))

        return {
            "groups": keys(self.groups),
            "cells": {dimension: keys(found) for dimension, found in sorted(self.cells.items())},
            "items": sorted(self.items),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Shown:
        def keys(rows: Iterable[Sequence[Any]]) -> set[GroupKey]:
            return {(str(by), value) for by, value in rows}

        return cls(
            groups=keys(data.get("groups", [])),
            cells={d: keys(rows) for d, rows in data.get("cells", {}).items()},
            items=set(data.get("items", [])),
        )


@dataclass(frozen=True)
class Release:
    """An earlier release of the same wave: its respondents (as indices of the current rows) and what it showed."""

    members: frozenset[int]
    shown: Shown


def plan(
    attributes: Mapping[str, Sequence[Hashable]],
    scored: Mapping[str, Sequence[bool]],
    answered: Mapping[str, Sequence[bool]],
    k: int,
    *,
    earlier: Sequence[Release] = (),
    whole_shown: bool = False,
    budget: int = SEARCH_BUDGET,
) -> Shown:
    """What may be shown of a wave whose respondents are rows 0 .. n-1, released together with the `earlier`
    releases: `attributes[by][i]` is respondent i's value for breakdown `by`; `scored[dimension][i]` whether
    they have a score on it; `answered[item][i]` whether they answered the statement (don't know included).

    `whole_shown=True` is for figures whose reader holds the answers anyway (`joinedup assess score` on one's own
    file): the whole wave is shown whatever its size, and still counts in the check of the breakdowns."""
    check_min_group(k)
    n = _rows(attributes, scored, answered)
    if n < k and not whole_shown:
        return Shown()
    members: dict[GroupKey, frozenset[int]] = {(WHOLE, None): frozenset(range(n))}
    for by, values in attributes.items():
        grouped: dict[Hashable, set[int]] = {}
        for i, value in enumerate(values):
            grouped.setdefault(value, set()).add(i)
        members.update({(by, value): frozenset(people) for value, people in grouped.items()})

    def before(pick: Callable[[Shown], Iterable[GroupKey]], within: frozenset[int]) -> list[frozenset[int]]:
        return [
            release.members & every_group.get(key, frozenset()) & within
            for release in earlier
            for key in pick(release.shown)
        ]

    everyone = frozenset(range(n))
    # An earlier release's groups as they are now, the whole wave included (`whole_shown` takes it out of
    # the candidates just below, but an earlier release of it still counts).
    every_group = dict(members)
    always = [members.pop((WHOLE, None))] if whole_shown else []
    fixed = [*always, *before(lambda s: s.groups, everyone)]
    hidden = suppress(members, k, fixed=fixed, last=[(WHOLE, None)], budget=budget)
    shown = Shown(groups=set(members) - hidden)
    if whole_shown:
        shown.groups.add((WHOLE, None))
    for dimension, flags in scored.items():
        with_score = frozenset(i for i, flag in enumerate(flags) if flag)
        cells = {key: members[key] & with_score for key in members}
        fixed = [m & with_score for m in always]
        fixed += before(lambda s, d=dimension: s.cells.get(d, set()), with_score)  # type: ignore[misc]
        hide = suppress(cells, k, fixed=fixed, hidden=hidden, last=[(WHOLE, None)], budget=budget)
        shown.cells[dimension] = set(cells) - hide
        if whole_shown:
            shown.cells[dimension].add((WHOLE, None))
    for item, flags in answered.items():
        people = frozenset(i for i, flag in enumerate(flags) if flag)
        if whole_shown:
            shown.items.add(item)
            continue
        fixed = [r.members & people for r in earlier if item in r.shown.items]
        if shown.whole and not suppress({item: people}, k, fixed=fixed, budget=budget):
            shown.items.add(item)
    return shown


def _rows(*columns: Mapping[str, Sequence[Any]]) -> int:
    lengths = {len(values) for mapping in columns for values in mapping.values()}
    if len(lengths) > 1:
        raise ValueError("every attribute and flag needs one value per respondent")
    return lengths.pop() if lengths else 0
