"""A partnership's history page lists its audit events (its chain), newest first, a page at a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from joinedup.core.choices import AuditVerb
from joinedup.core.services import audit_record
from tests.conftest import grant
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


def test_the_history_lists_the_partnerships_events_and_no_others(client: Any) -> None:
    partnership, other = PartnershipFactory(name="Northshire Together"), PartnershipFactory()
    coordinator = UserFactory(email="coord@example.org")
    grant(coordinator, partnership, "coordinator")
    membership = MembershipFactory(partnership=partnership, organisation__name="Northshire Homes")
    audit_record(by=coordinator, verb=AuditVerb.MEMBERSHIP_ADDED, target=membership)
    audit_record(by=None, verb=AuditVerb.PARTNERSHIP_UPDATED, target=other, data={"secret": "x"})
    audit_record(
        by=None, verb=AuditVerb.ORGANISATION_UPDATED, target=OrganisationFactory(name="Elsewhere Ltd")
    )
    client.force_login(coordinator)
    detail = client.get(reverse("register:partnership_detail", args=[partnership.pk])).content.decode()
    url = reverse("register:partnership_history", args=[partnership.pk])
    assert url in detail
    page = client.get(url).content.decode()
    assert "1 change recorded" in page and "Member added" in page and "coord@example.org" in page
    assert str(membership) in page
    assert other.name not in page and "Elsewhere Ltd" not in page


def test_a_member_cannot_see_the_history(client: Any) -> None:
    partnership = PartnershipFactory()
    member = UserFactory()
    grant(member, partnership, "member")
    client.force_login(member)
    assert client.get(reverse("register:partnership_history", args=[partnership.pk])).status_code == 403
    detail = client.get(reverse("register:partnership_detail", args=[partnership.pk])).content.decode()
    assert "/history/" not in detail


def test_the_history_is_paginated_and_costs_the_same_queries_for_5_events_or_500(client: Any) -> None:
    partnership = PartnershipFactory()
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    client.force_login(coordinator)

    def add(n: int) -> None:
        for i in range(n):
            audit_record(
                by=coordinator, verb=AuditVerb.PARTNERSHIP_UPDATED, target=partnership, data={"i": i}
            )

    url = reverse("register:partnership_history", args=[partnership.pk])
    assert_num_queries_stable(client, url, setup=add, sizes=(5, 120))
    page = client.get(url).content.decode()
    assert "120 changes recorded" in page and page.count("Partnership changed") == 50
    assert "?page=2" in page
