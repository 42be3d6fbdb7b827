"""Reading answers gathered elsewhere (paper, another tool) into a wave: the CSV `joinedup assess score`
reads, checked with the same code, plus the respondent attributes a wave keeps.

Columns: one per item key (a whole number on the scale, blank, or dk), and optionally `organisation`
(a member organisation's name or org-id), `sector`, `profession` and `role_level` (a key or the label
shown on the pages). Any other column is an error, so nothing in the file is silently dropped.

Answers are stored as the response pages store them: a number as the number, dk as the answer "dk"
(don't know, which the results count), a blank as no answer at all.
"""

from __future__ import annotations

from typing import Any

from joinedup.analysis.instruments import Instrument
from joinedup.analysis.reading import DEFAULT_LIMITS, Limits
from joinedup.analysis.responses import DONT_KNOW, ResponseFileError, parse_responses
from joinedup.register.choices import Profession, Sector
from joinedup.register.models import Organisation
from joinedup.surveys.choices import RoleLevel
from joinedup.surveys.models import Wave

ATTRIBUTES = ("organisation", "sector", "profession", "role_level")
_CHOICES = {"sector": Sector.choices, "profession": Profession.choices, "role_level": RoleLevel.choices}


def _lookup(choices: list[tuple[str, str]]) -> dict[str, str]:
    table = {}
    for key, label in choices:
        table[key.lower()] = key
        table[str(label).lower()] = key
    return table


def read_wave_file(
    raw: bytes, wave: Wave, instrument: Instrument, *, limits: Limits = DEFAULT_LIMITS, filename: str = ""
) -> list[dict[str, Any]]:
    """The rows to import, or ResponseFileError naming the line and column of every problem (the first
    MAX_PROBLEMS, then how many more).
    The bytes go through the bounded reader first (`analysis.reading`, with `limits`)."""
    frame = parse_responses(raw, instrument, keep_dont_know=True, limits=limits, name=filename)
    items = set(instrument.item_keys)
    unknown = [c for c in frame.columns if c not in items and c not in ATTRIBUTES]
    if unknown:
        raise ResponseFileError(
            [
                f"line 1, column {name}: unknown column (besides the items, a wave keeps only "
                f"{', '.join(ATTRIBUTES)})"
                for name in unknown
            ]
        )
    members = Organisation.objects.filter(memberships__partnership=wave.partnership).distinct()
    organisations: dict[str, Organisation] = {}
    for organisation in members:
        organisations[organisation.name.lower()] = organisation
        if organisation.org_id:
            organisations[organisation.org_id.lower()] = organisation
    lookups = {column: _lookup(choices) for column, choices in _CHOICES.items()}
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    for index, record in enumerate(frame.iter_rows(named=True)):
        line = index + 2
        answers: dict[str, int | str] = {}
        for item in instrument.item_keys:
            value = record[item]
            if value is None:
                continue
            if value != DONT_KNOW:
                answers[item] = int(value)
            elif instrument.scale.dont_know:
                answers[item] = DONT_KNOW
            else:
                problems.append(
                    f"line {line}, column {item}: instrument {instrument.key!r} has no don't know answer "
                    "(leave the cell blank)"
                )
        row: dict[str, Any] = {"answers": answers}
        name = record.get("organisation")
        if name is not None:
            found = organisations.get(name.lower())
            if found is None:
                problems.append(
                    f"line {line}, column organisation: {name!r} is not a member organisation of "
                    f"{wave.partnership.name}"
                )
            row["organisation"] = found
        for column, table in lookups.items():
            given = record.get(column)
            if given is None:
                continue
            key = table.get(given.lower())
            if key is None:
                problems.append(
                    f"line {line}, column {column}: {given!r} is not a known {column.replace('_', ' ')}"
                )
            row[column] = key or ""
        rows.append(row)
    if problems:
        raise ResponseFileError(problems)
    return rows
