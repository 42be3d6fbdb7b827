"""Agreements API: visibility, and the agreement in force with its reading (query counts: test_query_counts.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agreements.helpers import make_place, proposed_version, sign_all

pytestmark = pytest.mark.django_db


def test_schema_lists_the_agreement_endpoints(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/partnerships/{partnership_id}/agreements" in paths
    assert "/api/v1/agreements/{agreement_id}" in paths


def test_agreement_in_force_with_reading(client: Any) -> None:
    place = make_place(members=2)
    version = proposed_version(
        place, term="fixed_end", end_date="2027-03-31", review_interval_months=36, risk_share="each_own"
    )
    sign_all(place, version)
    late = place.add_member()
    client.force_login(place.coordinator)
    data = client.get(f"/api/v1/agreements/{version.agreement_id}").json()
    assert data["in_force"]["number"] == version.number
    assert data["in_force"]["content_hash"] == version.content_hash
    assert [c["kind"] for c in data["in_force"]["clauses"]] == ["aims", "governance", "risk_share"]
    assert len(data["in_force"]["signatures"]) == 2
    assert data["unsigned_current_members"] == [late.pk]
    statuses = {c["key"]: c["status"] for c in data["reading"]["criteria"]}
    assert statuses["no_fixed_end"] == statuses["new_joint_work"] == statuses["risks_shared"] == "not_met"
    assert statuses["regular_review"] == "not_met"  # 36 months is longer than 24
    assert data["reading"]["verdict"] == "contract_like"

    listed = client.get(f"/api/v1/partnerships/{place.partnership.pk}/agreements").json()["items"]
    assert listed[0]["version_in_force"] == version.number
    assert any("not signed by all" in s for s in listed[0]["statuses"])


def test_other_partnerships_are_hidden(client: Any) -> None:
    place, other = make_place(members=1), make_place(members=1)
    version = proposed_version(place)
    client.force_login(other.coordinator)
    assert client.get(f"/api/v1/agreements/{version.agreement_id}").status_code == 404
    assert client.get(f"/api/v1/partnerships/{place.partnership.pk}/agreements").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/agreements/{version.agreement_id}").status_code == 401
