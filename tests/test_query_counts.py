"""The query-count helper fails, naming the repeated query, when the cost grows with the rows listed."""

from __future__ import annotations

import pytest

from joinedup.register.models import Membership
from tests.factories import MembershipFactory
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


def test_a_query_per_row_fails_and_shows_the_repeated_query() -> None:
    def one_query_per_membership() -> None:
        for membership in Membership.objects.all():
            assert membership.organisation.name  # a query for each row

    with pytest.raises(AssertionError) as failure:
        assert_num_queries_stable(one_query_per_membership, setup=MembershipFactory.create_batch)
    message = str(failure.value)
    assert "6 queries with 5, 51 with 50" in message
    assert "5 -> 50 times" in message and "register_organisation" in message


def test_a_joined_query_passes_and_returns_the_count() -> None:
    def joined() -> None:
        for membership in Membership.objects.select_related("organisation"):
            assert membership.organisation.name

    assert assert_num_queries_stable(joined, setup=MembershipFactory.create_batch) == 1


def test_the_page_must_answer() -> None:
    from django.test import Client

    with pytest.raises(AssertionError, match="answered 302"):
        assert_num_queries_stable(Client(), "/register/organisations/", setup=lambda n: None)
