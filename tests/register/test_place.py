"""The place role: a system leader (or a parent partnership's coordinator) reads, and only reads, every
partnership under theirs; nobody below sees up or sideways; results come only as released."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.core.permissions import Permission, forget_permissions, has_permission
from joinedup.register.models import Partnership
from joinedup.surveys import services as survey_services
from tests.assessments.helpers import add_answers, make_wave
from tests.conftest import grant
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db
P = Permission
READ = {P.PARTNERSHIP_VIEW, P.LANDSCAPE_VIEW, P.NETWORK_VIEW}
WRITE_OR_COPY = set(Permission) - READ - {P.REGISTER_VIEW}


class Place:
    def __init__(self) -> None:
        self.top = PartnershipFactory(name="Northshire Health and Wellbeing Board")
        self.child = PartnershipFactory(name="Better Care Fund", parent=self.top)
        self.grandchild = PartnershipFactory(name="Kingsford Neighbourhood", parent=self.child)
        self.sibling = PartnershipFactory(name="Carers Partnership", parent=self.top)
        self.elsewhere = PartnershipFactory(name="Southshire Board")
        self.leader = UserFactory()
        grant(self.leader, self.top, "system_leader")
        self.top_coordinator = UserFactory()
        grant(self.top_coordinator, self.top, "coordinator")
        self.child_coordinator = UserFactory()
        grant(self.child_coordinator, self.child, "coordinator")

    @property
    def below(self) -> list[Partnership]:
        return [self.child, self.grandchild, self.sibling]


@pytest.fixture
def place() -> Place:
    return Place()


def held(user: Any, partnership: Partnership) -> set[Permission]:
    return {perm for perm in Permission if has_permission(user, perm, partnership)}


def test_a_system_leader_reads_every_partnership_in_the_place_and_changes_none(place: Place) -> None:
    for partnership in [place.top, *place.below]:
        assert held(place.leader, partnership) == READ, partnership
    assert held(place.leader, place.elsewhere) == set()
    for perm in WRITE_OR_COPY:
        assert not any(has_permission(place.leader, perm, p) for p in [place.top, *place.below]), perm
    assert not has_permission(
        place.leader, P.REGISTER_EDIT
    )  # not a coordinator: the register is read-only too


def test_a_parent_coordinator_reads_the_children_but_runs_only_their_own(place: Place) -> None:
    assert P.PARTNERSHIP_EDIT in held(place.top_coordinator, place.top)
    for partnership in place.below:
        assert held(place.top_coordinator, partnership) == READ, partnership
    assert held(place.top_coordinator, place.elsewhere) == set()


def test_a_childs_coordinator_sees_neither_the_parent_nor_its_siblings(place: Place, client: Client) -> None:
    user = place.child_coordinator
    assert P.PARTNERSHIP_EDIT in held(user, place.child)
    assert held(user, place.grandchild) == READ  # their own child: they oversee it
    assert held(user, place.top) == set()
    assert held(user, place.sibling) == set()
    client.force_login(user)
    for hidden in (place.top, place.sibling):
        assert client.get(hidden.get_absolute_url()).status_code == 404
    text = client.get(reverse("register:place")).content.decode()
    assert place.child.name in text and place.grandchild.name in text
    assert place.top.name not in text and place.sibling.name not in text


def test_the_reach_ends_with_the_role(place: Place) -> None:
    place.leader.partnership_roles.all().delete()
    forget_permissions(place.leader)
    assert all(held(place.leader, p) == set() for p in [place.top, *place.below])


def test_a_system_leader_cannot_change_anything_through_the_pages(place: Place, client: Client) -> None:
    client.force_login(place.leader)
    for name in ("register:partnership_edit", "register:membership_add", "register:event_add"):
        assert client.post(reverse(name, args=[place.child.pk]), {"name": "Taken over"}).status_code == 403
    assert client.get(reverse("register:partnership_roles", args=[place.child.pk])).status_code == 403
    assert client.get(reverse("register:partnership_history", args=[place.child.pk])).status_code == 403
    place.child.refresh_from_db()
    assert place.child.name == "Better Care Fund"


# ---- results: only as released, through the same pages as everyone -----------------------------------------


def main(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found
    return found.group(0)


def test_a_system_leader_sees_no_unreleased_result_and_no_more_than_a_member(
    place: Place, client: Client
) -> None:
    org = OrganisationFactory()
    MembershipFactory(partnership=place.child, organisation=org)
    wave = make_wave(place.child, min_group_size=5)
    add_answers(wave, org, 4, comment="a candid comment about the chair")
    member = UserFactory()
    grant(member, place.child, "member")
    url = reverse("assessments:results", args=[wave.pk])

    client.force_login(place.leader)
    below_k = client.get(url).content.decode()
    assert "Nothing of this wave is shown until at least 5 people have answered" in below_k
    assert "candid comment" not in below_k
    assert client.get(reverse("assessments:results_csv", args=[wave.pk])).status_code == 403
    assert client.get(reverse("assessments:comments", args=[wave.pk])).status_code == 403

    add_answers(wave, org, 2)
    released = main(client.get(url).content.decode())
    client.force_login(member)
    assert released == main(client.get(url).content.decode())  # what a member sees, no more


# ---- the place page ------------------------------------------------------------------------------------


def test_the_place_page_lists_the_tree_with_members_and_results_links(place: Place, client: Client) -> None:
    org = OrganisationFactory(name="Northshire County Council")
    MembershipFactory(partnership=place.grandchild, organisation=org)
    wave = make_wave(place.grandchild, title="Kingsford health check")
    survey_services.wave_open(by=None, wave=wave, open_link=False)
    make_wave(place.sibling, title="Never opened")
    client.force_login(place.leader)

    text = client.get(reverse("register:place")).content.decode()

    # tree order: the top, then each partnership under it by name, each followed by those under it
    positions = [text.index(p.name) for p in (place.top, place.child, place.grandchild, place.sibling)]
    assert positions == sorted(positions)
    assert "Northshire County Council" in text
    assert f'href="{reverse("assessments:results", args=[wave.pk])}"' in text
    assert "Kingsford health check</a> (" in text and "still open)" in text
    assert "Never opened" not in text
    assert place.elsewhere.name not in text
    assert "Part of Better Care Fund" in text


def test_someone_without_a_place_is_told_what_the_page_is_for(client: Client) -> None:
    user = UserFactory()
    grant(user, PartnershipFactory(), "member")
    client.force_login(user)
    assert "You do not oversee a place" in client.get(reverse("register:place")).content.decode()


def test_the_home_page_and_the_list_show_the_place(place: Place, client: Client) -> None:
    client.force_login(place.leader)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("register:place")}"' in home and "the 4 partnerships you oversee" in home
    listed = client.get(reverse("register:partnership_list")).content.decode()
    assert all(p.name in listed for p in [place.top, *place.below])
    assert place.elsewhere.name not in listed


def test_the_place_page_costs_the_same_queries_for_a_bigger_place(place: Place, client: Client) -> None:
    client.force_login(place.leader)

    def add(n: int) -> None:
        for _ in range(n):
            child = PartnershipFactory(parent=place.child)
            MembershipFactory(partnership=child)
            wave = make_wave(child)
            survey_services.wave_open(by=None, wave=wave, open_link=False)

    assert_num_queries_stable(client, reverse("register:place"), setup=add)
