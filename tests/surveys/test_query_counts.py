"""Survey wave pages cost the same number of queries for 5 waves, members or responses, or 50."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import grant
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PartnershipFactory,
    PersonFactory,
    ResponseFactory,
    UserFactory,
    WaveFactory,
)
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client: Any) -> Any:
    user = UserFactory()
    grant(user, PartnershipFactory(), "coordinator")
    client.force_login(user)
    return user


@pytest.fixture
def partnership(coordinator: Any) -> Any:
    return coordinator.partnership_roles.get().partnership


def test_wave_list(client: Any, partnership: Any) -> None:
    def add(n: int) -> None:
        for wave in WaveFactory.create_batch(n, partnership=partnership):
            InvitationFactory(wave=wave)
            ResponseFactory(wave=wave, submitted=True)

    assert_num_queries_stable(client, reverse("surveys:wave_list", args=[partnership.pk]), setup=add)


def test_wave_detail_with_its_response_rates(client: Any, partnership: Any) -> None:
    wave = WaveFactory(partnership=partnership)

    def add(n: int) -> None:
        for _ in range(n):
            organisation = MembershipFactory(partnership=partnership).organisation
            invitation = InvitationFactory(wave=wave, organisation=organisation)
            ResponseFactory(wave=wave, invitation=invitation, organisation=organisation, submitted=True)

    url = reverse("surveys:wave_detail", args=[wave.pk])
    assert_num_queries_stable(client, url, setup=add)
    assert_num_queries_stable(
        client, url, setup=add, params={"part": "rates"}, headers={"HX-Request": "true"}
    )


def test_wave_invite_page_lists_every_representative(client: Any, partnership: Any) -> None:
    wave = WaveFactory(partnership=partnership)

    def add(n: int) -> None:
        for _ in range(n):
            membership = MembershipFactory(partnership=partnership)
            membership.representatives.add(PersonFactory(email=f"rep{membership.pk}@example.org"))

    url = reverse("surveys:wave_invite", args=[wave.pk])
    assert_num_queries_stable(client, url, setup=add)
    assert client.get(url).content.decode().count('name="representatives"') == 50
