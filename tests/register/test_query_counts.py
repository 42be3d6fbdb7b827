"""Register pages and API lists cost the same number of queries for 5 rows or 50 (CONVENTIONS item 5)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import grant
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    RoleInvitationFactory,
    TimelineEventFactory,
    UserFactory,
)
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client: Any) -> Any:
    """A signed-in member of one partnership (so may view the register)."""
    user = UserFactory()
    partnership = PartnershipFactory(name="Mine")
    grant(user, partnership, "coordinator")
    client.force_login(user)
    return user


def add_partnerships(user: Any) -> Any:
    parent = PartnershipFactory()

    def add(n: int) -> None:
        for _ in range(n):
            p = PartnershipFactory(parent=parent)
            MembershipFactory(partnership=p)
            grant(user, p)

    return add


def add_members(partnership: Any) -> Any:
    """Members with a representative and a timeline event each, and one past member per batch."""

    def add(n: int) -> None:
        for _ in range(n):
            m = MembershipFactory(partnership=partnership)
            m.representatives.add(PersonFactory())
            TimelineEventFactory(partnership=partnership, organisation=m.organisation)
        MembershipFactory(partnership=partnership, left=datetime.date(2024, 6, 1))

    return add


def add_organisations(n: int) -> None:
    for org in OrganisationFactory.create_batch(n):
        MembershipFactory(organisation=org)


def add_people(n: int) -> None:
    for person in PersonFactory.create_batch(n):
        AffiliationFactory(person=person)
        AffiliationFactory(person=person)


def test_partnership_list(client: Any, member: Any) -> None:
    url = reverse("register:partnership_list")
    assert_num_queries_stable(client, url, setup=add_partnerships(member))


def test_partnership_detail_with_its_members_and_timeline(client: Any, member: Any) -> None:
    partnership = member.partnership_roles.get().partnership
    add = add_members(partnership)
    assert_num_queries_stable(client, partnership.get_absolute_url(), setup=add)


def test_organisation_list(client: Any, member: Any) -> None:
    assert_num_queries_stable(client, reverse("register:organisation_list"), setup=add_organisations)


def test_organisation_detail_with_its_memberships_people_and_timeline(client: Any, member: Any) -> None:
    organisation = OrganisationFactory()

    def add(n: int) -> None:
        for _ in range(n):
            m = MembershipFactory(organisation=organisation)
            grant(member, m.partnership)
            AffiliationFactory(organisation=organisation)
            TimelineEventFactory(organisation=organisation, partnership=m.partnership)
            TimelineEventFactory(organisation=organisation, partnership=None)

    assert_num_queries_stable(client, organisation.get_absolute_url(), setup=add)


def test_person_list(client: Any, member: Any) -> None:
    assert_num_queries_stable(client, reverse("register:person_list"), setup=add_people)


def test_person_detail_with_affiliations_and_representing(client: Any, member: Any) -> None:
    person = PersonFactory()

    def add(n: int) -> None:
        for _ in range(n):
            AffiliationFactory(person=person)
            m = MembershipFactory()
            m.representatives.add(person)
            grant(member, m.partnership)

    assert_num_queries_stable(client, person.get_absolute_url(), setup=add)


def test_landscape_whole_and_one_partnership(client: Any, member: Any) -> None:
    parent = member.partnership_roles.get().partnership
    child = PartnershipFactory(parent=parent)
    grant(member, child)

    def add(n: int) -> None:
        for _ in range(n):
            org = OrganisationFactory(sector="voluntary")
            for p in (parent, child):
                MembershipFactory(partnership=p, organisation=org).representatives.add(PersonFactory())

    url = reverse("register:landscape")
    whole = assert_num_queries_stable(client, url, setup=add)
    # session + user, header, visible partnerships, areas, memberships, representatives,
    # and the user's roles, loaded once for every partnership they can see (the permission check), with
    # the partnerships under the one they coordinate (their place: one query for its one level)
    assert whole == 2 + 1 + 1 + 1 + 2 + 1 + 1
    assert_num_queries_stable(client, url, setup=add, params={"partnership": parent.pk})


def test_landscape_for_a_site_admin(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)

    def add(n: int) -> None:
        for _ in range(n):
            MembershipFactory().representatives.add(PersonFactory())

    counted = assert_num_queries_stable(client, reverse("register:landscape"), setup=add)
    # session + user, header, visible partnerships, areas, memberships, representatives (no role check)
    assert counted == 7


@pytest.mark.parametrize(
    ("url", "add"),
    [
        ("/api/v1/organisations", add_organisations),
        ("/api/v1/people", add_people),
    ],
)
def test_api_register_lists(client: Any, member: Any, url: str, add: Any) -> None:
    assert_num_queries_stable(client, url, setup=add)


def test_api_partnership_list(client: Any, member: Any) -> None:
    assert_num_queries_stable(client, "/api/v1/partnerships", setup=add_partnerships(member))


def test_api_partnership_detail_with_its_members(client: Any, member: Any) -> None:
    partnership = member.partnership_roles.get().partnership
    url = f"/api/v1/partnerships/{partnership.pk}"
    assert_num_queries_stable(client, url, setup=add_members(partnership))


def test_person_list_and_api_for_a_coordinator_with_service_users(client: Any) -> None:
    """The people rule (register.people_access) is subqueries: as many queries for 2 people as for many."""
    coordinator = UserFactory()
    partnership = PartnershipFactory()
    grant(coordinator, partnership, "coordinator")
    client.force_login(coordinator)
    forum = MembershipFactory(
        partnership=partnership, organisation=OrganisationFactory(sector="service_user")
    )

    def add(n: int) -> None:
        for person in PersonFactory.create_batch(n, profession="service_user", email="a@example.org"):
            AffiliationFactory(person=person, organisation=forum.organisation)
            AffiliationFactory(person=person)
        add_people(n)

    assert_num_queries_stable(client, reverse("register:person_list"), setup=add)
    assert_num_queries_stable(client, reverse("api:list_people"), setup=add)
    assert_num_queries_stable(client, forum.organisation.get_absolute_url(), setup=add)


def test_people_and_roles_page(client: Any, member: Any) -> None:
    partnership = member.partnership_roles.get().partnership

    def add(n: int) -> None:
        for _ in range(n):
            m = MembershipFactory(partnership=partnership)
            grant(
                UserFactory(), partnership, "representative", organisation=m.organisation, is_signatory=True
            )
            RoleInvitationFactory(partnership=partnership, role="representative", organisation=m.organisation)

    assert_num_queries_stable(client, reverse("register:partnership_roles", args=[partnership.pk]), setup=add)
