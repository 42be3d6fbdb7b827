"""The indicators API: list with readings, a series point by point, and recording a measurement (201, 403,
404, and 422 naming the field)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from joinedup.outcomes.models import Measurement
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.outcomes.helpers import make_indicator, record

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup():
    made = make_indicator()
    record(made, [19.6, 13.8, 14.2, 14.6, 15.9, 17.1, 18.2, 18.9])
    return made


def test_the_list_and_the_series_carry_the_spc_reading(setup):
    client = client_for(setup.coordinator)
    listed = client.get(f"/api/v1/partnerships/{setup.place.partnership.pk}/indicators").json()["items"]
    assert [(i["title"], i["variation"], i["assurance"]) for i in listed] == [
        ("Seen within two weeks", "special_cause_improvement", "consistent_fail")
    ]
    series = client.get(f"/api/v1/indicators/{setup.indicator.pk}/series").json()
    assert (
        series["points"][-1]["rule"] == "trend"
        and series["points"][-1]["point_type"] == "special_cause_improvement"
    )
    assert series["points"][0]["period"] == "2024-01"
    assert series["groups"][0]["provisional"] is True


def test_recording_by_the_api(setup):
    client = client_for(setup.coordinator)
    url = f"/api/v1/indicators/{setup.indicator.pk}/measurements"
    answer = client.post(
        url,
        json.dumps({"period": "2026-01", "value": 17, "numerator": 17, "denominator": 100}),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["revision"] == 1
    answer = client.post(url, json.dumps({"period": "2026-01", "value": 18}), content_type="application/json")
    assert answer.json()["revision"] == 2
    assert (
        Measurement.objects.filter(indicator=setup.indicator, period__year=2026, period__month=1).count() == 2
    )


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"period": "2025-11", "value": 1}, "period", "does not start a period"),
        ({"period": "2025-10", "value": 5, "numerator": 1, "denominator": 2}, "value", "does not agree"),
        ({"period": "2025-10", "value": 5, "numerator": 1}, "denominator", "Give the denominator too"),
        ({"period": "2025-10"}, "value", ""),
    ],
)
def test_refused_figures_answer_422_naming_the_field(setup, body, field, words):
    answer = client_for(setup.coordinator).post(
        f"/api/v1/indicators/{setup.indicator.pk}/measurements",
        json.dumps(body),
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 422 and problem["title"] == "Unprocessable Entity" and problem["detail"]
    params = problem["invalid_params"]
    assert any(p["name"] == field and words in p["reason"] for p in params), params


def test_who_may_record_and_see(setup):
    url = f"/api/v1/indicators/{setup.indicator.pk}/measurements"
    body = json.dumps({"period": "2025-10", "value": 1})
    member = UserFactory()
    grant(member, setup.place.partnership, "member")
    assert client_for(member).get(f"/api/v1/indicators/{setup.indicator.pk}/series").status_code == 200
    assert client_for(member).post(url, body, content_type="application/json").status_code == 403
    outsider = UserFactory()
    grant(outsider, PartnershipFactory(), "member")
    assert client_for(outsider).post(url, body, content_type="application/json").status_code == 404
    assert Client().get(f"/api/v1/indicators/{setup.indicator.pk}/series").status_code == 401
