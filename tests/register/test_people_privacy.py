"""People's personal data (issue 10; DESIGN.md §6; ADR 2): contact details only to site admins and the
coordinators of a partnership the person belongs to; service users and carers listed only to them.
Every role tries every path that shows people: the list (with a search by e-mail), the person's page, their
organisation's page, the edit pages and the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from joinedup.register.models import Membership, Person
from tests.conftest import grant
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    partnership, elsewhere = PartnershipFactory(), PartnershipFactory()
    trust = MembershipFactory(partnership=partnership, organisation=OrganisationFactory(sector="nhs"))
    forum = MembershipFactory(
        partnership=partnership, organisation=OrganisationFactory(sector="service_user", name="User Forum")
    )
    nurse = PersonFactory(name="Nina Nurse", email="nina.nurse@trust.example", profession="nurse")
    AffiliationFactory(person=nurse, organisation=trust.organisation)
    user = PersonFactory(name="Uma User", email="uma@forum.example", profession="service_user")
    AffiliationFactory(person=user, organisation=forum.organisation)
    carer = PersonFactory(name="Carl Carer", email="carl@forum.example", profession="other")
    AffiliationFactory(person=carer, organisation=forum.organisation)  # a carer by the forum's sector
    stranger = PersonFactory(name="Sid Stranger", email="sid@elsewhere.example", profession="nurse")
    roles = {}
    for role in ("member", "representative", "evaluator", "observer", "coordinator"):
        roles[role] = UserFactory()
        grant(
            roles[role],
            partnership,
            role,
            **({"organisation": trust.organisation} if role == "representative" else {}),
        )
    roles["coordinator elsewhere"] = UserFactory()
    grant(roles["coordinator elsewhere"], elsewhere, "coordinator")
    roles["no role"] = UserFactory()
    roles["site admin"] = UserFactory(is_superuser=True)
    return {
        "roles": roles,
        "forum": forum.organisation,
        "nurse": nurse,
        "user": user,
        "carer": carer,
        "stranger": stranger,
    }


LIMITED = ("member", "representative", "evaluator", "observer", "coordinator elsewhere", "no role")
ALLOWED = ("coordinator", "site admin")
EMAILS = ("nina.nurse@trust.example", "uma@forum.example", "carl@forum.example")


def api_people(client: Any, **params: Any) -> list[dict[str, Any]]:
    response = client.get(reverse("api:list_people"), params)
    assert response.status_code == 200
    return response.json()["items"]


@pytest.mark.parametrize("role", LIMITED)
def test_others_cannot_list_emails_or_the_service_user_forum(client, world, role):
    client.force_login(world["roles"][role])
    page = client.get(reverse("register:person_list")).content.decode()
    assert "Nina Nurse" in page
    assert "Uma User" not in page and "Carl Carer" not in page
    assert not any(email in page for email in EMAILS)
    # a search by e-mail address does not tell whether it matches
    for text in ("nina.nurse@", "forum.example", "uma"):
        found = client.get(reverse("register:person_list"), {"search": text}).content.decode()
        assert "Nina Nurse" not in found and "Uma User" not in found, text
    # the person's page: no e-mail; service users and carers are not there at all
    detail = client.get(world["nurse"].get_absolute_url())
    assert detail.status_code == 200 and "nina.nurse" not in detail.content.decode()
    for key in ("user", "carer"):
        assert client.get(world[key].get_absolute_url()).status_code == 404
    # the forum's page does not list its people
    forum = client.get(world["forum"].get_absolute_url()).content.decode()
    assert "Uma User" not in forum and "Carl Carer" not in forum
    assert "listed only to site admins and to the coordinators" in forum
    # the API: the same people, no e-mail addresses, nothing found by e-mail
    people = api_people(client)
    assert {p["name"] for p in people} == {"Nina Nurse", "Sid Stranger"}
    assert all(p["email"] is None for p in people)
    assert api_people(client, search="forum.example") == []
    assert api_people(client, organisation_id=world["forum"].pk) == []
    assert api_people(client, profession="service_user") == []


@pytest.mark.parametrize("role", ALLOWED)
def test_the_coordinator_of_their_partnership_and_a_site_admin_can(client, world, role):
    client.force_login(world["roles"][role])
    page = client.get(reverse("register:person_list")).content.decode()
    assert "Uma User" in page and "Carl Carer" in page
    detail = client.get(world["user"].get_absolute_url())
    assert detail.status_code == 200 and "uma@forum.example" in detail.content.decode()
    assert "Uma User" in client.get(world["forum"].get_absolute_url()).content.decode()
    by_name = {p["name"]: p for p in api_people(client)}
    assert by_name["Nina Nurse"]["email"] == "nina.nurse@trust.example"
    assert by_name["Uma User"]["email"] == "uma@forum.example"
    # the coordinator sees contact details of their partnership's people only; a site admin everyone's
    assert by_name["Sid Stranger"]["email"] == ("sid@elsewhere.example" if role == "site admin" else None)
    assert sorted(p["name"] for p in api_people(client, search="forum.example")) == ["Carl Carer", "Uma User"]


def test_a_person_who_left_their_partnerships_organisation_is_no_longer_theirs(client, world):
    world["user"].affiliations.update(ended=datetime.date(2020, 1, 1))
    client.force_login(world["roles"]["coordinator"])
    assert client.get(world["user"].get_absolute_url()).status_code == 404  # still a service user
    client.force_login(world["roles"]["site admin"])
    assert client.get(world["user"].get_absolute_url()).status_code == 200


def test_a_representative_belongs_to_the_partnership(client, world):
    membership = world["forum"].memberships.get()
    world["user"].affiliations.all().delete()
    membership.representatives.add(world["user"])
    client.force_login(world["roles"]["coordinator"])
    assert "uma@forum.example" in client.get(world["user"].get_absolute_url()).content.decode()


def test_an_editor_who_may_not_see_an_address_can_neither_see_nor_change_it(client, world):
    client.force_login(world["roles"]["coordinator elsewhere"])  # coordinators may edit the register
    url = reverse("register:person_edit", args=[world["nurse"].pk])
    form = client.get(url)
    assert form.status_code == 200 and "nina.nurse" not in form.content.decode()
    assert 'name="email"' not in form.content.decode()
    data = {"name": "Nina Nurse", "email": "hijack@example.org", "job_title": "Lead", "profession": "nurse"}
    assert client.post(url, {**data, "profession_other": ""}).status_code == 302
    nurse = Person.objects.get(pk=world["nurse"].pk)
    assert nurse.email == "nina.nurse@trust.example" and nurse.job_title == "Lead"
    for name in ("register:person_edit", "register:affiliation_add"):
        assert client.get(reverse(name, args=[world["user"].pk])).status_code == 404
    affiliation = world["user"].affiliations.get()
    edit = reverse("register:affiliation_edit", args=[world["user"].pk, affiliation.pk])
    assert client.get(edit).status_code == 404


def test_the_landscape_names_a_service_user_representative_only_to_their_coordinator(client, world):
    forum = world["forum"]
    membership = forum.memberships.get()
    second = MembershipFactory(organisation=forum)  # the forum sits in a second partnership too
    membership.representatives.add(world["user"])
    second.representatives.add(world["user"])
    for role in ("member", "coordinator"):
        grant(world["roles"][role], second.partnership, "member")
    client.force_login(world["roles"]["member"])
    assert "Uma User" not in client.get(reverse("register:landscape")).content.decode()
    client.force_login(world["roles"]["coordinator"])
    assert "Uma User" in client.get(reverse("register:landscape")).content.decode()


@pytest.mark.parametrize("role", LIMITED[:4] + ALLOWED)
def test_the_partnership_page_and_api_name_service_user_representatives_only_to_coordinators(
    client, world, role
):
    forum = world["forum"].memberships.get()
    forum.representatives.set([world["user"]])
    trust = Membership.objects.get(partnership=forum.partnership, organisation__sector="nhs")
    trust.representatives.set([world["nurse"]])
    client.force_login(world["roles"][role])
    page = client.get(reverse("register:partnership_detail", args=[forum.partnership.pk])).content.decode()
    body = client.get(f"/api/v1/partnerships/{forum.partnership.pk}").json()
    named = {m["organisation_name"]: [p["name"] for p in m["representatives"]] for m in body["members"]}
    assert "Nina Nurse" in page and named[trust.organisation.name] == ["Nina Nurse"]
    if role in ALLOWED:
        assert "Uma User" in page and named["User Forum"] == ["Uma User"]
        assert "named only to coordinators" not in page
    else:
        assert "Uma User" not in page and named["User Forum"] == []
        assert "1 more, named only to coordinators" in page
