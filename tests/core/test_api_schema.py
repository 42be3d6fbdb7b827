"""schemathesis against /api/v1/openapi.json (a short run): logged in as a coordinator through a real session,
every answer is no 5xx and matches the schema, 404 and 422 included (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.assessments.helpers import make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory


@pytest.fixture
def session_cookie(client: Any, db: Any) -> str:
    partnership, _orgs = partnership_with_members()
    make_wave(partnership)
    user = UserFactory()
    grant(user, partnership, "coordinator")
    client.force_login(user)  # a real session row, sent as the browser would send it
    return str(client.cookies["sessionid"].value)


MAX_EXAMPLES = 25  # per operation: a short run (about a minute for the whole API)


@pytest.mark.django_db
def test_the_api_answers_every_request_as_its_schema_says(session_cookie: str) -> None:
    # As Django's test client does: the test's database connection must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _run(session_cookie)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(session_cookie: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case: Any) -> None:
            case.cookies = {**(case.cookies or {}), "sessionid": session_cookie}
            case.call_and_validate()

        check()
