"""Cleaning one cell into one Organisation field, with the model's own limits.

Each cleaner takes the cell text (already stripped) and returns the value to store, or raises
ValueError with a plain-English reason. An empty cell is "" (or None for dates) and is always allowed
here; required fields are checked by the parsers.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.db import models

from joinedup.register.choices import Sector
from joinedup.register.models import Organisation

# Fields a plain CSV may name, in the order the model declares them.
IMPORT_FIELDS = (
    "name",
    "sector",
    "org_type",
    "ods_code",
    "charity_number",
    "company_number",
    "gss_code",
    "cqc_provider_id",
    "cqc_location_id",
    "org_id",
    "area",
    "address",
    "postcode",
    "opened",
    "closed",
)
DATE_FIELDS = frozenset({"opened", "closed"})
# The order in which a row is matched to an organisation already in the register.
MATCH_ORDER = ("org_id", "ods_code", "charity_number", "company_number")

_ODS = re.compile(r"[A-Z0-9]{3,10}")
_CHARITY = re.compile(r"[0-9]{6,8}")
_COMPANY = re.compile(r"[A-Z0-9]{8}")
_GSS = re.compile(r"[A-Z][0-9]{8}")
_ORG_ID = re.compile(r"[A-Z]{2}-[A-Z0-9]+-\S+", re.IGNORECASE)

_SECTORS: dict[str, str] = {}
for _value, _label in Sector.choices:
    _SECTORS[str(_value).lower()] = str(_value)
    _SECTORS[str(_label).lower()] = str(_value)


def max_length(name: str) -> int:
    field = Organisation._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


def _text(name: str) -> Callable[[str], str]:
    limit = max_length(name)

    def clean(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"is {len(value)} characters long; the most allowed is {limit}")
        return value

    return clean


def clean_sector(value: str) -> str:
    if not value:
        return ""
    try:
        return _SECTORS[value.lower()]
    except KeyError:
        allowed = ", ".join(str(v) for v in Sector.values)
        raise ValueError(f"“{value}” is not a sector; use one of {allowed}") from None


def clean_ods_code(value: str) -> str:
    value = value.upper()
    if value and not _ODS.fullmatch(value):
        raise ValueError(f"“{value}” is not an ODS code (3 to 10 letters and digits)")
    return value


def clean_charity_number(value: str) -> str:
    if value and not _CHARITY.fullmatch(value):
        raise ValueError(f"“{value}” is not a charity number (6 to 8 digits)")
    return value


def clean_company_number(value: str) -> str:
    value = value.upper()
    if value.isdigit():
        value = value.zfill(8)
    if value and not _COMPANY.fullmatch(value):
        raise ValueError(
            f"“{value}” is not a Companies House number (8 letters and digits, such as 01234567)"
        )
    return value


def clean_gss_code(value: str) -> str:
    value = value.upper()
    if value and not _GSS.fullmatch(value):
        raise ValueError(f"“{value}” is not an ONS GSS code (a letter and 8 digits, such as E06000001)")
    return value


def clean_org_id(value: str) -> str:
    value = _text("org_id")(value)
    if value and not _ORG_ID.fullmatch(value):
        raise ValueError(f"“{value}” is not an org-id key (such as GB-NHS-RXX)")
    return value


def _date(year: str, month: str, day: str, value: str, shown: str) -> datetime.date:
    """A date from its digit strings; faster than strptime, which matters at 100,000 rows."""
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        raise ValueError(f"“{value}” is not a date written as {shown}")
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"“{value}” is not a real date (written as {shown})") from None


def clean_ods_date(value: str) -> datetime.date | None:
    """ODS dates: YYYYMMDD."""
    if not value:
        return None
    if len(value) != 8:
        raise ValueError(f"“{value}” is not a date written as YYYYMMDD")
    return _date(value[:4], value[4:6], value[6:], value, "YYYYMMDD")


def clean_iso_date(value: str) -> datetime.date | None:
    """Plain CSV dates: YYYY-MM-DD."""
    if not value:
        return None
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError(f"“{value}” is not a date written as YYYY-MM-DD")
    return _date(value[:4], value[5:7], value[8:], value, "YYYY-MM-DD")


def clean_charity_date(value: str) -> datetime.date | None:
    """Charity Commission dates: YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS (the time is dropped)."""
    shown = "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS"
    if len(value) > 10:
        time = value[11:]
        if (
            value[10] not in " T"
            or len(time) != 8
            or time[2] != ":"
            or time[5] != ":"
            or not (time[:2] + time[3:5] + time[6:]).isdigit()
        ):
            raise ValueError(f"“{value}” is not a date written as {shown}")
        value = value[:10]
    try:
        return clean_iso_date(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a date written as {shown}") from None


# Cleaners for text-like fields, shared by every format. Dates are format-specific.
CLEANERS: dict[str, Callable[[str], Any]] = {
    "name": _text("name"),
    "sector": clean_sector,
    "org_type": _text("org_type"),
    "ods_code": clean_ods_code,
    "charity_number": clean_charity_number,
    "company_number": clean_company_number,
    "gss_code": clean_gss_code,
    "cqc_provider_id": _text("cqc_provider_id"),
    "cqc_location_id": _text("cqc_location_id"),
    "org_id": clean_org_id,
    "area": _text("area"),
    "address": _text("address"),
    "postcode": _text("postcode"),
}
