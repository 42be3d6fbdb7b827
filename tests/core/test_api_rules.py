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
        "page=922337203685477581",
        "page=0",
        "page=-1",
        "page=100001",
        "page_size=201",
        "page_size=100000",
        "page_size=0",
    ],
)
def test_paging_out_of_bounds_is_422(api: Any, query: str) -> None:
    answer = api.get(f"/api/v1/organisations?{query}")
    assert answer.status_code == 422
    assert answer.json()["detail"]


def test_paging_within_bounds_answers(api: Any) -> None:
    answer = api.get("/api/v1/organisations?page=1&page_size=200")
    assert answer.status_code == 200 and answer.json()["count"] >= 1
    assert api.get("/api/v1/organisations?page=100000").json()["items"] == []


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
    page_size = next(p for p in listing["parameters"] if p["name"] == "page_size")
    assert page_size["schema"].get("maximum") == 200 or any(
        option.get("maximum") == 200 for option in page_size["schema"].get("anyOf", [])
    )


@pytest.mark.parametrize(
    ("url", "status", "named"),
    [
        ("/api/v1/organisations?page=0", 422, "page"),
        ("/api/v1/organisations?page_size=201", 422, "page_size"),
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
