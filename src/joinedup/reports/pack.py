"""What a review pack holds, as plain data: sections of sentences, tables and charts. The selectors fill it from
the figures the pages show (already through disclosure control); the renderers (`render.py`: HTML and PDF;
`spreadsheet.py`: XLSX) only lay it out, so the web page, the PDF and the spreadsheet hold the same figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


class Hidden:
    """A figure disclosure control holds back: shown as SYMBOL, explained by KEY (never a number)."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()
SYMBOL = "[c]"
KEY = (
    "Hidden to protect confidentiality: too few people answered in this group, or showing the figure "
    "would let someone work out a hidden one."
)

Cell = str | int | float | datetime.date | Hidden | None


@dataclass
class Table:
    key: str  # short and unique in the pack: the spreadsheet's sheet name (31 characters at most)
    title: str
    note: str  # one sentence saying what the numbers mean
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def has_hidden(self) -> bool:
        return any(isinstance(cell, Hidden) for row in self.rows for cell in row)


@dataclass
class Chart:
    title: str
    description: (
        str  # what the chart shows, for those who cannot see it (the table beside it has the figures)
    )
    spec: dict[str, Any]  # a Vega-Lite spec, as the pages draw it


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Pack:
    title: str
    partnership: str
    organisation: str | None  # a partner's governance pack: the member organisation it is for
    made_at: datetime.datetime
    made_for: str  # whose view of the records it is ("the command line" for `joinedup report`)
    computed_at: datetime.datetime
    sections: list[Section] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    @property
    def has_hidden(self) -> bool:
        return any(table.has_hidden for table in self.tables)


def cell_text(cell: Cell) -> str:
    """A cell as the HTML and PDF show it."""
    if isinstance(cell, Hidden):
        return SYMBOL
    if cell is None:
        return "—"
    if isinstance(cell, datetime.date):
        return f"{cell.day} {cell:%B %Y}"
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int):
        return f"{cell:,}"  # 6,400,000
    if isinstance(cell, float):
        return f"{cell:,.10g}"
    return str(cell)
