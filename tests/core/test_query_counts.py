"""The home page and the list of a user's background work cost the same for 5 rows or 50."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from joinedup.core.choices import JobStatus
from tests.conftest import grant
from tests.factories import JobFactory, MembershipFactory, PartnershipFactory, UserFactory
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client: Any) -> Any:
    user = UserFactory()
    client.force_login(user)
    return user


def test_home_page_with_many_partnerships(client: Any, user: Any) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            partnership = PartnershipFactory()
            MembershipFactory(partnership=partnership)
            grant(user, partnership)

    assert_num_queries_stable(client, reverse("home"), setup=add)


def test_background_work_list(client: Any, user: Any) -> None:
    def add(n: int) -> None:
        JobFactory.create_batch(n, created_by=user, partnership=PartnershipFactory())
        JobFactory.create_batch(n, created_by=user, status=JobStatus.RUNNING, done=1, total=3)

    assert assert_num_queries_stable(client, reverse("core:job_list"), setup=add) <= 6
