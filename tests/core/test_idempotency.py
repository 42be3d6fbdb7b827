"""Idempotency keys on API writes (core/idempotency.py), tried as a client that retries would: the same request
again is answered again and done once; a key reused for another request is refused; a failed request keeps
nothing, so its retry runs; keys belong to one token or user; old keys are forgotten."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.core import idempotency
from joinedup.core.models import IdempotentRequest
from joinedup.register import tokens
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.factories.outcomes import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> Any:
    user = UserFactory()
    partnership = PartnershipFactory()
    grant(user, partnership, "coordinator")
    indicator = IndicatorFactory(partnership=partnership)
    _t, text = tokens.token_create(by=user, name="loader", partnerships=[partnership], can_write=True, days=1)
    return user, partnership, indicator, text


def post(
    text: str, indicator: Any, body: dict[str, Any], key: str | None, client: Client | None = None
) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {text}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return (client or Client()).post(
        f"/api/v1/indicators/{indicator.pk}/measurements",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_a_retried_write_is_answered_again_and_done_once(setup: Any) -> None:
    _user, _p, indicator, text = setup
    body = {"period": "2026-04", "value": 12}
    first = post(text, indicator, body, "submission-0001")
    again = post(text, indicator, body, "submission-0001")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert indicator.measurements.count() == 1


def test_without_a_key_or_with_another_key_each_write_is_done(setup: Any) -> None:
    _user, _p, indicator, text = setup
    post(text, indicator, {"period": "2026-04", "value": 12}, None)
    post(text, indicator, {"period": "2026-04", "value": 13}, "a")
    post(text, indicator, {"period": "2026-04", "value": 14}, "b")
    assert [m.value for m in indicator.measurements.order_by("revision")] == [12, 13, 14]


def test_a_key_names_one_request(setup: Any) -> None:
    _user, _p, indicator, text = setup
    post(text, indicator, {"period": "2026-04", "value": 12}, "k")
    other = post(text, indicator, {"period": "2026-04", "value": 99}, "k")
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    assert "already used for a different request" in other.json()["detail"]
    assert indicator.measurements.count() == 1


def test_a_refused_write_is_answered_the_same_again(setup: Any) -> None:
    _user, _p, indicator, text = setup
    first = post(text, indicator, {"period": "2026-04"}, "bad")
    again = post(text, indicator, {"period": "2026-04"}, "bad")
    assert first.status_code == again.status_code == 422 and again.content == first.content


def test_a_failed_request_keeps_nothing_and_its_retry_runs(setup: Any, monkeypatch: Any) -> None:
    from joinedup.outcomes import services

    _user, _p, indicator, text = setup
    real = services.measurement_record

    def broken(**kwargs: Any) -> Any:
        real(**kwargs)  # the write is made, then the request fails
        raise RuntimeError("the server fell over")

    monkeypatch.setattr(services, "measurement_record", broken)
    client = Client(raise_request_exception=False)
    failed = post(text, indicator, {"period": "2026-04", "value": 12}, "retry-me", client=client)
    assert failed.status_code == 500
    assert indicator.measurements.count() == 0 and not IdempotentRequest.objects.exists()
    monkeypatch.setattr(services, "measurement_record", real)
    retried = post(text, indicator, {"period": "2026-04", "value": 12}, "retry-me")
    assert retried.status_code == 201 and indicator.measurements.count() == 1


def test_keys_belong_to_one_token(setup: Any) -> None:
    user, partnership, indicator, text = setup
    _t, other = tokens.token_create(
        by=user, name="second", partnerships=[partnership], can_write=True, days=1
    )
    post(text, indicator, {"period": "2026-04", "value": 12}, "same")
    post(other, indicator, {"period": "2026-07", "value": 13}, "same")
    assert indicator.measurements.count() == 2


def test_a_bad_key_is_refused() -> None:
    answer = Client().post("/api/v1/indicators/1/measurements", "{}", content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="x" * 256)  # fmt: skip
    assert answer.status_code == 422 and "Idempotency-Key" in answer.json()["detail"]


def test_old_keys_are_forgotten(setup: Any) -> None:
    _user, _p, indicator, text = setup
    post(text, indicator, {"period": "2026-04", "value": 12}, "old")
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    post(text, indicator, {"period": "2026-07", "value": 12}, "new")
    assert idempotency.prune() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
