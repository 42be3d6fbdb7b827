"""One partnership's snapshot, merged from every app's facts (core.registry.flag_facts), and its plain-JSON form.

Each provider returns fields of `PartnershipSnapshot`; a tuple field given by several providers (trust, from
assessments and networks) is joined in provider order; a single value given twice is a mistake and raises.
Keys `pages.<name>` fill `snapshot.pages` (where to act), keys `health.<app>` go to the health page's facts."""

from __future__ import annotations

import dataclasses
import datetime
import typing
from typing import Any

from django.urls import reverse

from joinedup.analysis import flag_snapshot as fs
from joinedup.analysis.flag_snapshot import PartnershipSnapshot
from joinedup.core.registry import flag_facts

FIELDS = {f.name for f in dataclasses.fields(PartnershipSnapshot)}
BASE = {"slug", "name", "url", "today", "pages"}


class FactsClash(ValueError):
    pass


def snapshot_build(*, partnership: Any, today: datetime.date) -> tuple[PartnershipSnapshot, dict[str, Any]]:
    """The merged snapshot and the health page's facts (each provider's fixed number of queries)."""
    values: dict[str, Any] = {}
    pages: dict[str, str] = {}
    health: dict[str, Any] = {}
    for provider in flag_facts:
        for key, value in provider.facts(partnership=partnership, today=today).items():
            if key.startswith("pages."):
                pages[key.removeprefix("pages.")] = value
            elif key.startswith("health."):
                health[key.removeprefix("health.")] = value
            elif key not in FIELDS or key in BASE:
                raise FactsClash(f"{provider.key} gave {key!r}, which is not a snapshot field")
            elif key in values:
                if not isinstance(value, tuple):
                    raise FactsClash(f"{provider.key} gave {key!r}, which another provider gave too")
                values[key] = values[key] + value
            else:
                values[key] = value
    snapshot = PartnershipSnapshot(
        slug=str(partnership.pk),
        name=partnership.name,
        url=reverse("register:partnership_detail", args=[partnership.pk]),
        today=today,
        pages=pages,
        **values,
    )
    return snapshot, health


# ---- plain JSON, both ways -------------------------------------------------------------------------------


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [to_plain(v) for v in value]
        return sorted(items) if isinstance(value, (frozenset, set)) else items
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, vars(fs))
    return _HINTS[cls]


def _from(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if hint is datetime.date:
        return datetime.date.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        return from_plain(hint, value)  # type: ignore[arg-type]
    if origin is tuple:
        inner = args[0] if args else Any
        if len(args) == 2 and args[1] is not Ellipsis:
            return tuple(_from(a, v) for a, v in zip(args, value, strict=True))
        return tuple(_from(inner, v) for v in value)
    if origin is frozenset:
        return frozenset(value)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)) and args:
        return _from(args[0], value)
    return value


def from_plain(cls: type, data: dict[str, Any]) -> Any:
    """The dataclass `cls` back from `to_plain`'s JSON (dates, tuples and frozensets restored)."""
    hints = _hints(cls)
    return cls(**{name: _from(hints[name], value) for name, value in data.items() if name in hints})
