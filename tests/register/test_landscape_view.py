"""The landscape page: scope (all, one partnership and those within it, an area), permissions, content, cost."""

from __future__ import annotations

import datetime
import html
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import grant
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)

URL = reverse("register:landscape")


@pytest.fixture
def place(db: None) -> dict[str, Any]:
    """A parent partnership with two children and a grandchild, one unrelated partnership and one hidden one
    (outside the parent's place, so its coordinator does not see it: they see everything under the parent)."""
    parent = PartnershipFactory(name="Northshire Health and Care Partnership", area="Northshire")
    mental = PartnershipFactory(name="Mental Health Alliance", parent=parent, area="Northshire")
    ageing = PartnershipFactory(name="Ageing Well Board", parent=parent, area="Northshire")
    crisis = PartnershipFactory(name="Crisis Care Group", parent=mental, area="Northshire")
    southdale = PartnershipFactory(name="Southdale Housing Forum", area="Southdale")
    hidden = PartnershipFactory(name="Secret Partnership", area="Northshire")

    trust = OrganisationFactory(name="Northshire Trust", sector="nhs")
    council = OrganisationFactory(name="Northshire Council", sector="local_authority")
    mind = OrganisationFactory(name="Northshire Mind", sector="voluntary")
    homes = OrganisationFactory(name="Southdale Homes", sector="housing", area="Southdale")
    former = OrganisationFactory(name="Former Member Ltd", sector="independent")
    secretive = OrganisationFactory(name="Secretive Org")

    trust_parent = MembershipFactory(partnership=parent, organisation=trust, role="lead")
    MembershipFactory(partnership=mental, organisation=trust, role="host")
    MembershipFactory(partnership=crisis, organisation=trust)
    MembershipFactory(partnership=parent, organisation=council, role="host")
    MembershipFactory(partnership=ageing, organisation=council, role="lead")
    MembershipFactory(partnership=mental, organisation=mind)
    MembershipFactory(partnership=southdale, organisation=homes, role="lead")
    MembershipFactory(partnership=southdale, organisation=trust, role="observer")
    MembershipFactory(partnership=mental, organisation=former, left=datetime.date(2024, 1, 1))
    MembershipFactory(partnership=hidden, organisation=secretive)

    asha = PersonFactory(name="Asha Patel")
    trust_parent.representatives.add(asha)
    mental.memberships.get(organisation=trust).representatives.add(asha)
    ageing.memberships.get(organisation=council).representatives.add(PersonFactory(name="Ben Jones"))

    coordinator = UserFactory()
    for p in (parent, mental, ageing, crisis, southdale):
        grant(coordinator, p, "coordinator")
    return {
        "parent": parent,
        "mental": mental,
        "ageing": ageing,
        "crisis": crisis,
        "southdale": southdale,
        "hidden": hidden,
        "coordinator": coordinator,
    }


def column_headers(content: str) -> list[str]:
    table = content.split('class="nhsuk-table app-grid-table"')[1].split("</thead>")[0]
    return [html.unescape(h) for h in re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)][2:]


def row_cells(content: str, organisation: str) -> list[str]:
    table = content.split('class="nhsuk-table app-grid-table"')[1].split("</table>")[0]
    row = next(r for r in table.split("<tr") if f">{organisation}</a></th>" in r)
    return re.findall(r'<td class="nhsuk-table__cell">([^<]*)</td>', row)[1:]


def section(content: str, heading_id: str) -> str:
    return content.split(f'id="{heading_id}"')[1].split("<h2")[0]


def test_needs_login(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_default_shows_every_partnership_with_landscape_permission(
    client: Any, place: dict[str, Any]
) -> None:
    client.force_login(place["coordinator"])
    content = client.get(URL).content.decode()
    assert column_headers(content) == [
        "Ageing Well Board",
        "Crisis Care Group",
        "Mental Health Alliance",
        "Northshire Health and Care Partnership",
        "Southdale Housing Forum",
    ]
    assert row_cells(content, "Northshire Trust") == ["–", "Member", "Host", "Lead", "Observer"]
    assert row_cells(content, "Northshire Council") == ["Lead", "–", "–", "Host", "–"]
    assert "Secret" not in content
    assert "Former Member Ltd" not in content  # left in 2024
    assert '<th scope="row"' in content


def test_partnership_and_those_within_it(client: Any, place: dict[str, Any]) -> None:
    client.force_login(place["coordinator"])
    content = client.get(URL, {"partnership": place["parent"].pk}).content.decode()
    assert column_headers(content) == [
        "Ageing Well Board",
        "Crisis Care Group",
        "Mental Health Alliance",
        "Northshire Health and Care Partnership",
    ]
    assert "Southdale Homes" not in content
    content = client.get(URL, {"partnership": place["mental"].pk}).content.decode()
    assert column_headers(content) == ["Crisis Care Group", "Mental Health Alliance"]


def test_area(client: Any, place: dict[str, Any]) -> None:
    client.force_login(place["coordinator"])
    content = client.get(URL, {"area": "Southdale"}).content.decode()
    assert column_headers(content) == ["Southdale Housing Forum"]
    assert '<option value="Southdale" selected>' in content
    # a partnership with a current member organisation in the area counts too
    content = client.get(URL, {"area": "Northshire"}).content.decode()
    assert "Southdale Housing Forum" in column_headers(content)


def test_member_of_one_partnership_sees_only_theirs(client: Any, place: dict[str, Any]) -> None:
    member = UserFactory()
    grant(member, place["ageing"], "member")
    client.force_login(member)
    content = client.get(URL).content.decode()
    assert column_headers(content) == ["Ageing Well Board"]
    assert "Northshire Trust" not in content
    assert client.get(URL, {"partnership": place["parent"].pk}).status_code == 404
    assert client.get(URL, {"partnership": place["hidden"].pk}).status_code == 404
    assert client.get(URL, {"partnership": "not-a-number"}).status_code == 404


def test_observer_may_not_see_the_landscape(client: Any, place: dict[str, Any]) -> None:
    observer = UserFactory()
    grant(observer, place["mental"], "observer")
    grant(observer, place["ageing"], "member")
    client.force_login(observer)
    assert client.get(URL, {"partnership": place["mental"].pk}).status_code == 403
    content = client.get(URL).content.decode()
    assert column_headers(content) == ["Ageing Well Board"]
    assert "1 partnership you can see is left out" in content


def test_no_partnerships(client: Any, db: None) -> None:
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert "There are no current member organisations to show" in response.content.decode()
    assert "data-vega-spec" not in response.content.decode()


def test_counts_bridges_and_people(client: Any, place: dict[str, Any]) -> None:
    client.force_login(place["coordinator"])
    content = client.get(URL).content.decode()
    counts = section(content, "counts")
    found = re.findall(r">([^<>]+)</a></td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>(\d+)</td>", counts)
    assert found == [
        ("Northshire Trust", "4"),
        ("Northshire Council", "2"),
        ("Northshire Mind", "1"),
        ("Southdale Homes", "1"),
    ]
    bridges = section(content, "bridges")
    assert (
        "Northshire Trust" in bridges and "Northshire Council" in bridges and "Northshire Mind" not in bridges
    )
    people = section(content, "people")
    assert "Asha Patel" in people and "Ben Jones" not in people  # Ben represents in one partnership only


def test_chart(client: Any, place: dict[str, Any]) -> None:
    client.force_login(place["coordinator"])
    content = client.get(URL, {"partnership": place["mental"].pk}).content.decode()
    assert "vendor/vega/vega-embed.min.js" in content
    spec = json.loads(html.unescape(re.search(r'data-vega-spec="([^"]*)"', content).group(1)))  # type: ignore[union-attr]
    cells = {(v["organisation"], v["column"], v["role"]) for v in spec["layer"][1]["data"]["values"]}
    assert cells == {
        ("Northshire Trust", "Mental Health Alliance", "Host"),
        ("Northshire Trust", "Crisis Care Group", "Member"),
        ("Northshire Mind", "Mental Health Alliance", "Member"),
    }


def test_the_parent_coordinator_sees_a_child_they_hold_no_role_in(client: Any, place: dict[str, Any]) -> None:
    child = PartnershipFactory(name="Frailty Group", parent=place["ageing"], area="Northshire")
    MembershipFactory(partnership=child, organisation=OrganisationFactory(name="Frailty Org"))
    client.force_login(place["coordinator"])
    content = client.get(URL, {"partnership": place["parent"].pk}).content.decode()
    assert "Frailty Group" in column_headers(content) and "Frailty Org" in content


def test_admin_sees_every_partnership(client: Any, place: dict[str, Any], admin_user: Any) -> None:
    client.force_login(admin_user)
    assert "Secret Partnership" in column_headers(client.get(URL).content.decode())
