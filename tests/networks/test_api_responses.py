"""Sending a whole relationship survey through the API (`POST /api/v1/relationship-responses`, the survey link in
the `Survey-Link` header): the answer page's services in one transaction; refused answers named by their place in
the body and nothing kept; a retried request with the same Idempotency-Key stored once; an anonymous response
keeps nothing that leads back to its link (ADR 7)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from joinedup.networks.models import TieRating
from joinedup.surveys import services as survey_services
from joinedup.surveys.models import Response, Wave
from tests.networks.helpers import invite, relationship_wave

pytestmark = pytest.mark.django_db
URL = "/api/v1/relationship-responses"


def tie(organisation: Any, **change: Any) -> dict[str, Any]:
    answers = {
        "organisation_id": organisation.pk,
        "frequency": 3,
        "exchanges": ["information", "referrals"],
        "level": 2,
    }
    answers |= {k: 3 for k in ("trust_reliability", "trust_mission", "trust_openness")}
    answers |= {k: 2 for k in ("value_power", "value_involvement", "value_resources")}
    return answers | change


def send(link: str, body: Any, key: str | None = None) -> Any:
    headers = {"HTTP_SURVEY_LINK": link} | ({"HTTP_IDEMPOTENCY_KEY": key} if key else {})
    return Client().post(URL, json.dumps(body), content_type="application/json", **headers)


def test_an_invited_organisation_sends_its_ties_once(mailoutbox: Any) -> None:
    wave, orgs = relationship_wave()
    token = invite(wave, orgs[0])
    sent = send(token, {"ties": [tie(orgs[1]), tie(orgs[2], level=4, exchanges=[])]})
    assert sent.status_code == 201, sent.content
    assert set(sent.json()) == {"wave_id", "submitted_on"}
    response = Response.objects.get(wave=wave)
    assert response.is_submitted and response.organisation == orgs[0]
    ratings = {t.target_id: t for t in TieRating.objects.filter(response=response)}
    assert set(ratings) == {orgs[1].pk, orgs[2].pk} and ratings[orgs[2].pk].level == 4
    again = send(token, {"ties": [tie(orgs[1])]})
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert TieRating.objects.filter(response=response).count() == 2


def test_refused_answers_are_named_by_place_and_nothing_is_kept(mailoutbox: Any) -> None:
    wave, orgs = relationship_wave()
    token = invite(wave, orgs[0])
    bad = send(token, {"ties": [tie(orgs[1]), tie(orgs[2], trust_mission=9)]})
    assert bad.status_code == 422
    assert [p["name"] for p in bad.json()["invalid_params"]] == ["ties.1.trust_mission"]
    assert not Response.objects.filter(wave=wave, submitted_on__isnull=False).exists()
    assert not TieRating.objects.exists()  # all or nothing: the first tie was not kept either
    own = send(token, {"ties": [tie(orgs[0])]})
    assert own.status_code == 409  # an organisation cannot rate itself (the service's rule)
    stranger = send(token, {"ties": [tie(orgs[1]), {**tie(orgs[1]), "organisation_id": 10**9}]})
    assert stranger.status_code == 422
    assert {p["name"] for p in stranger.json()["invalid_params"]} == {"ties.1.organisation_id"}


def test_an_open_link_retried_with_its_key_is_stored_once_and_anonymous_answers_keep_no_link() -> None:
    wave, orgs = relationship_wave()
    Wave.objects.filter(pk=wave.pk).update(anonymity="anonymous")
    wave.refresh_from_db()
    link = survey_services.wave_open(by=None, wave=wave, open_link=True)
    body = {"organisation_id": orgs[3].pk, "ties": [tie(orgs[0])]}
    first = send(link, body, key="retry-1")
    second = send(link, body, key="retry-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    (response,) = Response.objects.filter(wave=wave)
    assert response.invitation_id is None and response.resume_hash is None and response.submitted_at is None
    assert TieRating.objects.get(response=response).updated_at is None
    assert send(link, {"ties": [tie(orgs[0])]}).status_code == 422  # an open link must say who answers
    assert send("not-a-link", body).status_code == 401
