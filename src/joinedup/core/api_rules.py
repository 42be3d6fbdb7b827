"""Rules every API endpoint keeps, so bad input gets a 422 with a plain message and never a server error.

- lists page by cursor (`core.api_pages.CursorPagination`: `limit` from 1 to 200, a cursor this API did not make
  answers 422);
- `install(api)`: a number too large for the database (a path or query parameter) answers 422;
- `ApiQueryMiddleware`: query parameters holding NUL or other control characters answer 422 (PostgreSQL
  cannot compare text with a NUL in it; no search needs one);
- every error is an RFC 9457 problem (`application/problem+json`: `type`, `title`, `status`, `detail` in plain
  words, and `invalid_params` naming each refused field as `name` and `reason`): `problem()` makes one, the
  handlers `install` adds answer ninja's own errors with one, services' field errors become one through
  `problem_from_fields()`, and an endpoint may raise `ProblemError` anywhere (a refused cursor, a stale hash);
- `JoinedUpApi` says all this in the OpenAPI schema: every operation may answer 401 (not signed in), 403
  (no permission), 422 (a parameter out of bounds, with the reason in `detail`) and, naming a thing by its number, 404;
  text parameters carry the pattern that excludes control characters, and whole numbers the database's range.
  schemathesis checks the schema against the answers (tests/core/test_api_schema.py).
"""

from __future__ import annotations

import http
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticError

INT64 = 2**63 - 1
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
PROBLEM_TYPE = "application/problem+json"
_ERROR = {
    "type": "object",
    "description": "A problem (RFC 9457).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "invalid_params": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
                "required": ["name", "reason"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


class InvalidParam(Schema):
    name: str
    reason: str


class Problem(Schema):
    """An RFC 9457 problem: what went wrong in plain words, and each refused field."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    invalid_params: list[InvalidParam] = Field(default_factory=list)


def problem(status: int, detail: str, *, invalid_params: Iterable[tuple[str, str]] = ()) -> JsonResponse:
    """An `application/problem+json` answer; `invalid_params` as (field name, reason) pairs."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": http.HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    params = [{"name": name, "reason": reason} for name, reason in invalid_params]
    if params:
        body["invalid_params"] = params
    return JsonResponse(body, status=status, content_type=PROBLEM_TYPE)


def problem_from_fields(errors: Mapping[str, Iterable[str]], *, status: int = 422) -> JsonResponse:
    """A 422 problem from a form's or a service's errors by field (Django's `message_dict`)."""
    params = [(name, reason) for name, reasons in errors.items() for reason in reasons]
    named = ", ".join(dict.fromkeys(name for name, _ in params)) or "the request"
    return problem(status, f"Some of what was sent was refused: {named}.", invalid_params=params)


def _param_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if parts and parts[0] in {"payload", "data", "filters"}:  # ninja's name for the body or the query schema
        parts = parts[1:]
    return ".".join(parts) or "request"


_ANSWERS = {
    "401": "Not signed in.",
    "403": "Your account may not do this.",
    "422": "A parameter is missing, of the wrong type or out of bounds; `detail` says which.",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ProblemError(Exception):
    """Raised anywhere in an endpoint: the API answers `problem(status, detail, invalid_params=...)`."""

    def __init__(self, status: int, detail: str, *, invalid_params: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(detail)
        self.status, self.detail, self.invalid_params = status, detail, list(invalid_params)


def refusal(exc: Any, *, status: int = 422) -> ProblemError:
    """A service's ValidationError (or PermissionDenied, 403) as a ProblemError naming each refused field."""
    if isinstance(exc, PermissionDenied):
        return ProblemError(403, str(exc) or "Your account may not do this.")
    assert isinstance(exc, ValidationError)
    if hasattr(exc, "error_dict"):
        params = [(name, reason) for name, reasons in exc.message_dict.items() for reason in reasons]
        named = ", ".join(dict.fromkeys(n for n, _ in params if n != "__all__")) or "the request"
        detail = (
            " ".join(r for n, r in params if n == "__all__") or f"Some of what was sent was refused: {named}."
        )
        return ProblemError(status, detail, invalid_params=[(n, r) for n, r in params if n != "__all__"])
    return ProblemError(status, " ".join(exc.messages) or "The request was refused.")


class JoinedUpApi(NinjaAPI):
    """NinjaAPI whose schema declares the answers to bad input that every endpoint really gives, every error as a
    problem (RFC 9457, `application/problem+json`)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                _declare(operation)
        return schema


def _declare(operation: dict[str, Any]) -> None:
    # ninja keys the responses it declares by number (201, 422), ours are strings: one kind, or JSON gets both
    responses = {str(code): answer for code, answer in operation.get("responses", {}).items()}
    operation["responses"] = responses
    answers = dict(_ANSWERS)
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" or _kinds(p.get("schema", {})) & {"integer"} for p in parameters):
        answers["404"] = "There is no such thing, or you may not see it."
    for code, description in answers.items():
        responses.setdefault(code, {"description": description})
    for code, response in responses.items():
        if str(code).startswith("4"):  # every error answers a problem (RFC 9457)
            response["content"] = {PROBLEM_TYPE: {"schema": _ERROR}}
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


def install(api: NinjaAPI) -> None:
    """The API-wide answers for bad input and every error, as problems (see the module's docstring)."""

    def too_large(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(422, "A number in the request is too large.")

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        params = [(_param_name(e.get("loc", ())), str(e.get("msg", "not valid"))) for e in exc.errors]
        named = ", ".join(dict.fromkeys(name for name, _ in params)) or "the request"
        return problem(422, f"Some of what was sent was refused: {named}.", invalid_params=params)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(exc.status_code, str(exc) or http.HTTPStatus(exc.status_code).phrase)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(404, "There is no such thing, or you may not see it.")

    def raised(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(exc.status, exc.detail, invalid_params=exc.invalid_params)

    api.add_exception_handler(ProblemError, raised)
    api.add_exception_handler(OverflowError, too_large)
    api.add_exception_handler(NinjaValidationError, refused)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)


class ApiQueryMiddleware:
    """Refuse (422) an API request whose query string holds a NUL or another control character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            for key, values in request.GET.lists():
                for text in [key, *values]:
                    if _CONTROL.search(text):
                        return problem(
                            422,
                            f"The query parameter {key!r} holds a control character (such as NUL).",
                            invalid_params=[(key, "holds a control character")],
                        )
        return self.get_response(request)


def body_schema(schema: type[Schema]) -> dict[str, Any]:
    """`openapi_extra` declaring a JSON body the endpoint reads itself with `read_body` (after its permission
    checks, so a caller who may not write learns nothing from the body's rules)."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


S = TypeVar("S", bound=Schema)


def read_body(request: HttpRequest, schema: type[S]) -> S:
    """The request's JSON body as `schema`; ProblemError (422) naming each refused field by its JSON path."""
    try:
        return schema.model_validate_json(request.body or b"{}")
    except PydanticError as exc:
        params = [(".".join(str(p) for p in e["loc"]) or "body", e["msg"]) for e in exc.errors()]
        named = ", ".join(dict.fromkeys(name for name, _ in params)) or "the body"
        raise ProblemError(
            422, f"Some of what was sent was refused: {named}.", invalid_params=params
        ) from None
