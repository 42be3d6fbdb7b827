"""People pages: create, edit, affiliations over time, what a person represents, list filters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from joinedup.register.models import Affiliation, Person
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


def person_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Sam Okafor",
        "email": "sam@example.org",
        "job_title": "Discharge lead",
        "profession": "social_worker",
        "profession_other": "",
    }
    data.update(overrides)
    return data


def test_editor_adds_a_person_and_sees_them_listed(client: Any, editor: Any) -> None:
    assert '<select name="profession"' in client.get(reverse("register:person_create")).content.decode()
    response = client.post(reverse("register:person_create"), person_data())
    person = Person.objects.get(name="Sam Okafor")
    assert response.status_code == 302
    assert response.url == person.get_absolute_url()
    assert person.profession == "social_worker"
    assert "Sam Okafor" in client.get(reverse("register:person_list")).content.decode()


def test_other_profession_needs_a_description(client: Any, editor: Any) -> None:
    response = client.post(reverse("register:person_create"), person_data(profession="other"))
    html = response.content.decode()
    assert 'id="id_profession_other-error"' in html
    assert "Enter the profession" in html
    assert not Person.objects.exists()
    client.post(
        reverse("register:person_create"), person_data(profession="other", profession_other="Link worker")
    )
    assert Person.objects.get().profession_label == "Link worker"


def test_bad_email_is_refused(client: Any, editor: Any) -> None:
    response = client.post(reverse("register:person_create"), person_data(email="not-an-address"))
    assert 'id="id_email-error"' in response.content.decode()
    assert not Person.objects.exists()


def test_editor_edits_a_person(client: Any, editor: Any) -> None:
    person = PersonFactory(name="Sam Okafor", profession="nurse")
    response = client.post(
        reverse("register:person_edit", args=[person.pk]), person_data(job_title="Team lead")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.job_title == "Team lead"
    assert person.profession == "social_worker"


def test_affiliations_are_added_and_ended(client: Any, editor: Any) -> None:
    person = PersonFactory(name="Sam Okafor")
    org = OrganisationFactory(name="Northshire County Council")
    add_url = reverse("register:affiliation_add", args=[person.pk])
    assert "Northshire County Council" in client.get(add_url).content.decode()
    response = client.post(
        add_url, {"organisation": org.pk, "job_title": "Social worker", "started": "2019-09-01", "ended": ""}
    )
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(person=person)
    assert affiliation.organisation == org

    edit_url = reverse("register:affiliation_edit", args=[person.pk, affiliation.pk])
    bad = client.post(
        edit_url,
        {
            "organisation": org.pk,
            "job_title": "Social worker",
            "started": "2019-09-01",
            "ended": "2019-01-01",
        },
    )
    assert 'id="id_ended-error"' in bad.content.decode()
    affiliation.refresh_from_db()
    assert affiliation.ended is None

    client.post(
        edit_url,
        {
            "organisation": org.pk,
            "job_title": "Social worker",
            "started": "2019-09-01",
            "ended": "2024-06-30",
        },
    )
    affiliation.refresh_from_db()
    assert affiliation.ended == datetime.date(2024, 6, 30)
    html = client.get(person.get_absolute_url()).content.decode()
    assert "30 Jun 2024" in html
    assert "Northshire County Council" in html


def test_affiliation_of_another_person_is_404(client: Any, editor: Any) -> None:
    affiliation = AffiliationFactory()
    other = PersonFactory()
    assert (
        client.get(reverse("register:affiliation_edit", args=[other.pk, affiliation.pk])).status_code == 404
    )


def test_detail_shows_only_visible_partnerships_they_represent(client: Any) -> None:
    viewer = UserFactory()
    client.force_login(viewer)
    person = PersonFactory()
    mine = MembershipFactory(partnership=PartnershipFactory(name="Visible Board"))
    hidden = MembershipFactory(partnership=PartnershipFactory(name="Hidden Board"))
    mine.representatives.add(person)
    hidden.representatives.add(person)
    grant(viewer, mine.partnership)
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Visible Board" in html
    assert "Hidden Board" not in html


def test_plain_user_may_view_but_not_edit(client: Any) -> None:
    client.force_login(UserFactory())
    person = PersonFactory()
    assert client.get(reverse("register:person_list")).status_code == 200
    assert client.get(person.get_absolute_url()).status_code == 200
    for url in (
        reverse("register:person_create"),
        reverse("register:person_edit", args=[person.pk]),
        reverse("register:affiliation_add", args=[person.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("register:person_create"), person_data()).status_code == 403
    assert not Person.objects.filter(name="Sam Okafor").exists()


def test_search_and_filters(client: Any) -> None:
    client.force_login(UserFactory())
    council = OrganisationFactory(name="Council")
    nurse = PersonFactory(name="Priya Shah", profession="nurse", job_title="District nurse")
    social = PersonFactory(name="Tom Reed", profession="social_worker", job_title="Hospital social worker")
    other = PersonFactory(name="Ann Lee", profession="gp", job_title="Partner")
    AffiliationFactory(person=social, organisation=council)
    AffiliationFactory(
        person=other, organisation=council, ended=datetime.date(2020, 1, 1), started=datetime.date(2010, 1, 1)
    )
    url = reverse("register:person_list")

    def names(**params: str) -> set[str]:
        return {p.name for p in client.get(url, params).context["page_obj"]}

    assert names(search="shah") == {nurse.name}
    assert names(search="hospital") == {social.name}  # by job title
    assert names(profession="nurse") == {nurse.name}
    assert names(organisation=str(council.pk)) == {social.name, other.name}
    assert names(organisation=str(council.pk), profession="gp") == {other.name}
    assert names(organisation="rubbish") == {nurse.name, social.name, other.name}
    partial = client.get(url, {"search": "reed"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "Tom Reed" in partial
