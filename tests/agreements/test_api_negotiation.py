"""Agreements API, negotiation: comments, positions and signing by hash, through the same services as the
proposal page. Signing sends the hash the client read: a stale one is refused (409) and nothing is signed."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.agreements.models import Comment, Position, Signature
from tests.agreements.helpers import make_place, proposed_version
from tests.api_helpers import Api, token_for
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place() -> Any:
    place = make_place(members=2)
    place.version = proposed_version(place)
    return place


def _url(place: Any, what: str = "") -> str:
    v = place.version
    return f"/api/v1/agreements/{v.agreement_id}/versions/{v.number}" + (f"/{what}" if what else "")


def test_sign_by_the_hash_read_and_the_last_signature_brings_it_into_force(place: Any) -> None:
    first, second = place.orgs
    for org in (first, second):
        api = Api(token_for(place.signatories[org.pk], [place.partnership]))
        read = api.get(_url(place)).json()
        signed = api.post(
            _url(place, "signatures"), {"organisation_id": org.pk, "content_hash": read["content_hash"]}
        )
        assert signed.status_code == 201, signed.content
        assert signed.json()["signature"]["content_hash"] == place.version.content_hash
    assert signed.json()["version_status"] == "in_force"
    listed = Api(user=place.coordinator).get(_url(place, "signatures")).json()["items"]
    assert sorted(s["organisation_id"] for s in listed) == sorted(o.pk for o in place.orgs)


def test_a_stale_hash_is_refused_409_and_nothing_is_signed(place: Any) -> None:
    org = place.orgs[0]
    api = Api(token_for(place.signatories[org.pk], [place.partnership]))
    answer = api.post(_url(place, "signatures"), {"organisation_id": org.pk, "content_hash": "ab" * 32})
    assert answer.status_code == 409 and answer["Content-Type"] == "application/problem+json"
    assert "changed since you opened it" in answer.json()["detail"]
    assert not Signature.objects.exists()
    again = api.post(
        _url(place, "signatures"), {"organisation_id": org.pk, "content_hash": place.version.content_hash}
    )
    assert again.status_code == 201
    twice = api.post(
        _url(place, "signatures"), {"organisation_id": org.pk, "content_hash": place.version.content_hash}
    )
    assert twice.status_code == 409 and Signature.objects.count() == 1


def test_signing_is_refused_to_those_who_do_not_sign_and_to_read_only_tokens(place: Any) -> None:
    org = place.orgs[0]
    body = {"organisation_id": org.pk, "content_hash": place.version.content_hash}
    assert Api().post(_url(place, "signatures"), body).status_code == 401
    assert (
        Api(token_for(place.reps[org.pk], [place.partnership]))
        .post(_url(place, "signatures"), body)
        .status_code
        == 403
    )
    read_only = Api(token_for(place.signatories[org.pk], [place.partnership], can_write=False))
    assert read_only.get(_url(place)).status_code == 200
    assert read_only.post(_url(place, "signatures"), body).status_code == 403
    other = place.orgs[1]  # signs for the first organisation only
    mine = Api(token_for(place.signatories[org.pk], [place.partnership]))
    assert mine.post(_url(place, "signatures"), {**body, "organisation_id": other.pk}).status_code == 403
    elsewhere = UserFactory()
    from tests.conftest import grant

    theirs = PartnershipFactory()
    grant(elsewhere, theirs, "coordinator")
    assert Api(token_for(elsewhere, [theirs])).post(_url(place, "signatures"), body).status_code == 404
    assert not Signature.objects.exists()


def test_a_bad_body_names_each_field(place: Any) -> None:
    org = place.orgs[0]
    api = Api(token_for(place.signatories[org.pk], [place.partnership]))
    answer = api.post(_url(place, "signatures"), {"organisation_id": "x", "content_hash": "NOT HEX"})
    assert answer.status_code == 422
    assert {p["name"] for p in answer.json()["invalid_params"]} == {"organisation_id", "content_hash"}


def test_comments_on_a_proposal_and_replies(place: Any) -> None:
    rep = place.reps[place.orgs[0].pk]
    api = Api(token_for(rep, [place.partnership]))
    clause = place.version.clauses.first()
    made = api.post(_url(place, "comments"), {"text": "Who chairs?", "clause_id": clause.pk})
    assert made.status_code == 201, made.content
    reply = api.post(_url(place, "comments"), {"text": "The council.", "parent_id": made.json()["id"]})
    assert reply.status_code == 201 and reply.json()["clause_id"] == clause.pk  # a reply is on its clause
    listed = api.get(_url(place, "comments")).json()["items"]
    assert [c["text"] for c in listed] == ["Who chairs?", "The council."]
    assert listed[0]["organisation_id"] == place.orgs[0].pk
    assert api.post(_url(place, "comments"), {"text": "x", "parent_id": 999999}).status_code == 422
    assert api.post(_url(place, "comments"), {"text": ""}).status_code == 422
    read_only = Api(token_for(rep, [place.partnership], can_write=False))
    assert read_only.post(_url(place, "comments"), {"text": "No"}).status_code == 403
    assert Comment.objects.count() == 2


def test_a_position_is_recorded_for_the_organisation_spoken_for(place: Any) -> None:
    org = place.orgs[0]
    api = Api(token_for(place.reps[org.pk], [place.partnership]))
    refused = api.post(_url(place, "positions"), {"organisation_id": org.pk, "position": "object"})
    assert refused.status_code == 422 and refused.json()["invalid_params"][0]["name"] == "reason"
    made = api.post(
        _url(place, "positions"), {"organisation_id": org.pk, "position": "object", "reason": "Costs"}
    )
    assert made.status_code == 201 and made.json()["position"] == "object"
    again = api.post(_url(place, "positions"), {"organisation_id": org.pk, "position": "support"})
    assert again.status_code == 201 and Position.objects.get().position == "support"  # replaces the first
    assert (
        api.post(
            _url(place, "positions"), {"organisation_id": place.orgs[1].pk, "position": "support"}
        ).status_code
        == 403
    )
    listed = api.get(_url(place, "positions")).json()["items"]
    assert [(p["organisation_id"], p["position"]) for p in listed] == [(org.pk, "support")]


def test_versions_are_listed_newest_first_with_their_hashes(place: Any) -> None:
    api = Api(user=place.coordinator)
    versions = api.get(f"/api/v1/agreements/{place.version.agreement_id}/versions").json()["items"]
    assert [v["number"] for v in versions] == [place.version.number]
    assert versions[0]["content_hash"] == place.version.content_hash
    assert api.get(f"/api/v1/agreements/{place.version.agreement_id}/versions/99").status_code == 404
