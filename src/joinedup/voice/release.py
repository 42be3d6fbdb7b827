"""What of a partnership's feedback may be shown: the same disclosure control as every survey
(`analysis.disclosure`: `plan`'s rule, through `suppress`), over every group released together.

Groups: every complete month (all forms together), every form (service) over the whole period, every form's
month, and the whole period (hidden only as a last resort). Each statement's answers are a cell of each group.
A month is released once it has ended; the release at the end of each month is checked together with the
releases before it (`earlier`), so that the whole period's total now minus its total a month ago cannot give
away a month that is hidden. Each month's release is kept (`FeedbackRelease`) once made, so it is worked out
once and never taken back.

Plain Python over plain rows, no Django: the pages, the API, the CSV (through `selectors.results`), the kept
releases (`services.releases_make`) and the tests all call `release_chain`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from joinedup.analysis.disclosure import WHOLE, Release, Shown, suppress

GroupKey = tuple[str, Any]

MONTH = "month"
SERVICE = "service"
SERVICE_MONTH = "service_month"


@dataclass(frozen=True)
class Row:
    form: int
    month: str  # "2026-03"
    overall: str
    statements: dict[str, str] = field(default_factory=dict)


def statement_cell(key: str) -> str:
    return f"statement:{key}"


def service_month(form: int, month: str) -> str:
    return f"{form}:{month}"


def _plan(rows: Sequence[Row], statements: Sequence[str], k: int, earlier: Sequence[Release]) -> Shown:
    """What may be shown of `rows`, released together with the `earlier` releases: `analysis.disclosure.plan`'s
    rule, with one saving. A group whose members are exactly those of a group released before is shown again
    (it tells nothing new: it is public already) and is not a candidate; the earlier groups, restricted to the
    members they had, are the fixed groups of the check, each distinct set once."""
    n = len(rows)
    if n < k:
        return Shown()
    members: dict[GroupKey, frozenset[int]] = {(WHOLE, None): frozenset(range(n))}
    for by, value_of in (
        (MONTH, lambda r: r.month),
        (SERVICE, lambda r: r.form),
        (SERVICE_MONTH, lambda r: service_month(r.form, r.month)),
    ):
        grouped: dict[Any, set[int]] = {}
        for i, r in enumerate(rows):
            grouped.setdefault(value_of(r), set()).add(i)
        members.update({(by, value): frozenset(people) for value, people in grouped.items()})

    def fixed_of(pick: Any, within: frozenset[int]) -> set[frozenset[int]]:
        found = {
            release.members & members.get(key, frozenset()) & within
            for release in earlier
            for key in pick(release.shown)
        }
        return {f for f in found if f}

    everyone = frozenset(range(n))
    fixed = fixed_of(lambda shown: shown.groups, everyone)
    again = {key for key, people in members.items() if people in fixed}
    candidates = {key: people for key, people in members.items() if key not in again}
    hidden = suppress(candidates, k, fixed=sorted(fixed, key=sorted), last=[(WHOLE, None)])
    shown = Shown(groups=set(members) - hidden)
    for statement in statements:
        cell = statement_cell(statement)
        with_answer = frozenset(i for i, r in enumerate(rows) if statement in r.statements)
        cells = {key: people & with_answer for key, people in members.items()}
        fixed_cells = fixed_of(lambda s, c=cell: s.cells.get(c, set()), with_answer)
        again_cells = {key for key, people in cells.items() if people in fixed_cells and key not in hidden}
        hide = suppress(
            {key: people for key, people in cells.items() if key not in again_cells},
            k,
            fixed=sorted(fixed_cells, key=sorted),
            hidden=hidden,
            last=[(WHOLE, None)],
        )
        shown.cells[cell] = set(cells) - hide
    return shown


def release_chain(
    rows: Sequence[Row], statements: Sequence[str], k: int, stored: Mapping[str, Shown] | None = None
) -> dict[str, Shown]:
    """Every month's release, by the last month it includes: those in `stored` (made before: they cannot be
    taken back) as they are, the others worked out in order, each checked with every release before it."""
    stored = stored or {}
    ordered = sorted(rows, key=lambda r: r.month)
    out: dict[str, Shown] = {}
    earlier: list[Release] = []
    upto = 0
    for month in sorted({r.month for r in ordered}):
        while upto < len(ordered) and ordered[upto].month <= month:
            upto += 1
        shown = stored.get(month)
        if shown is None:
            shown = _plan(ordered[:upto], statements, k, earlier)
        out[month] = shown
        earlier.append(Release(frozenset(range(upto)), shown))
    return out


def release(rows: Sequence[Row], statements: Sequence[str], k: int) -> Shown:
    """What may be shown of `rows` (answers of complete months only) after the release of its last month."""
    chain = release_chain(rows, statements, k)
    return chain[max(chain)] if chain else Shown()


def whole_key() -> tuple[str, None]:
    return (WHOLE, None)
