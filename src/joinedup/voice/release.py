"""What of a partnership's feedback may be shown: the same disclosure control as every survey
(`analysis.disclosure.plan`), over every group released together.

Groups: every complete month (all forms together), every form (service) over the whole period, every form's
month, and the whole period (hidden only as a last resort). Each statement's answers are a cell of each group.
A month is released once it has ended; the release at the end of each month is checked together with the
releases before it (`earlier`), so that the whole period's total now minus its total a month ago cannot give
away a month that is hidden. The releases are worked out again from the dated answers, which never change
once sent, so nothing about them needs keeping.

Plain Python over plain rows, no Django: the pages, the API, the CSV and the tests all call `release`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from joinedup.analysis.disclosure import WHOLE, Release, Shown, plan

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
    attributes: dict[str, list[Any]] = {
        MONTH: [r.month for r in rows],
        SERVICE: [r.form for r in rows],
        SERVICE_MONTH: [service_month(r.form, r.month) for r in rows],
    }
    scored = {statement_cell(s): [s in r.statements for r in rows] for s in statements}
    return plan(attributes, scored, {}, k, earlier=earlier)


def release(rows: Sequence[Row], statements: Sequence[str], k: int) -> Shown:
    """What may be shown of `rows` (answers of complete months only), released month by month: each month's
    release checked with every release before it."""
    ordered = sorted(rows, key=lambda r: r.month)
    months = sorted({r.month for r in ordered})
    earlier: list[Release] = []
    shown = Shown()
    for month in months:
        upto = [r for r in ordered if r.month <= month]
        shown = _plan(upto, statements, k, earlier)
        earlier.append(Release(frozenset(range(len(upto))), shown))
    return shown


def whole_key() -> tuple[str, None]:
    return (WHOLE, None)
