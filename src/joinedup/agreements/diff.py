"""Clause-by-clause difference between two versions (pure: works on VersionContent, no queries).

Clauses are matched by kind and by their place among the clauses of that kind (the first "risk share"
clause with the first, and so on), so moving a clause does not make it look rewritten. Changed clauses
carry a word diff (difflib). Structured fields and contributions are compared too.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from joinedup.agreements.content import FIELD_NAMES, ClauseData, ContributionData, VersionContent

ClauseStatus = Literal["added", "removed", "changed", "unchanged"]
WordOp = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class ClauseDiff:
    kind: str
    occurrence: int  # 1 for the first clause of this kind, 2 for the second ...
    status: ClauseStatus
    old: ClauseData | None
    new: ClauseData | None
    words: tuple[
        tuple[WordOp, str], ...
    ] = ()  # for changed clauses: runs of equal / inserted / deleted words


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ContributionChange:
    status: Literal["added", "removed", "changed"]
    old: ContributionData | None
    new: ContributionData | None


@dataclass(frozen=True)
class VersionDiff:
    clauses: tuple[ClauseDiff, ...]
    fields: tuple[FieldChange, ...]
    contributions: tuple[ContributionChange, ...]
    labels: Mapping[str, str] = field(default_factory=dict)  # optional names for pages (e.g. organisations)

    @property
    def changed_clauses(self) -> tuple[ClauseDiff, ...]:
        return tuple(c for c in self.clauses if c.status != "unchanged")

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_clauses or self.fields or self.contributions)


def word_diff(old: str, new: str) -> tuple[tuple[WordOp, str], ...]:
    a, b = old.split(), new.split()
    runs: list[tuple[WordOp, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("insert", " ".join(b[j1:j2])))
    return tuple(runs)


def _keyed(clauses: tuple[ClauseData, ...]) -> list[tuple[tuple[str, int], ClauseData]]:
    seen: dict[str, int] = {}
    keyed = []
    for clause in sorted(clauses, key=lambda c: c.order):
        seen[clause.kind] = seen.get(clause.kind, 0) + 1
        keyed.append(((clause.kind, seen[clause.kind]), clause))
    return keyed


def _clause_diffs(old: VersionContent, new: VersionContent) -> list[ClauseDiff]:
    old_keyed, new_keyed = _keyed(old.clauses), _keyed(new.clauses)
    old_by_key = dict(old_keyed)
    new_keys = {k for k, _ in new_keyed}
    result: list[ClauseDiff] = []
    for (kind, n), clause in new_keyed:
        before = old_by_key.get((kind, n))
        if before is None:
            result.append(ClauseDiff(kind, n, "added", None, clause))
        elif before.text == clause.text:
            result.append(ClauseDiff(kind, n, "unchanged", before, clause))
        else:
            result.append(ClauseDiff(kind, n, "changed", before, clause, word_diff(before.text, clause.text)))
    # removed clauses go just after the clause that came before them in the old version
    previous_key: tuple[str, int] | None = None
    for key, clause in old_keyed:
        if key not in new_keys:
            at = 0
            if previous_key is not None:
                at = next(
                    (i + 1 for i, d in enumerate(result) if (d.kind, d.occurrence) == previous_key),
                    len(result),
                )
            result.insert(at, ClauseDiff(key[0], key[1], "removed", clause, None))
        previous_key = key
    return result


def _contribution_changes(old: VersionContent, new: VersionContent) -> list[ContributionChange]:
    def slot(c: ContributionData) -> Hashable:
        return (c.organisation_id, c.kind, c.unit, c.period)

    def grouped(items: tuple[ContributionData, ...]) -> dict[Hashable, list[ContributionData]]:
        groups: dict[Hashable, list[ContributionData]] = {}
        for c in items:
            groups.setdefault(slot(c), []).append(c)
        return groups

    before, after = grouped(old.contributions), grouped(new.contributions)
    changes: list[ContributionChange] = []
    for key in [*before, *(k for k in after if k not in before)]:
        olds, news = list(before.get(key, [])), list(after.get(key, []))
        for c in list(olds):  # identical ones cancel out
            if c in news:
                olds.remove(c)
                news.remove(c)
        while olds and news:
            changes.append(ContributionChange("changed", olds.pop(0), news.pop(0)))
        changes.extend(ContributionChange("removed", c, None) for c in olds)
        changes.extend(ContributionChange("added", None, c) for c in news)
    return changes


def versions_diff(
    old: VersionContent, new: VersionContent, *, labels: Mapping[str, str] | None = None
) -> VersionDiff:
    """What changed from `old` to `new`: clauses, structured fields and contributions."""
    fields = tuple(
        FieldChange(name, old.fields.get(name), new.fields.get(name))
        for name in FIELD_NAMES
        if old.fields.get(name) != new.fields.get(name)
    )
    return VersionDiff(
        clauses=tuple(_clause_diffs(old, new)),
        fields=fields,
        contributions=tuple(_contribution_changes(old, new)),
        labels=dict(labels or {}),
    )
