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


def date_cleaner(fmt: str, shown: str) -> Callable[[str], datetime.date | None]:
    """A cleaner for dates written as `fmt` (strptime); `shown` is how the format is described to people."""

    def clean(value: str) -> datetime.date | None:
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            raise ValueError(f"“{value}” is not a date written as {shown}") from None

    return clean


ISO_DATE = date_cleaner("%Y-%m-%d", "YYYY-MM-DD")
ODS_DATE = date_cleaner("%Y%m%d", "YYYYMMDD")


def clean_charity_date(value: str) -> datetime.date | None:
    """Charity Commission dates: YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS (the time is dropped)."""
    if len(value) > 10 and value[10] in " T":
        try:
            return datetime.datetime.strptime(value[:19].replace("T", " "), "%Y-%m-%d %H:%M:%S").date()
        except ValueError:
            raise ValueError(
                f"“{value}” is not a date written as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS"
            ) from None
    try:
        return ISO_DATE(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a date written as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS") from None


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
