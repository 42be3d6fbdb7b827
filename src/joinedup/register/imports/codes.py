"""The ODS code list: versioned data (`ods-codes.yaml`, checked against `ods-codes.schema.json`).

    codes = ods_codes()
    codes.name_of("RO76")            -> Named("GP practice", unknown=())
    codes.name_of("RO76|RO999")      -> Named("RO76|RO999", unknown=("RO999",))   # kept as codes
    codes.replaceable("B", raw="Z")  -> True   (a bare code, or a name this list gives: ours to update)
    codes.replaceable("GP practice (Kingsford PCN)", raw="B") -> False   (someone's richer value: kept)

A code the list does not hold is never guessed at: the import keeps it as it is and reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from joinedup.analysis.reading import FileReadError
from joinedup.analysis.reading_yaml import load_yaml, schema_validator

HERE = Path(__file__).resolve().parent
CODES_PATH = HERE / "ods-codes.yaml"
SCHEMA_PATH = HERE / "ods-codes.schema.json"
KINDS = ("sub_types", "prescribing_settings", "roles")
# The shapes of the codes an ODS file holds in these columns: role codes (RO76), prescribing settings (4),
# sub-types (B), several joined by "|". A value of this shape is a code, whatever it is, never someone's words.
BARE_CODE = re.compile(r"(RO[0-9]{1,4}|[0-9]{1,2}|[A-Z][0-9]?)(\|(RO[0-9]{1,4}|[0-9]{1,2}|[A-Z][0-9]?))*")


class CodeListError(ValueError):
    """The code list file cannot be used; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("the ODS code list is not valid:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class Named:
    """What to store for a cell: the name when every code in it is known, else the cell as it is."""

    text: str
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeList:
    version: int
    title: str
    names: dict[str, str]  # every code of every kind -> its name

    def name_of(self, cell: str) -> Named:
        """The name for a cell of one code, or of several joined by "|" (named "A and B")."""
        if not cell:
            return Named("")
        parts = [part.strip() for part in cell.split("|") if part.strip()]
        unknown = tuple(part for part in parts if part not in self.names)
        if unknown:
            return Named(cell, unknown)
        return Named(" and ".join(dict.fromkeys(self.names[part] for part in parts)))

    def replaceable(self, current: str, *, raw: str) -> bool:
        """May an import overwrite `current`? Only when it holds nothing, a bare code (known or not), or a name
        of this list (a value an import wrote). Anything else someone typed, and it says more than a code: it
        is kept."""
        current = current.strip()
        if not current or current == raw or BARE_CODE.fullmatch(current):
            return True
        names = set(self.names.values())
        return current in names or all(part in names for part in current.split(" and "))


def parse_code_list(text: str | bytes) -> CodeList:
    """Check a code list's YAML against the schema and build it. Raises CodeListError."""
    try:
        _node, data = load_yaml(text)
    except FileReadError as exc:
        raise CodeListError([str(exc)]) from exc
    problems = [
        f"{'.'.join(str(p) for p in error.absolute_path) or '(top level)'}: {error.message}"
        for error in sorted(
            schema_validator(SCHEMA_PATH).iter_errors(data), key=lambda e: str(e.absolute_path)
        )
    ]
    if problems:
        raise CodeListError(problems)
    names: dict[str, str] = {}
    for kind in KINDS:
        for code, name in data[kind].items():
            if code in names:
                problems.append(f"{kind}.{code}: the code is listed twice")
            names[str(code)] = name
    if problems:
        raise CodeListError(problems)
    return CodeList(version=data["version"], title=data["title"], names=names)


@cache
def ods_codes() -> CodeList:
    """The code list shipped with JoinedUp (read once)."""
    return parse_code_list(CODES_PATH.read_bytes())
