"""Screening of free text before a moderator reads it: names of people, e-mail addresses, UK phone numbers and
links are taken out, and the kinds found are flagged for the moderator.

Names come from two places: the people the register knows in the partnership's member organisations (full
names, and surnames of at least four letters), and a title or job word followed by a capitalised word ("Dr
Patel", "nurse Amy"). It is a first pass, not a guarantee: a moderator reads every comment before it is shown.
Plain Python (no Django), so it is tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from joinedup.voice.choices import ScreeningFlag

NAME = "[name removed]"
EMAIL = "[e-mail removed]"
PHONE = "[phone number removed]"
LINK = "[link removed]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|uk|co\.uk|org\.uk|nhs\.uk|gov\.uk|io)(?:/\S*)?\b", re.I
)
# UK numbers: +44 or 0, then 9 or 10 more digits, in any grouping of spaces, dashes, dots or brackets.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?|\(?0)(?:[\s().-]*\d){9,10}(?!\d)")
_TITLES = (
    "mr|mrs|ms|miss|mx|dr|doctor|prof|professor|nurse|sister|matron|sir|dame|lady|lord|"
    "father|reverend|rev|councillor|cllr|dr\\.|mr\\.|mrs\\.|ms\\."
)
_TITLED = re.compile(rf"\b(?i:{_TITLES})\s+[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)?")


@dataclass(frozen=True)
class Screened:
    text: str
    flags: list[str]


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        words.add(name)
        parts = name.split()
        if len(parts) > 1 and len(parts[-1]) >= 4:
            words.add(parts[-1])  # "Ms Okafor" is often just "Okafor"
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I)


def screen(text: str, *, names: Iterable[str] = ()) -> Screened:
    """The text with what identifies people taken out, and which kinds were found (ScreeningFlag values)."""
    flags: list[str] = []

    def take(pattern: re.Pattern[str] | None, marker: str, flag: ScreeningFlag, value: str) -> str:
        if pattern is None:
            return value
        new, count = pattern.subn(marker, value)
        if count and flag.value not in flags:
            flags.append(flag.value)
        return new

    text = take(_EMAIL, EMAIL, ScreeningFlag.EMAIL, text)
    text = take(_LINK, LINK, ScreeningFlag.LINK, text)
    text = take(_PHONE, PHONE, ScreeningFlag.PHONE, text)
    text = take(_name_pattern(names), NAME, ScreeningFlag.NAME, text)
    text = take(_TITLED, NAME, ScreeningFlag.NAME, text)
    return Screened(text=text, flags=flags)
