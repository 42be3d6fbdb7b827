"""A pack costs the same number of queries for 5 members as for 50 (built in the worker, but a big partnership
must not make it crawl), for the partnership's pack and a partner's; the pack form page too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.reports.selectors import pack_build
from tests.conftest import grant
from tests.factories.accounts import UserFactory
from tests.factories.governance import MeetingFactory
from tests.insight.world import World
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World()


@pytest.mark.parametrize("partner", [False, True])
def test_a_pack_costs_the_same_queries_for_5_or_50_members(world: World, partner: bool) -> None:
    coordinator = UserFactory()
    grant(coordinator, world.partnership, "coordinator")

    def build() -> None:
        organisation = world.members[0] if partner else None
        pack = pack_build(user=coordinator, partnership=world.partnership, organisation=organisation)
        assert len(pack.sections) >= 8

    assert_num_queries_stable(build, setup=world.grow, sizes=(5, 50))


def test_the_pack_form_costs_the_same_queries_for_5_or_50_members_and_meetings(world: World) -> None:
    coordinator = UserFactory()
    grant(coordinator, world.partnership, "coordinator")
    client = Client()
    client.force_login(coordinator)

    def setup(n: int) -> None:
        world.grow(n)
        MeetingFactory.create_batch(n, partnership=world.partnership, state="held")

    assert_num_queries_stable(client, reverse("reports:pack", args=[world.partnership.pk]), setup=setup)
