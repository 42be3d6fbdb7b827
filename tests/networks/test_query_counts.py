"""The network page, the compare page and the API cost the same number of queries for 5 organisations or 25."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import grant
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory
from tests.networks.helpers import relationship_wave
from tests.networks.test_api import submit

pytestmark = pytest.mark.django_db


def two_waves(size: int) -> tuple[Any, Any]:
    """Two relationship waves in which every one of `size` members names the next two (a ring)."""
    partnership = PartnershipFactory()
    orgs = [MembershipFactory(partnership=partnership).organisation for _ in range(size)]
    first, _ = relationship_wave(title="Wave 1", partnership=partnership)
    second, _ = relationship_wave(title="Wave 2", partnership=first.partnership)
    for i, org in enumerate(orgs):
        submit(first, org, [orgs[(i + 1) % size], orgs[(i + 2) % size]])
        submit(second, org, [orgs[(i + 1) % size], orgs[(i + 3) % size]])
    return first, second


def queries(client: Any, url: str, params: dict[str, Any] | None = None) -> int:
    client.get(url, params)  # warm up (session, permission cache per request is rebuilt anyway)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def counts(client: Any, size: int) -> dict[str, int]:
    first, second = two_waves(size)
    user = UserFactory()
    grant(user, first.partnership, "coordinator")
    client.force_login(user)
    compare = {"before": first.pk, "after": second.pk}
    counted = {
        "page": queries(client, f"/networks/waves/{second.pk}/"),
        "filtered page": queries(client, f"/networks/waves/{second.pk}/", {"min_frequency": 3}),
        "compare page": queries(client, f"/networks/partnerships/{first.partnership_id}/compare/", compare),
        "api wave": queries(client, f"/api/v1/networks/waves/{second.pk}"),
        "api compare": queries(client, "/api/v1/networks/compare", {"from": first.pk, "to": second.pk}),
    }
    client.logout()
    return counted


def test_query_counts_do_not_grow_with_the_number_of_organisations(client):
    small = counts(client, 5)
    large = counts(client, 25)
    assert large == small
