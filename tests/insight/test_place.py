"""The place view (issue 14 item 4): every partnership of a system leader's place with its warning flags and
integration step, horizontal and vertical, who sits in several partnerships and who is overloaded, on one page
and as a CSV download that holds what the page shows and nothing more."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.insight import services
from joinedup.insight.models import FlagSet
from joinedup.register.choices import PartnershipKind
from tests.conftest import grant
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


def flag(code: str, severity: str, title: str) -> dict[str, Any]:
    return {
        "code": code,
        "severity": severity,
        "title": title,
        "evidence": {},
        "source": "",
        "action": "",
        "url": "",
    }


def flags_kept(partnership: Any, flags: list[dict[str, Any]], step: str = "interdependence") -> FlagSet:
    """A stored flag set as the job leaves it (the place page only reads these)."""
    flag_set = services.flags_recompute(partnership=partnership)
    flag_set.flags, flag_set.ladder = flags, {**flag_set.ladder, "step": step}
    flag_set.save()
    return flag_set


@pytest.fixture
def place() -> dict[str, Any]:
    top = PartnershipFactory(name="Northshire Board", kind=PartnershipKind.HORIZONTAL)
    mh = PartnershipFactory(name="Mental Health", parent=top, kind=PartnershipKind.VERTICAL)
    falls = PartnershipFactory(name='=HYPERLINK("x")', parent=top, kind=PartnershipKind.VERTICAL)
    leader = UserFactory()
    grant(leader, top, "system_leader")
    flags_kept(
        mh,
        [
            flag("dispute_unresolved", "critical", "A dispute is unresolved"),
            flag("fading_attendance", "warning", "A member's attendance is fading"),
        ],
    )
    flags_kept(top, [], step="collaboration")
    return {"top": top, "mh": mh, "falls": falls, "leader": leader}


def test_each_partnership_shows_its_flags_and_ladder_step_with_links_to_its_health_page(
    place: dict[str, Any], client: Client
) -> None:
    client.force_login(place["leader"])
    text = client.get(reverse("register:place")).content.decode()
    mh_card = text[text.index(">Mental Health<") :]
    mh_card = mh_card[: mh_card.index("</li>\n  \n")] if "</li>\n  \n" in mh_card else mh_card[:4000]
    assert "1 critical, 1 warning" in mh_card
    assert "A dispute is unresolved" in mh_card and "A member&#x27;s attendance is fading" in mh_card
    assert f'href="{reverse("insight:health", args=[place["mh"].pk])}"' in mh_card
    assert "Interdependence" in mh_card
    assert "No warning flags" in text  # the board has a flag set with none
    assert "Not worked out yet" in text  # the falls partnership has none stored yet
    assert "1 horizontal (broad strategic), 2 vertical (service integration)" in text
    assert "1 partnership has a critical warning flag" in text


def test_the_download_is_the_page_as_rows_with_formula_like_names_made_safe(
    place: dict[str, Any], client: Client
) -> None:
    client.force_login(place["leader"])
    response = client.get(reverse("register:place_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_name = {r["Partnership"]: r for r in rows}
    assert set(by_name) == {"Northshire Board", "Mental Health", '\'=HYPERLINK("x")'}
    mh = by_name["Mental Health"]
    assert mh["Warning flags"] == "1 critical, 1 warning"
    assert mh["Warning flags: details"] == "A dispute is unresolved; A member's attendance is fading"
    assert mh["Integration"] == "Interdependence"
    assert mh["Part of"] == "Northshire Board" and mh["Kind"] == "Vertical (service integration)"
    assert by_name['\'=HYPERLINK("x")']["Warning flags"] == "Not worked out yet"


def test_the_download_shows_nobody_a_partnership_outside_their_place(
    place: dict[str, Any], client: Client
) -> None:
    outsider = UserFactory()
    grant(outsider, PartnershipFactory(name="Southshire"), "coordinator")
    client.force_login(outsider)
    rows = list(csv.reader(io.StringIO(client.get(reverse("register:place_csv")).content.decode())))
    assert len(rows) == 1  # the heading row only
    assert client.get(reverse("register:place_csv")).status_code == 200
    client.logout()
    assert client.get(reverse("register:place_csv")).status_code == 302  # to sign in


def test_an_organisation_in_more_partnerships_than_the_limit_is_named_as_overloaded(
    place: dict[str, Any], client: Client
) -> None:
    busy = OrganisationFactory(name="Stretched Trust")
    steady = OrganisationFactory(name="Steady Charity")
    children = [PartnershipFactory(parent=place["top"]) for _ in range(3)]
    for p in [place["mh"], place["falls"], *children, place["top"]]:  # 6 > the shipped limit of 4
        MembershipFactory(partnership=p, organisation=busy)
    for p in [place["mh"], place["falls"], place["top"], children[0]]:  # 4: at the limit, not over it
        MembershipFactory(partnership=p, organisation=steady)
    client.force_login(place["leader"])
    text = client.get(reverse("register:place")).content.decode()
    table = text[text.index("Who sits in several partnerships") :]
    assert "Stretched Trust" in table and "Steady Charity" not in table
    assert "2 organisations sit in two or more of these partnerships; 1 in more than 4" in text
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("register:place_csv")).content.decode())))
    assert {r["Partnership"]: r["Overloaded members"] for r in rows}["Mental Health"] == "1"


def test_a_member_sees_no_network_flag_of_a_partnership_they_may_not_see_the_network_of(
    client: Client,
) -> None:
    """The place page shows each flag as the health page would show it to that person."""
    top = PartnershipFactory(name="Board")
    child = PartnershipFactory(name="Child", parent=top)
    flags_kept(child, [flag("peripheral_member", "warning", "A member is at the edge of the network")])
    leader = UserFactory()
    grant(leader, top, "system_leader")
    client.force_login(leader)
    assert "A member is at the edge of the network" in client.get(reverse("register:place")).content.decode()
    from joinedup.insight import selectors

    facts = selectors.place_facts(user=UserFactory(), partnerships=[child])  # nobody: no network view
    assert facts[0].value == "No warning flags" and facts[0].details == ()


def test_the_place_page_and_download_cost_the_same_queries_for_a_bigger_place(
    place: dict[str, Any], client: Client
) -> None:
    client.force_login(place["leader"])

    def add(n: int) -> None:
        for _ in range(n):
            child = PartnershipFactory(parent=place["mh"])
            MembershipFactory(partnership=child)
            flags_kept(child, [flag("overdue_actions", "warning", "Actions are overdue")])

    assert_num_queries_stable(client, reverse("register:place"), setup=add)
    assert_num_queries_stable(client, reverse("register:place_csv"), setup=add)
