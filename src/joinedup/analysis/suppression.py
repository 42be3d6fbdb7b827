"""Small-group suppression for breakdowns of assessment results.

"n" here is a count of respondents: for a group, the respondents in it (everyone whose attribute has
that value, whether or not they answered); for one dimension within a group (a "cell"), the respondents
with a score on that dimension.

Rule: a group (or cell) with n < k is suppressed, and then the next-smallest shown ones are suppressed
too until the suppressed total is 0 or at least k. So nobody can subtract the shown groups from the
total (or from each other) and recover figures about fewer than k people. This includes, and is
slightly stronger than, "when exactly one group is suppressed, the next-smallest is suppressed too":
two suppressed groups of 1 and 2 people would otherwise reveal the combined result of 3 people.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

DEFAULT_MIN_GROUP = 5
SMALLEST_MIN_GROUP = 3

G = TypeVar("G", bound=Hashable)


class MinGroupError(ValueError):
    pass


def check_min_group(k: int) -> int:
    if k < SMALLEST_MIN_GROUP:
        raise MinGroupError(f"the minimum group size must be at least {SMALLEST_MIN_GROUP} (got {k})")
    return k


def suppressed_groups(sizes: Mapping[G, int], k: int, *, already: Iterable[G] = ()) -> set[G]:
    """The groups to suppress, given each group's n. `already` are hidden whatever their size
    (used for the cells of a group that is itself suppressed)."""
    check_min_group(k)
    hidden = {group for group, n in sizes.items() if n < k} | set(already)
    hidden_total = sum(sizes[group] for group in hidden)
    shown = sorted((g for g in sizes if g not in hidden), key=lambda g: (sizes[g], str(g)))
    for group in shown:
        if hidden_total == 0 or hidden_total >= k:
            break
        hidden.add(group)
        hidden_total += sizes[group]
    return hidden
