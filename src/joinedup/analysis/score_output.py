"""Writing a ScoreReport as CSV or as plain-English text (JSON is `ScoreReport.to_dict`).

The CSV is one table: the whole-wave row per dimension (by and group empty), then one row per
dimension and group of every breakdown. Suppressed groups and cells appear with `suppressed` set
and every number empty, exactly as in the JSON; gaps are in the JSON and the text output.
"""

from __future__ import annotations

import io
from typing import Any

from joinedup.analysis.instruments import Instrument
from joinedup.analysis.safe_cells import safe_writer
from joinedup.analysis.scoring import DimensionResult, ScoreReport

CSV_COLUMNS = [
    "by", "group", "group_n", "suppressed", "dimension", "n", "mean", "sd", "ci_low", "ci_high", "rwg", "band",
]  # fmt: skip


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_csv(report: ScoreReport) -> str:
    out = io.StringIO()
    writer = safe_writer(out, lineterminator="\n")  # group names are text people typed
    writer.writerow(CSV_COLUMNS)

    def dimension_row(by: str, group: Any, group_n: Any, suppressed: bool, d: DimensionResult) -> list[Any]:
        numbers = [d.n, d.mean, d.sd, d.ci_low, d.ci_high, d.rwg, d.band]
        return [_cell(v) for v in [by, group, group_n, suppressed or d.suppressed, d.key, *numbers]]

    for d in report.dimensions:
        writer.writerow(dimension_row("", "", report.respondents, False, d))
    for by, groups in report.groups.items():
        for g in groups:
            if g.suppressed:
                writer.writerow([_cell(v) for v in [by, g.group, None, True]] + [""] * 8)
            for d in g.dimensions:
                writer.writerow(dimension_row(by, g.group, g.n, False, d))
    return out.getvalue()


def _f(value: float | None, places: int = 2) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]  # fmt: skip
    return "\n".join(line.rstrip() for line in lines)


def _dimension_rows(instrument: Instrument, dims: list[DimensionResult]) -> list[list[str]]:
    rows = [["Dimension", "n", "mean", "SD", "95% CI", "rwg(J)", "band"]]
    for d in dims:
        title = instrument.dimension(d.key).title
        if d.suppressed:
            rows.append([title, "-", "hidden (too few answers)", "", "", "", ""])
            continue
        ci = "-" if d.ci_low is None else f"{_f(d.ci_low)} to {_f(d.ci_high)}"
        rows.append([title, str(d.n), _f(d.mean), _f(d.sd), ci, _f(d.rwg), d.band or "-"])
    return rows


def to_text(report: ScoreReport, instrument: Instrument, min_group: int) -> str:
    parts = [
        f"{instrument.title} ({instrument.key}, version {instrument.version})",
        f"{report.respondents} respondents. Scale {instrument.scale.min} to {instrument.scale.max}.",
        "",
        _table(_dimension_rows(instrument, report.dimensions)),
    ]
    for by, groups in report.groups.items():
        parts += ["", f"By {by} (groups of fewer than {min_group} people are hidden, with the next smallest)"]
        for g in groups:
            name = "(not given)" if g.group is None else str(g.group)
            if g.suppressed:
                parts += ["", f"{name}: hidden to protect a small group"]
                continue
            parts += ["", f"{name}: {g.n} respondents", _table(_dimension_rows(instrument, g.dimensions))]
    if report.groups:
        flagged = [gap for gap in report.gaps if gap.to_discuss]
        parts += ["", "Gaps to discuss (difference of 0.75 or more, p < 0.05):"]
        if not flagged:
            parts.append("  none")
        for gap in flagged:
            parts.append(
                f"  {instrument.dimension(gap.dimension).title}: {gap.high} {_f(gap.difference)} higher than "
                f"{gap.low} (by {gap.by}, p = {_f(gap.p_value, 3)})"
            )
    return "\n".join(parts) + "\n"
