"""The representative picker: only the organisation's people are offered, a search narrows them (as you type and
with the Search button), and the server refuses someone who does not work for the organisation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from joinedup.register.models import Affiliation, Membership
from tests.conftest import grant
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(client: Any) -> dict[str, Any]:
    """A partnership's coordinator signed in; a borough council with two staff (one who has left) and a GP
    practice with its doctor."""
    user = UserFactory()
    partnership = PartnershipFactory(name="Kingsford Health and Care")
    grant(user, partnership, "coordinator")
    client.force_login(user)
    council = OrganisationFactory(name="Kingsford Borough Council", sector="local_authority")
    practice = OrganisationFactory(name="Riverside Surgery", sector="nhs")
    officer = AffiliationFactory(
        organisation=council, person=PersonFactory(name="Amira Haddad", job_title="Head of adult social care")
    ).person
    planner = AffiliationFactory(organisation=council, person=PersonFactory(name="Ben Okafor")).person
    left = AffiliationFactory(
        organisation=council,
        person=PersonFactory(name="Carol Left"),
        started=datetime.date(2020, 1, 1),
        ended=datetime.date(2023, 1, 1),
    ).person
    doctor = AffiliationFactory(organisation=practice, person=PersonFactory(name="Dr Dev Patel")).person
    return {
        "partnership": partnership,
        "council": council,
        "practice": practice,
        "officer": officer,
        "planner": planner,
        "left": left,
        "doctor": doctor,
    }


def add_url(place: dict[str, Any]) -> str:
    return reverse("register:membership_add", args=[place["partnership"].pk])


def picker_url(place: dict[str, Any]) -> str:
    return reverse("register:representative_picker", args=[place["partnership"].pk])


def offered(html: str) -> set[str]:
    """The names the picker offers as checkboxes."""
    import re

    return set(re.findall(r'class="nhsuk-label nhsuk-checkboxes__label" for="rep-\d+">([^<]+)</label>', html))


def test_the_picker_offers_only_the_organisations_current_people(client: Any, place: dict[str, Any]) -> None:
    html = client.get(picker_url(place), {"organisation": place["council"].pk}).content.decode()
    assert offered(html) == {"Amira Haddad", "Ben Okafor"}
    assert "Head of adult social care" in html  # the job title, to tell people apart


def test_typing_narrows_the_list_and_keeps_those_already_ticked(client: Any, place: dict[str, Any]) -> None:
    params = {
        "organisation": place["council"].pk,
        "rep_search": "amira",
        "representatives": place["planner"].pk,
    }
    response = client.get(
        picker_url(place), params, headers={"HX-Request": "true", "HX-Target": "representatives-options"}
    )
    html = response.content.decode()
    assert offered(html) == {"Amira Haddad", "Ben Okafor"}  # Ben is ticked, so stays
    assert f'value="{place["planner"].pk}" checked' in html
    assert f'value="{place["officer"].pk}" checked' not in html
    assert "<fieldset" not in html  # only the list, for htmx to swap in
    html = client.get(
        picker_url(place), {"organisation": place["council"].pk, "rep_search": "zz"}
    ).content.decode()
    assert offered(html) == set()
    assert "Nobody at Kingsford Borough Council matches" in html


def test_the_add_page_without_javascript_lists_the_chosen_organisations_people(
    client: Any, place: dict[str, Any]
) -> None:
    first = client.get(add_url(place)).content.decode()
    assert offered(first) == set()
    assert "Choose the organisation first" in first
    shown = client.post(
        add_url(place),
        {"action": "search", "organisation": place["council"].pk, "role": "lead", "joined": "2024-05-01"},
    )
    html = shown.content.decode()
    assert shown.status_code == 200 and "There is a problem" not in html
    assert offered(html) == {"Amira Haddad", "Ben Okafor"}
    assert not Membership.objects.exists()  # searching saves nothing
    searched = client.post(
        add_url(place),
        {
            "action": "search",
            "organisation": place["council"].pk,
            "rep_search": "ben",
            "joined": "2024-05-01",
        },
    ).content.decode()
    assert offered(searched) == {"Ben Okafor"}
    saved = client.post(
        add_url(place),
        {
            "action": "save",
            "organisation": place["council"].pk,
            "role": "lead",
            "joined": "2024-05-01",
            "representatives": [place["officer"].pk],
        },
    )
    assert saved.status_code == 302
    membership = Membership.objects.get(organisation=place["council"])
    assert list(membership.representatives.all()) == [place["officer"]]


def test_a_gp_practices_doctor_is_refused_as_the_councils_representative(
    client: Any, place: dict[str, Any]
) -> None:
    data = {
        "action": "save",
        "organisation": place["council"].pk,
        "role": "member",
        "joined": "2024-05-01",
        "representatives": [place["officer"].pk, place["doctor"].pk],
    }
    response = client.post(add_url(place), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="representatives-error"' in html
    assert "Dr Dev Patel is not recorded as working for Kingsford Borough Council" in html
    assert "Record that they work for Kingsford Borough Council" in html  # the offer
    assert not Membership.objects.exists()
    # the coordinator confirms the doctor does work for the council too: the affiliation is recorded
    response = client.post(add_url(place), {**data, "record_affiliation": "on"})
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=place["council"])
    assert set(membership.representatives.all()) == {place["officer"], place["doctor"]}
    assert Affiliation.objects.filter(person=place["doctor"], organisation=place["council"]).exists()


def test_editing_refuses_a_newcomer_from_elsewhere_but_keeps_one_who_has_since_left(
    client: Any, place: dict[str, Any]
) -> None:
    membership = MembershipFactory(partnership=place["partnership"], organisation=place["council"])
    membership.representatives.add(place["left"])  # chosen while Carol still worked there
    url = reverse("register:membership_edit", args=[place["partnership"].pk, membership.pk])
    page = client.get(url).content.decode()
    assert offered(page) == {"Carol Left", "Amira Haddad", "Ben Okafor"}
    assert "Not recorded as working for Kingsford Borough Council now" in page
    base = {"action": "change", "role": "member", "joined": "2023-04-01"}
    kept = client.post(url, {**base, "representatives": [place["left"].pk, place["planner"].pk]})
    assert kept.status_code == 302
    assert set(membership.representatives.all()) == {place["left"], place["planner"]}
    refused = client.post(url, {**base, "representatives": [place["doctor"].pk]})
    assert "Dr Dev Patel is not recorded as working for Kingsford Borough Council" in refused.content.decode()
    assert set(membership.representatives.all()) == {place["left"], place["planner"]}
    searched = client.post(url, {**base, "action": "search", "rep_search": "amira"}).content.decode()
    assert offered(searched) == {"Amira Haddad"}


def test_the_picker_is_for_those_who_manage_members(client: Any, place: dict[str, Any]) -> None:
    member = UserFactory()
    grant(member, place["partnership"], "member")
    client.force_login(member)
    assert client.get(picker_url(place), {"organisation": place["council"].pk}).status_code == 403


def test_the_picker_and_the_add_page_cost_the_same_queries_for_5_or_50_people(
    client: Any, place: dict[str, Any]
) -> None:
    def add_people(n: int) -> None:
        for _ in range(n):
            AffiliationFactory(organisation=place["council"])

    params = {"organisation": place["council"].pk, "rep_search": "", "representatives": place["officer"].pk}
    assert_num_queries_stable(client, picker_url(place), setup=add_people, params=params)
    add = {"organisation": place["council"].pk}
    assert_num_queries_stable(client, add_url(place), setup=add_people, params=add)
    membership = MembershipFactory(partnership=place["partnership"], organisation=place["council"])
    membership.representatives.add(place["officer"])
    edit = reverse("register:membership_edit", args=[place["partnership"].pk, membership.pk])
    assert_num_queries_stable(client, edit, setup=add_people)
