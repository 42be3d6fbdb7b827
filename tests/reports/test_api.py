"""The reports API: a pack asked for with a token is made in the background (202 and the job to poll), then
fetched as a file; EXPORT is checked when asked and when fetched, like the pack page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from joinedup.core.jobs import job_run_here
from joinedup.core.models import Job
from joinedup.register.models import PartnershipRole
from joinedup.reports.choices import PACK_JOB
from tests.api_helpers import token_for
from tests.assessments.helpers import partnership_with_members
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def call(method: str, path: str, token: str | None, body: dict[str, Any] | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    send = getattr(Client(), method)
    if body is None:
        return send(f"/api/v1{path}", **headers)
    return send(f"/api/v1{path}", json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def world() -> dict[str, Any]:
    partnership, orgs = partnership_with_members(name="Kingsford Partnership")
    evaluator = UserFactory()
    grant(evaluator, partnership, "evaluator")  # evaluators may take the figures away (EXPORT)
    return {
        "p": partnership,
        "orgs": orgs,
        "user": evaluator,
        "token": token_for(evaluator, [partnership], can_write=False),
    }


def test_a_pack_is_asked_for_made_in_the_background_and_fetched(world: dict[str, Any]) -> None:
    p, token = world["p"], world["token"]
    asked = call(
        "post", f"/partnerships/{p.pk}/reports", token, {"format": "html", "partner": "County Council"}
    )
    assert asked.status_code == 202, asked.content
    job = Job.objects.get(kind=PACK_JOB, created_by=world["user"])
    assert asked["Location"] == f"/api/v1/jobs/{job.pk}" and asked.json()["status"] == "queued"
    assert job.params == {"partnership": p.pk, "organisation": world["orgs"]["council"].pk, "format": "html"}
    not_yet = call("get", f"/reports/{job.pk}/file", token)
    assert not_yet.status_code == 409 and not_yet["Content-Type"] == "application/problem+json"
    job_run_here(str(job.pk))
    assert call("get", f"/jobs/{job.pk}", token).json()["status"] == "done"
    got = call("get", f"/reports/{job.pk}/file", token)
    assert got.status_code == 200 and got["Content-Type"].startswith("text/html")
    assert "County Council: governance pack for Kingsford Partnership" in got.content.decode()
    assert "attachment" in got["Content-Disposition"]

    # EXPORT is asked again when the file is fetched: an evaluator made an observer may no longer have it
    PartnershipRole.objects.filter(user=world["user"]).update(role="observer")
    refused = call("get", f"/reports/{job.pk}/file", token_for(world["user"], [p], can_write=False))
    assert refused.status_code == 403


def test_who_may_not_ask_is_told_why_and_nothing_is_queued(world: dict[str, Any]) -> None:
    p = world["p"]
    observer = UserFactory()
    grant(observer, p, "observer")
    assert call("post", f"/partnerships/{p.pk}/reports", token_for(observer, [p]), {}).status_code == 403
    assert call("post", f"/partnerships/{p.pk}/reports", None, {}).status_code == 401
    elsewhere = PartnershipFactory()
    assert call("post", f"/partnerships/{elsewhere.pk}/reports", world["token"], {}).status_code == 404
    bad = call("post", f"/partnerships/{p.pk}/reports", world["token"], {"partner": "Nobody Ltd"})
    assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "partner"
    wrong = call("post", f"/partnerships/{p.pk}/reports", world["token"], {"format": "docx"})
    assert wrong.status_code == 422 and wrong.json()["invalid_params"][0]["name"] == "format"
    assert not Job.objects.filter(kind=PACK_JOB).exists()


def test_someone_elses_pack_is_not_found(world: dict[str, Any]) -> None:
    p = world["p"]
    call("post", f"/partnerships/{p.pk}/reports", world["token"], {})
    job = Job.objects.get(kind=PACK_JOB)
    other = UserFactory()
    grant(other, p, "evaluator")
    assert call("get", f"/reports/{job.pk}/file", token_for(other, [p])).status_code == 404
