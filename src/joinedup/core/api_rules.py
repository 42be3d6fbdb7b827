"""Rules every API endpoint keeps, so bad input gets a 422 with a plain message and never a server error.

- `ApiPagination`: `page` from 1 to `MAX_PAGE`, `page_size` from 1 to `MAX_PAGE_SIZE` (ninja's own class
  accepts any page, and `page=922337203685477581` overflowed the database's integer);
- `install(api)`: a number too large for the database (a path or query parameter) answers 422;
- `ApiQueryMiddleware`: query parameters holding NUL or other control characters answer 422 (PostgreSQL
  cannot compare text with a NUL in it; no search needs one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ApiPagination(PageNumberPagination):
    """Page-number paging with bounded `page` and `page_size` (422 outside them)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description=f"The page, from 1 to {MAX_PAGE:,}.")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"Items a page, from 1 to {MAX_PAGE_SIZE}."
        )

    def __init__(self, page_size: int = 50, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)


def _too_large(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": "A number in the request is too large."}, status=422)


def install(api: NinjaAPI) -> None:
    """The API-wide answers for bad input (see the module's docstring)."""
    api.add_exception_handler(OverflowError, lambda request, exc: _too_large(request, exc, api=api))


class ApiQueryMiddleware:
    """Refuse (422) an API request whose query string holds a NUL or another control character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            for key, values in request.GET.lists():
                for text in [key, *values]:
                    if _CONTROL.search(text):
                        return JsonResponse(
                            {
                                "detail": f"The query parameter {key!r} holds a control character (such as NUL)."
                            },
                            status=422,
                        )
        return self.get_response(request)
