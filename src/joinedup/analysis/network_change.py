"""Change in a relationship network between two waves: ties gained, lost and kept, and per-organisation change.

    change = tie_change(before, after, observed={...})
    rows = organisation_change(before_measures, after_measures)

Ties are ordered pairs (source, target) of organisation keys that are stable across waves (register ids).
A tie's source is the organisation that reported it. When `observed` is given (the organisations that answered
in both waves), only ties reported by those organisations are compared: a tie "lost" because its reporter did
not answer the second time is not a lost tie, it is unknown, and is counted apart as not comparable.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MEASURES = ("in_degree", "out_degree", "betweenness", "trust", "value")


@dataclass(frozen=True)
class TieChange:
    gained: list[tuple[Any, Any]]
    lost: list[tuple[Any, Any]]
    kept: list[tuple[Any, Any]]
    jaccard: float | None  # |kept| / |before ∪ after| over the compared ties; None if both are empty
    not_comparable: int  # ties whose reporter did not answer in both waves


def tie_change(
    before: Iterable[tuple[Hashable, Hashable]],
    after: Iterable[tuple[Hashable, Hashable]],
    *,
    observed: Iterable[Hashable] | None = None,
) -> TieChange:
    a: set[tuple[Any, Any]] = {(t[0], t[1]) for t in before if t[0] != t[1]}
    b: set[tuple[Any, Any]] = {(t[0], t[1]) for t in after if t[0] != t[1]}
    not_comparable = 0
    if observed is not None:
        seen = set(observed)
        outside = {t for t in a | b if t[0] not in seen}
        not_comparable = len(outside)
        a, b = a - outside, b - outside
    union = a | b
    return TieChange(
        gained=sorted(b - a, key=repr),
        lost=sorted(a - b, key=repr),
        kept=sorted(a & b, key=repr),
        jaccard=len(a & b) / len(union) if union else None,
        not_comparable=not_comparable,
    )


@dataclass(frozen=True)
class OrganisationChange:
    key: Any
    in_before: bool
    in_after: bool
    before: dict[str, float | None]
    after: dict[str, float | None]
    change: dict[str, float | None]  # after - before; None where either side is missing


def organisation_change(
    before: Mapping[Hashable, Mapping[str, float | int | None]],
    after: Mapping[Hashable, Mapping[str, float | int | None]],
    *,
    measures: tuple[str, ...] = MEASURES,
) -> list[OrganisationChange]:
    """Per organisation (in either wave), each measure before and after and the change, in key order of
    first appearance (before's keys, then keys new in after)."""
    keys = list(before) + [k for k in after if k not in before]
    rows = []
    for key in keys:
        old = {m: _number(before.get(key, {}).get(m)) for m in measures}
        new = {m: _number(after.get(key, {}).get(m)) for m in measures}
        change = {
            m: (new[m] - old[m]) if (new[m] is not None and old[m] is not None) else None  # type: ignore[operator]
            for m in measures
        }
        rows.append(
            OrganisationChange(
                key=key, in_before=key in before, in_after=key in after, before=old, after=new, change=change
            )
        )
    return rows


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if value != value else value  # NaN -> None
