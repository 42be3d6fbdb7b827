"""Bad input to the API answers 422 with a plain message, never a server error (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assessments.helpers import partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Any) -> Any:
    partnership, _orgs = partnership_with_members()
    user = UserFactory()
    grant(user, partnership, "coordinator")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "query",
    [
        "limit=922337203685477581",
        "limit=0",
        "limit=-1",
        "limit=201",
        "cursor=not-a-cursor",
        "cursor=YzE6LTE",  # "c1:-1"
        "cursor=YzE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # beyond the database's integers
    ],
)
def test_paging_out_of_bounds_is_422(api: Any, query: str) -> None:
    answer = api.get(f"/api/v1/organisations?{query}")
    assert answer.status_code == 422
    assert answer.json()["detail"]


def test_paging_within_bounds_answers(api: Any) -> None:
    answer = api.get("/api/v1/organisations?limit=200")
    assert answer.status_code == 200 and len(answer.json()["items"]) >= 1
    assert answer.json()["next_cursor"] is None and answer.json()["next"] is None


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/99999999999999999999999",
        "/api/v1/partnerships/9223372036854775808",
        "/api/v1/people?organisation_id=99999999999999999999",
        "/api/v1/networks/compare?from=99999999999999999999&to=1",
    ],
)
def test_numbers_too_large_for_the_database_are_not_a_server_error(api: Any, url: str) -> None:
    answer = api.get(url)  # nothing found (404, or an empty list), or the overflow handler's 422
    assert answer.status_code in (200, 404, 422), answer.content
    assert answer.status_code == 200 or answer.json()["detail"]


@pytest.mark.parametrize("query", ["search=a%00b", "sector=%01", "search=%7F", "a%00=1"])
def test_control_characters_in_query_parameters_are_422(api: Any, query: str) -> None:
    answer = api.get(f"/api/v1/organisations?{query}")
    assert answer.status_code == 422
    assert "control character" in answer.json()["detail"]


def test_the_schema_declares_the_bad_input_answers(api: Any) -> None:
    schema = api.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/organisations/{organisation_id}"]["get"]
    assert {"401", "403", "404", "422"} <= set(operation["responses"])
    listing = schema["paths"]["/api/v1/organisations"]["get"]
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"].get("maximum") == 200


@pytest.mark.parametrize(
    ("url", "status", "named"),
    [
        ("/api/v1/organisations?limit=0", 422, "limit"),
        ("/api/v1/organisations?limit=201", 422, "limit"),
        ("/api/v1/organisations?cursor=bad", 422, "cursor"),
        ("/api/v1/partnerships/922337203685477580799", 404, None),
        ("/api/v1/organisations?search=a%00b", 422, "search"),
        ("/api/v1/partnerships/987654", 404, None),
        ("/api/v1/organisations/not-a-number", 422, "organisation_id"),
    ],
)
def test_every_error_is_a_problem_document(api: Any, url: str, status: int, named: str | None) -> None:
    """RFC 9457: application/problem+json with type, title, status and a plain detail; refused fields named."""
    import http

    answer = api.get(url)
    assert answer.status_code == status and answer["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["type"] == "about:blank" and body["status"] == status
    assert body["title"] == http.HTTPStatus(status).phrase and body["detail"].endswith(".")
    if named:
        assert named in [p["name"] for p in body["invalid_params"]]
        assert all(p["reason"] for p in body["invalid_params"])


def test_not_signed_in_is_a_problem_document(client: Any) -> None:
    answer = client.get("/api/v1/partnerships")
    assert answer.status_code == 401 and answer["Content-Type"] == "application/problem+json"
    assert answer.json()["title"] == "Unauthorized"


def test_the_schema_documents_problems_for_every_error() -> None:
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if str(code).startswith("4"):
                    assert list(response["content"]) == ["application/problem+json"], (path, method, code)


def test_the_schema_has_no_key_twice() -> None:
    """ninja keys its declared answers by number and JSON has only strings: the same status twice in one object
    broke the API docs page (Swagger UI refuses duplicated keys)."""
    import json

    from django.test import Client

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(Client().get("/api/v1/openapi.json").content, object_pairs_hook=unique)
