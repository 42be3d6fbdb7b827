"""Periods of measurement: each is stored as the date it starts on, and read and written as people write it.

- monthly: the first of the month; written `2025-04` (or `2025-04-01`), shown "Apr 2025";
- quarterly: the first of January, April, July or October; written `2025-04` (or `2025-04-01`), shown
  "Apr to Jun 2025";
- annual: the financial year from 1 April; written `2025/26` (or `2025-04`, `2025-04-01`), shown "2025/26".
"""

from __future__ import annotations

import datetime
import re

from joinedup.outcomes.choices import Frequency

MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
_DATE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_YEAR = re.compile(r"(\d{4})/(\d{2})")
_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FORMATS = {
    "monthly": "a month, written 2025-04",
    "quarterly": "the first month of a quarter (January, April, July or October), written 2025-04",
    "annual": "a financial year, written 2025/26",
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def is_start(day: datetime.date, frequency: str) -> bool:
    if day.day != 1:
        return False
    if frequency == Frequency.QUARTERLY:
        return day.month in (1, 4, 7, 10)
    if frequency == Frequency.ANNUAL:
        return day.month == 4
    return True


def parse_period(text: str, frequency: str) -> datetime.date:
    """The start of the period `text` names; ValueError with a plain message when it names none."""
    text = text.strip()
    found = _YEAR.fullmatch(text)
    if found and frequency == Frequency.ANNUAL:
        start = int(found.group(1))
        if (start + 1) % 100 != int(found.group(2)):
            raise ValueError(
                f"{text!r} is not a financial year (the years must follow each other, as 2025/26)"
            )
        return datetime.date(start, 4, 1)
    found = _DATE.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is not a period: write {FORMATS[frequency]}")
    try:
        day = datetime.date(int(found.group(1)), int(found.group(2)), int(found.group(3) or 1))
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None
    if not is_start(day, frequency):
        raise ValueError(f"{text!r} does not start a period: write {FORMATS[frequency]}")
    return day


def period_end(start: datetime.date, frequency: str) -> datetime.date:
    """The last day of the period."""
    return add_months(start, MONTHS[frequency]) - datetime.timedelta(days=1)


def period_label(start: datetime.date, frequency: str) -> str:
    if frequency == Frequency.ANNUAL:
        return f"{start.year}/{(start.year + 1) % 100:02d}"
    if frequency == Frequency.QUARTERLY:
        last = add_months(start, 2)
        return f"{_SHORT[start.month - 1]} to {_SHORT[last.month - 1]} {last.year}"
    return f"{_SHORT[start.month - 1]} {start.year}"


def period_code(start: datetime.date, frequency: str) -> str:
    """How a file or the API writes the period."""
    if frequency == Frequency.ANNUAL:
        return period_label(start, frequency)
    return f"{start.year}-{start.month:02d}"


def last_ended(today: datetime.date, frequency: str) -> datetime.date:
    """The start of the latest period that has ended before `today`."""
    step = MONTHS[frequency]
    day = datetime.date(today.year, today.month, 1)
    while not is_start(day, frequency):
        day = add_months(day, -1)
    return add_months(day, -step)
