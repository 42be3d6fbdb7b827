"""Rules every API endpoint keeps, so bad input gets a 422 with a plain message and never a server error.

- `ApiPagination`: `page` from 1 to `MAX_PAGE`, `page_size` from 1 to `MAX_PAGE_SIZE` (ninja's own class
  accepts any page, and `page=922337203685477581` overflowed the database's integer);
- `install(api)`: a number too large for the database (a path or query parameter) answers 422;
- `ApiQueryMiddleware`: query parameters holding NUL or other control characters answer 422 (PostgreSQL
  cannot compare text with a NUL in it; no search needs one);
- `JoinedUpApi` says all this in the OpenAPI schema: every operation may answer 401 (not signed in), 403
  (no permission), 422 (a parameter out of bounds, with the reason in `detail`) and, naming a thing by its number, 404;
  text parameters carry the pattern that excludes control characters, and whole numbers the database's range.
  schemathesis checks the schema against the answers (tests/core/test_api_schema.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000
INT64 = 2**63 - 1
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_ERROR = {
    "type": "object",
    "properties": {"detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]}},
    "required": ["detail"],
}
_ANSWERS = {
    "401": "Not signed in.",
    "403": "Your account may not do this.",
    "422": "A parameter is missing, of the wrong type or out of bounds; `detail` says which.",
}
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


class JoinedUpApi(NinjaAPI):
    """NinjaAPI whose schema declares the answers to bad input that every endpoint really gives."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                _declare(operation)
        return schema


def _declare(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    answers = dict(_ANSWERS)
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" or _kinds(p.get("schema", {})) & {"integer"} for p in parameters):
        answers["404"] = "There is no such thing, or you may not see it."
    for code, description in answers.items():
        responses.setdefault(
            code, {"description": description, "content": {"application/json": {"schema": _ERROR}}}
        )
    for parameter in parameters:
        schema = parameter.get("schema", {})
        # an optional parameter (`int | None`) is an anyOf of its type and null
        for value in [schema, *schema.get("anyOf", [])]:
            if value.get("type") == "string":
                value.setdefault("pattern", TEXT_PATTERN)
            elif value.get("type") == "integer":
                value.setdefault("maximum", INT64)
                value.setdefault("minimum", -INT64 - 1)


def _kinds(schema: dict[str, Any]) -> set[str]:
    return {value.get("type", "") for value in [schema, *schema.get("anyOf", [])]}


def _too_large(request: HttpRequest, exc: object, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": "A number in the request is too large."}, status=422)


def install(api: NinjaAPI) -> None:
    """The API-wide answers for bad input (see the module's docstring)."""

    def too_large(request: HttpRequest, exc: OverflowError | type[OverflowError]) -> HttpResponse:
        return _too_large(request, exc, api=api)

    api.add_exception_handler(OverflowError, too_large)


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
