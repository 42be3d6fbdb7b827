"""Cursor pagination for every API list (docs/api.md, "Lists").

A list answers `{"items": [...], "next_cursor": "...", "next": "/api/v1/...?cursor=...&limit=N"}`: `limit`
(1 to MAX_LIMIT, DEFAULT_LIMIT unless given) items in the order of their `id` (ascending, or descending where
the endpoint says newest first), and, while there are more, the cursor of the next page and its URL. The
cursor is opaque to clients: URL-safe base64 of the last `id` shown, so a page never repeats or skips a thing
when things are added between requests. A cursor this API did not make answers 422 (a problem naming `cursor`).

    @router.get("/things", response=list[ThingOut])
    @paginate(CursorPagination)                  # or CursorPagination, descending=True
    def list_things(request, ...): return selectors.thing_list(...)   # a queryset, or a list of objects with .pk

A queryset is narrowed in the database (`id > last`, `LIMIT limit + 1`), so a page costs the same queries
whatever the list's length; a list (rows a presenter built) is cut in Python by each row's `pk`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from joinedup.core.api_rules import INT64, TEXT_PATTERN, ProblemError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_PREFIX = "c1:"
BAD_CURSOR = "not a cursor from this API: send the `next_cursor` of the page before, unchanged"


def cursor_encode(last: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{last}".encode()).decode().rstrip("=")


def cursor_decode(text: str) -> int:
    """The last id a cursor names; ProblemError (422) for anything this API did not make."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        if not raw.startswith(_PREFIX) or not raw[len(_PREFIX) :].isdigit():
            raise ValueError(raw)
        last = int(raw[len(_PREFIX) :])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ProblemError(
            422,
            "The cursor was refused: it is not one this API gave.",
            invalid_params=[("cursor", BAD_CURSOR)],
        ) from None
    if last > INT64:
        raise ProblemError(422, "The cursor was refused.", invalid_params=[("cursor", BAD_CURSOR)])
    return last


class CursorPagination(PaginationBase):
    """`cursor` and `limit` in, `items`, `next_cursor` and `next` out (see the module's docstring)."""

    class Input(Schema):
        cursor: str = Field(
            "", max_length=200, pattern=TEXT_PATTERN, description="The `next_cursor` of the page before."
        )
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items a page, 1 to {MAX_LIMIT}.")

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None = Field(description="Send as `cursor` for the next page; null on the last.")
        next: str | None = Field(description="The next page's URL; null on the last.")

    items_attribute = "items"

    def __init__(self, *, descending: bool = False, **kwargs: Any) -> None:
        self.descending = descending
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        last = cursor_decode(pagination.cursor) if pagination.cursor else None
        limit = pagination.limit
        if isinstance(queryset, QuerySet):
            rows = list(_narrow(queryset, last, self.descending)[: limit + 1])
        else:
            rows = _cut(list(queryset), last, self.descending, key=_pk)[: limit + 1]
        more = len(rows) > limit
        rows = rows[:limit]
        following = cursor_encode(_pk(rows[-1])) if more and rows else None
        return {"items": rows, "next_cursor": following, "next": _next_url(request, following, limit)}


def _pk(row: Any) -> int:
    value = row.get("id") if isinstance(row, dict) else getattr(row, "pk", None)
    if value is None:
        value = row.id
    return int(value)


def _narrow(queryset: QuerySet[Any], last: int | None, descending: bool) -> QuerySet[Any]:
    queryset = queryset.order_by("-pk" if descending else "pk")
    if last is None:
        return queryset
    return queryset.filter(pk__lt=last) if descending else queryset.filter(pk__gt=last)


def _cut(rows: Sequence[Any], last: int | None, descending: bool, *, key: Callable[[Any], int]) -> list[Any]:
    ordered = sorted(rows, key=key, reverse=descending)
    if last is None:
        return ordered
    return [r for r in ordered if (key(r) < last if descending else key(r) > last)]


def _next_url(request: HttpRequest, cursor: str | None, limit: int) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    query["limit"] = str(limit)
    return f"{request.path}?{query.urlencode()}"
