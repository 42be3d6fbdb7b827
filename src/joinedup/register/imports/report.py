"""What an import found and did: counts, and every problem with its line and column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# progress(stage, advance, total): called as rows are validated ("validating") and written ("writing").
# `total` is the number of rows the stage will handle when known, else None.
ProgressCallback = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in the file. `line` is the file's line number (1 is the first); `column` may be "".

    Line 0 is a problem with the whole import rather than one line.
    """

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.reason
        if self.column:
            return f"line {self.line}, column {self.column}: {self.reason}"
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one organisation: what the register holds (`before`) and what the import writes (`after`),
    both as shown to people ("" for nothing, dates as YYYY-MM-DD)."""

    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class RecordChange:
    """An organisation already in the register, the file's line that matched it, and its fields that the
    import changes (or, in `ImportReport.kept`, leaves alone: `after` is then what the file held)."""

    line: int
    pk: int
    name: str
    fields: tuple[FieldChange, ...]


@dataclass
class ImportReport:
    fmt: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[RecordChange] = field(default_factory=list)  # every record updated, field by field
    kept: list[RecordChange] = field(default_factory=list)  # richer values the file would have replaced
    unknown_codes: dict[str, int] = field(default_factory=dict)  # codes kept as codes -> rows
    code_list_version: int = 0
    written: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_lines(self) -> int:
        return len({e.line for e in self.errors})

    def counts(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": len(self.errors),
        }

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.line, e.column))
