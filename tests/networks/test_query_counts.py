"""Network pages, the relationship survey's picker and the networks API cost the same for 5 organisations or 50."""

from __future__ import annotations

from typing import Any

import factory
import pytest

from joinedup.register.models import Organisation
from tests.conftest import grant
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ResponseFactory,
    TieRatingFactory,
    UserFactory,
)
from tests.networks.helpers import invite, link_for, relationship_wave
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@pytest.fixture
def waves(client: Any) -> tuple[Any, Any]:
    """Two relationship waves of one partnership, seen by its coordinator."""
    partnership = PartnershipFactory()
    first, _ = relationship_wave(title="Wave 1", partnership=partnership)
    second, _ = relationship_wave(title="Wave 2", partnership=partnership)
    user = UserFactory()
    grant(user, partnership, "coordinator")
    client.force_login(user)
    return first, second


def answer(wave: Any, source: Organisation, targets: list[Organisation]) -> None:
    response = ResponseFactory(wave=wave, organisation=source, sector=source.sector, submitted=True)
    for target in targets:
        TieRatingFactory(response=response, target=target, exchanges=["referrals"])


def add_answering_members(first: Any, second: Any) -> Any:
    """Members who each name the two (first wave) or the first and third (second wave) who joined before them."""
    orgs: list[Organisation] = []

    def add(n: int) -> None:
        for _ in range(n):
            org = MembershipFactory(partnership=first.partnership).organisation
            if len(orgs) >= 3:
                answer(first, org, [orgs[-1], orgs[-2]])
                answer(second, org, [orgs[-1], orgs[-3]])
            orgs.append(org)

    return add


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/networks/waves/{second}/", {}),
        ("/networks/waves/{second}/", {"min_frequency": 3}),
        ("/networks/partnerships/{partnership}/compare/", {"before": "{first}", "after": "{second}"}),
        ("/networks/partnerships/{partnership}/", {}),
        ("/api/v1/networks/waves/{second}", {}),
        ("/api/v1/networks/compare", {"from": "{first}", "to": "{second}"}),
    ],
)
def test_network_pages_and_api(client: Any, waves: tuple[Any, Any], url: str, params: dict[str, Any]) -> None:
    first, second = waves
    ids = {"first": first.pk, "second": second.pk, "partnership": first.partnership_id}
    filled = {k: str(v).format(**ids) for k, v in params.items()}
    add = add_answering_members(first, second)
    assert_num_queries_stable(client, url.format(**ids), setup=add, params=filled)


def test_partnership_networks_page_with_many_waves(client: Any, waves: tuple[Any, Any]) -> None:
    first, _ = waves

    def add(n: int) -> None:
        for i in range(n):
            relationship_wave(title=f"Another wave {i}", partnership=first.partnership)

    assert_num_queries_stable(client, f"/networks/partnerships/{first.partnership_id}/", setup=add)


@pytest.mark.parametrize("params", [{"step": "choose", "q": "community"}, {"step": "choose"}])
def test_the_picker_costs_the_same_for_a_small_or_a_large_register(
    client: Any, params: dict[str, str]
) -> None:
    wave, (a, _, _, _) = relationship_wave()
    url = link_for(invite(wave, a))

    def add(n: int) -> None:
        name = factory.Sequence(lambda i: f"Northshire Community Interest Company {i:03d}")
        OrganisationFactory.create_batch(n, name=name, sector="voluntary")

    assert_num_queries_stable(client, url, setup=add, params=params, sizes=(3, 150))
