"""The API's schema says what the API answers (issue 15): at least 40 paths; every operation documents 401 and
422, every operation that names a thing by its number 404, and every 4xx as a problem (application/problem+json);
every list takes `cursor` and `limit`; and every operation answers a caller who is not signed in with 401."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client: Any) -> dict[str, Any]:
    return dict(client.get("/api/v1/openapi.json").json())


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


def test_the_schema_has_at_least_40_paths(schema: dict[str, Any]) -> None:
    assert len(schema["paths"]) >= 40, sorted(schema["paths"])


def test_every_operation_documents_its_errors_as_problems(schema: dict[str, Any]) -> None:
    wrong = []
    for path, method, op in _operations(schema):
        responses = op["responses"]
        needed = {"401", "422"} | ({"404"} if "{" in path else set())
        if not needed <= set(responses):
            wrong.append(f"{method.upper()} {path}: missing {sorted(needed - set(responses))}")
        for code, answer in responses.items():
            if code.startswith("4") and list(answer.get("content", {})) != ["application/problem+json"]:
                wrong.append(f"{method.upper()} {path}: {code} is not a problem document")
        if method in ("post", "put", "patch") and "requestBody" not in op:
            wrong.append(f"{method.upper()} {path}: no body described")
    assert not wrong, "\n".join(wrong)


def test_every_list_pages_by_cursor(schema: dict[str, Any]) -> None:
    lists = []
    for path, _method, op in _operations(schema):
        ok = op["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        ref = ok.get("$ref", "")
        if not ref.split("/")[-1].startswith("Paged"):
            continue
        lists.append(path)
        names = {p["name"] for p in op.get("parameters", [])}
        assert {"cursor", "limit"} <= names, path
    assert len(lists) >= 20, lists


def test_every_operation_answers_401_to_a_caller_not_signed_in(schema: dict[str, Any]) -> None:
    client = Client()
    wrong = []
    for path, method, _op in _operations(schema):
        url = re.sub(r"\{job_id\}", "00000000-0000-0000-0000-000000000001", path)
        url = re.sub(r"\{[a-z_]+\}", "1", url)
        answer = getattr(client, method)(url, content_type="application/json")
        if answer.status_code != 401 or answer["Content-Type"] != "application/problem+json":
            wrong.append(f"{method.upper()} {url}: {answer.status_code}")
    assert not wrong, "\n".join(wrong)


def test_docs_api_md_lists_every_operation(schema: dict[str, Any]) -> None:
    """docs/api.md cannot drift: each operation is there as `METHOD /path` (without /api/v1), and nothing else."""
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "api.md").read_text()
    documented = set(re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?]*)`", text))
    wanted = {(m.upper(), p.removeprefix("/api/v1")) for p, m, _op in _operations(schema)}
    assert wanted - documented == set(), sorted(wanted - documented)
    assert documented - wanted == set(), sorted(documented - wanted)
