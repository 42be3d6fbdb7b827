"""Reading the three file formats into cleaned rows, one row at a time.

Each parser streams its file with the csv module, cleans every cell of a row and yields the row only
if it is valid; every problem goes into `errors` with its line and column, so one pass over the file
lists them all. Memory grows with the number of valid rows (a small dict each), not with the file.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from joinedup.analysis.reading import FileReadError
from joinedup.register.choices import Sector
from joinedup.register.imports.codes import ods_codes
from joinedup.register.imports.fields import (
    CLEANERS,
    DATE_FIELDS,
    IMPORT_FIELDS,
    clean_charity_date,
    clean_iso_date,
    clean_ods_date,
)
from joinedup.register.imports.report import RowError

ODS_COLUMNS = 27
ODS_LABELS = {
    0: "organisation code",
    1: "name",
    2: "national grouping",
    3: "high-level health geography",
    4: "address line 1",
    9: "postcode",
    10: "open date",
    11: "close date",
    12: "status code",
    13: "organisation sub-type code",
    25: "role or prescribing setting code",
}
CHARITY_REQUIRED = (
    "registered_charity_number",
    "charity_name",
    "charity_registration_status",
    "date_of_registration",
    "charity_company_registration_number",
)


def _ods_label(index: int) -> str:
    return f"{index + 1} ({ODS_LABELS[index]})"


@dataclass(slots=True)
class ParsedRow:
    """A valid row: `fields` are written as given; `defaults` only where the organisation has no value yet;
    `coded` {field: (value, raw code)} only where it has no value, a bare code or a name from the code list
    (see codes.CodeList.replaceable): a richer value someone typed is never replaced by a code."""

    line: int
    fields: dict[str, Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    coded: dict[str, tuple[Any, str]] = field(default_factory=dict)


class Parser:
    """Base: iterate `rows(stream)`; afterwards `errors`, `seen` (data rows read) and `skipped` are filled."""

    delimiter = ","
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL
    labels: dict[str, str] = {}  # field -> the column name shown in errors

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.seen = 0
        self.skipped = 0
        self.unknown_codes: dict[str, int] = {}  # code the code list does not name -> rows that hold it

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def error(self, line: int, column: str, reason: str) -> None:
        self.errors.append(RowError(line, column, reason))

    def records(self, stream: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
        """(first line of the record, cells) for every non-blank record; stops with an error on bad bytes."""
        reader = csv.reader(stream, delimiter=self.delimiter, quoting=self.quoting)
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                self.error(line, "", "the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8) and try again")
                return
            except FileReadError as exc:  # the bounded reader refused the file (see analysis.reading)
                self.error(exc.line or line, "" if exc.column is None else str(exc.column), exc.reason)
                return
            except csv.Error as exc:
                self.error(line, "", f"the file cannot be read as delimited text ({exc})")
                return
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield line, cells

    def rows(self, stream: Iterable[str]) -> Iterator[ParsedRow]:
        raise NotImplementedError

    def clean(
        self,
        line: int,
        raw: dict[str, str],
        labels: dict[str, str],
        dates: Callable[[str], datetime.date | None],
    ) -> dict[str, Any] | None:
        """Clean `raw` {field: cell}; report problems under `labels[field]`; None if the row has any."""
        out: dict[str, Any] = {}
        ok = True
        for name, cell in raw.items():
            cleaner = dates if name in DATE_FIELDS else CLEANERS[name]
            try:
                out[name] = cleaner(cell)
            except ValueError as exc:
                self.error(line, labels[name], str(exc))
                ok = False
        for required in ("name", "sector"):
            if raw.get(required) == "":
                self.error(line, labels[required], f"the {required} is required")
                ok = False
        opened, closed = out.get("opened"), out.get("closed")
        if opened and closed and closed < opened:
            self.error(
                line, labels["closed"], f"the closing date {closed} is before the opening date {opened}"
            )
            ok = False
        return out if ok else None


class OdsParser(Parser):
    """ODS-style CSV: no header, 27 columns, dates YYYYMMDD."""

    labels = {
        "ods_code": _ods_label(0),
        "name": _ods_label(1),
        "address": "5–9 (address lines)",
        "postcode": _ods_label(9),
        "opened": _ods_label(10),
        "closed": _ods_label(11),
        "org_type": "14 or 26 (organisation sub-type, role or prescribing setting code)",
        "sector": "sector",
        "org_id": "org_id",
    }

    def rows(self, stream: Iterable[str]) -> Iterator[ParsedRow]:
        labels = self.labels
        codes = ods_codes()
        for line, cells in self.records(stream):
            self.seen += 1
            if len(cells) != ODS_COLUMNS:
                self.error(line, "", f"has {len(cells)} columns; an ODS file has {ODS_COLUMNS} on every row")
                continue
            cells = [c.strip() for c in cells]
            ok = True
            if not cells[0]:
                self.error(line, labels["ods_code"], "the organisation code is required")
                ok = False
            if cells[12] not in ("A", "C", ""):
                self.error(line, _ods_label(12), f"“{cells[12]}” is not a status code (A, C or blank)")
                ok = False
            type_code = cells[25] or cells[13]  # the role (or prescribing setting), else the sub-type
            named = codes.name_of(type_code)
            for code in named.unknown:
                self.unknown_codes[code] = self.unknown_codes.get(code, 0) + 1
            raw = {
                "ods_code": cells[0],
                "name": cells[1],
                "sector": Sector.NHS.value,
                "org_type": named.text,
                "address": ", ".join(c for c in cells[4:9] if c),
                "postcode": cells[9],
                "opened": cells[10],
                "closed": cells[11],
            }
            fields = self.clean(line, raw, labels, clean_ods_date)
            if fields is None or not ok:
                continue
            coded = {"org_type": (fields.pop("org_type"), type_code)}
            yield ParsedRow(line, fields, {"org_id": f"GB-NHS-{fields['ods_code']}"}, coded)


class HeaderParser(Parser):
    """Formats with a header row. Subclasses check the header and turn a record into a ParsedRow."""

    def check_header(self, header: list[str]) -> bool:
        raise NotImplementedError

    def row(self, line: int, record: dict[str, str]) -> ParsedRow | None:
        raise NotImplementedError

    def rows(self, stream: Iterable[str]) -> Iterator[ParsedRow]:
        records = self.records(stream)
        first = next(records, None)
        if first is None:
            if not self.errors:
                self.error(1, "", "the file is empty; it needs a header row")
            return
        header = [h.strip().lstrip("\ufeff").lower() for h in first[1]]
        seen: dict[str, int] = {}
        for i, name in enumerate(header):
            if name in seen:
                self.error(first[0], name, f"the column appears twice (columns {seen[name] + 1} and {i + 1})")
            seen.setdefault(name, i)
        if not self.check_header(header) or self.errors:
            return
        for line, cells in records:
            self.seen += 1
            if len(cells) != len(header):
                self.error(line, "", f"has {len(cells)} fields; the header has {len(header)}")
                continue
            parsed = self.row(line, dict(zip(header, (c.strip() for c in cells), strict=True)))
            if parsed is not None:
                yield parsed


class CharityParser(HeaderParser):
    """The Charity Commission register extract: tab-separated, with a header; other columns are ignored."""

    delimiter = "\t"
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE  # names in the extract contain unbalanced quotes

    labels = {
        "charity_number": "registered_charity_number",
        "name": "charity_name",
        "company_number": "charity_company_registration_number",
        "opened": "date_of_registration",
        "closed": "date_of_removal",
        "sector": "sector",
    }

    def check_header(self, header: list[str]) -> bool:
        missing = [c for c in CHARITY_REQUIRED if c not in header]
        for column in missing:
            self.error(1, column, "this required column is missing")
        self.has_removal = "date_of_removal" in header
        return not missing

    def row(self, line: int, record: dict[str, str]) -> ParsedRow | None:
        if record.get("linked_charity_number", "") not in ("", "0"):
            self.skipped += 1  # a subsidiary charity, registered under its main charity's number
            return None
        raw = {
            "charity_number": record["registered_charity_number"],
            "name": record["charity_name"],
            "sector": Sector.VOLUNTARY.value,
            "company_number": record["charity_company_registration_number"],
            "opened": record["date_of_registration"],
        }
        if self.has_removal:
            raw["closed"] = record["date_of_removal"]
        if not raw["charity_number"]:
            self.error(line, self.labels["charity_number"], "the charity number is required")
            return None
        fields = self.clean(line, raw, self.labels, clean_charity_date)
        if fields is None:
            return None
        return ParsedRow(line, fields, {"org_id": f"GB-CHC-{fields['charity_number']}"})


class PlainCsvParser(HeaderParser):
    """Plain CSV whose header names Organisation fields; name and sector are required."""

    def check_header(self, header: list[str]) -> bool:
        ok = True
        for column in header:
            if column not in IMPORT_FIELDS:
                self.error(
                    1,
                    column or "(blank)",
                    f"unknown column; the columns allowed are {', '.join(IMPORT_FIELDS)}",
                )
                ok = False
        for required in ("name", "sector"):
            if required not in header:
                self.error(1, required, "this required column is missing")
                ok = False
        self.labels = {name: name for name in header}
        return ok

    def row(self, line: int, record: dict[str, str]) -> ParsedRow | None:
        fields = self.clean(line, record, self.labels, clean_iso_date)
        return None if fields is None else ParsedRow(line, fields)


PARSERS: dict[str, type[Parser]] = {"ods": OdsParser, "charity": CharityParser, "csv": PlainCsvParser}
