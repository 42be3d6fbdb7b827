"""Register API: visibility, permissions, filters, pagination and query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.conftest import grant
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client: Any) -> Any:
    user = UserFactory()
    partnership = PartnershipFactory(name="Mine")
    grant(user, partnership)
    client.force_login(user)
    return partnership


def test_openapi_schema_answers(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/partnerships/{partnership_id}" in paths
    assert "/api/v1/people" in paths


def test_signed_out_caller_is_refused(client: Any) -> None:
    PartnershipFactory()
    assert client.get("/api/v1/partnerships").status_code == 401
    assert client.get("/api/v1/organisations").status_code == 401


def test_partnership_list_holds_only_visible_ones(client: Any, member: Any) -> None:
    PartnershipFactory(name="Theirs")
    MembershipFactory(partnership=member)
    body = client.get("/api/v1/partnerships").json()
    assert body["next_cursor"] is None
    assert [(p["name"], p["member_count"]) for p in body["items"]] == [("Mine", 1)]


def test_partnership_detail_lists_members(client: Any, member: Any) -> None:
    current = MembershipFactory(partnership=member, role="lead")
    rep = PersonFactory(name="Asha Patel")
    current.representatives.add(rep)
    MembershipFactory(partnership=member, left=datetime.date(2024, 1, 1))
    body = client.get(f"/api/v1/partnerships/{member.pk}").json()
    assert body["name"] == "Mine"
    assert body["member_count"] == 1
    assert len(body["members"]) == 2
    lead = next(m for m in body["members"] if m["role"] == "lead")
    assert lead["organisation_name"] == current.organisation.name
    assert lead["representatives"] == [{"id": rep.pk, "name": "Asha Patel"}]


def test_member_cannot_read_another_partnership(client: Any, member: Any) -> None:
    theirs = PartnershipFactory(name="Theirs")
    assert client.get(f"/api/v1/partnerships/{theirs.pk}").status_code == 404
    assert client.get("/api/v1/partnerships/999999").status_code == 404


def test_site_admin_reads_every_partnership(client: Any) -> None:
    client.force_login(UserFactory(is_superuser=True))
    p = PartnershipFactory()
    assert client.get(f"/api/v1/partnerships/{p.pk}").status_code == 200


def test_organisations_search_filter_and_pages(client: Any, member: Any) -> None:
    OrganisationFactory.create_batch(52, sector="nhs")
    OrganisationFactory(name="Northshire Mind", sector="voluntary", charity_number="1234567")
    body = client.get("/api/v1/organisations", {"sector": "nhs"}).json()
    assert len(body["items"]) == 50
    rest = client.get(body["next"]).json()
    assert len(rest["items"]) == 2 and rest["next"] is None
    assert "sector=nhs" in body["next"]
    found = client.get("/api/v1/organisations", {"search": "1234567"}).json()
    assert [o["name"] for o in found["items"]] == ["Northshire Mind"]


def test_organisation_detail(client: Any, member: Any) -> None:
    org = OrganisationFactory(postcode="NS1 1AA")
    body = client.get(f"/api/v1/organisations/{org.pk}").json()
    assert body["name"] == org.name
    assert body["postcode"] == "NS1 1AA"
    assert client.get("/api/v1/organisations/999999").status_code == 404


def test_people_with_affiliations(client: Any, member: Any) -> None:
    person = PersonFactory(name="Sam Okafor", profession="other", profession_other="Link worker")
    affiliation = AffiliationFactory(person=person)
    PersonFactory(name="Ann Lee", profession="gp")
    body = client.get("/api/v1/people", {"search": "okafor"}).json()
    assert len(body["items"]) == 1
    item = body["items"][0]
    assert item["profession_label"] == "Link worker"
    assert item["affiliations"][0]["organisation_name"] == affiliation.organisation.name
    assert client.get("/api/v1/people", {"profession": "gp"}).json()["items"][0]["name"] == "Ann Lee"
