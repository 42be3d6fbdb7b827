"""Sending a respondent's answers through the API (`POST /api/v1/assessment-responses`, the survey link in the
`Survey-Link` header): the same services as the answer pages, all or nothing; a retried request with the same
Idempotency-Key is stored once; an anonymous response keeps nothing that leads back to its link (ADR 7)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import IdempotentRequest
from joinedup.core.tokens import token_hash
from joinedup.surveys import services as survey_services
from joinedup.surveys.models import Invitation, Response
from tests.assessments.helpers import make_wave, partnership_with_members
from tests.factories.surveys import InvitationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/assessment-responses"
INVITATION_TOKEN = "invitation-token-for-the-api-tests-0001"


@pytest.fixture
def wave() -> Any:
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership, anonymity="anonymous")
    wave.open_token = survey_services.wave_open(by=None, wave=wave, open_link=True)
    wave.orgs = orgs
    return wave


def _answers(wave: Any) -> dict[str, Any]:
    keys = [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]
    return {key: 4 for key in keys[:-1]} | {keys[-1]: "dk"}


def send(link: str | None, body: Any, key: str | None = None, client: Client | None = None) -> Any:
    headers = {}
    if link is not None:
        headers["HTTP_SURVEY_LINK"] = link
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return (client or Client()).post(URL, json.dumps(body), content_type="application/json", **headers)


def test_an_invited_respondent_sends_answers_once(wave: Any) -> None:
    invitation = InvitationFactory(
        wave=wave, organisation=wave.orgs["trust"], token_hash=token_hash(INVITATION_TOKEN)
    )
    body = {
        "answers": _answers(wave),
        "comments": {wave.instrument["dimensions"][0]["key"]: "Good."},
        "profession": "nurse",
    }
    sent = send(INVITATION_TOKEN, body)
    assert sent.status_code == 201, sent.content
    assert set(sent.json()) == {"wave_id", "submitted_on"}  # no id: nothing to link the answers back by
    response = Response.objects.get()
    assert (
        response.is_submitted
        and response.organisation == wave.orgs["trust"]
        and response.profession == "nurse"
    )
    # anonymous: cut loose from the invitation, no resume link, no times (ADR 7)
    assert response.invitation_id is None and response.resume_hash is None and response.submitted_at is None
    assert Invitation.objects.get(pk=invitation.pk).answered
    again = send(INVITATION_TOKEN, body)
    assert again.status_code == 409 and "sent already" in again.json()["detail"]
    assert Response.objects.count() == 1


def test_a_retried_open_link_submission_with_the_same_key_is_stored_once(wave: Any) -> None:
    body = {"answers": _answers(wave), "organisation_id": wave.orgs["council"].pk}
    first = send(wave.open_token, body, key="retry-1")
    retried = send(wave.open_token, body, key="retry-1")
    assert first.status_code == retried.status_code == 201
    assert retried["Idempotent-Replayed"] == "true" and retried.json() == first.json()
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1
    # another key is another respondent through the same open link
    assert send(wave.open_token, body, key="retry-2").status_code == 201
    assert Response.objects.filter(submitted_on__isnull=False).count() == 2
    # what is kept for the key names neither the link nor the answers in the clear
    kept = IdempotentRequest.objects.get(key="retry-1")
    assert kept.scope.startswith("link:") and token_hash(wave.open_token) not in kept.scope
    assert b"organisation" not in bytes(kept.body)


def test_answers_are_checked_against_the_survey_and_nothing_is_kept_when_refused(wave: Any) -> None:
    bad = {
        "answers": {"nonsense": 3, _first_key(wave): 99, _second_key(wave): True},
        "comments": {"nowhere": "x"},
    }
    answer = send(wave.open_token, bad)
    assert answer.status_code == 422
    names = {p["name"] for p in answer.json()["invalid_params"]}
    assert names == {
        "answers.nonsense",
        f"answers.{_first_key(wave)}",
        f"answers.{_second_key(wave)}",
        "comments.nowhere",
    }
    outsider = {"answers": {}, "organisation_id": 999999}
    assert send(wave.open_token, outsider).status_code == 422
    assert not Response.objects.exists()


def _first_key(wave: Any) -> str:
    return str(wave.instrument["dimensions"][0]["items"][0]["key"])


def _second_key(wave: Any) -> str:
    return str(wave.instrument["dimensions"][0]["items"][1]["key"])


def test_a_missing_or_unknown_link_is_401_and_a_closed_wave_409(wave: Any) -> None:
    assert send(None, {"answers": {}}).status_code == 401
    unknown = send("not-a-link", {"answers": {}})
    assert unknown.status_code == 401 and unknown["Content-Type"] == "application/problem+json"
    InvitationFactory(wave=wave, organisation=wave.orgs["trust"], token_hash=token_hash(INVITATION_TOKEN))
    survey_services.wave_close(by=None, wave=wave)
    closed = send(INVITATION_TOKEN, {"answers": _answers(wave)})
    assert closed.status_code == 409 and not Response.objects.exists()


def test_a_named_wave_needs_the_respondents_name(wave: Any) -> None:
    wave.anonymity = "named"
    wave.save(update_fields=["anonymity"])
    refused = send(wave.open_token, {"answers": _answers(wave)})
    assert refused.status_code == 422 and refused.json()["invalid_params"][0]["name"] == "respondent_name"
    sent = send(wave.open_token, {"answers": _answers(wave), "respondent_name": "Asha Patel"})
    assert sent.status_code == 201 and Response.objects.get().respondent_name == "Asha Patel"
