"""Edits record exactly what changed, before and after, and a field a save service does not know is refused.

The "before" comes from the stored row, not from the object a view hands the service (a model form has set
the new values on that one by the time the service runs), so no caller needs to keep an untouched copy.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from joinedup.core.models import AuditEvent
from joinedup.register import services
from joinedup.register.forms import AffiliationForm, OrganisationForm, PartnershipForm, PersonForm
from joinedup.register.models import Affiliation, Organisation, Partnership, Person
from tests.conftest import grant
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory
from tests.register.test_views_organisations import org_data
from tests.register.test_views_partnerships import partnership_data
from tests.register.test_views_people import person_data

pytestmark = pytest.mark.django_db


def only_update(verb: str) -> dict[str, Any]:
    event = AuditEvent.objects.get(verb=verb)
    return event.data


def test_an_organisation_edit_records_only_the_changed_fields(client: Any, editor: Any) -> None:
    client.post(reverse("register:organisation_create"), org_data(name="Northshire Mind"))
    organisation = Organisation.objects.get(name="Northshire Mind")
    url = reverse("register:organisation_edit", args=[organisation.pk])
    response = client.post(url, org_data(name="Mind in Northshire", closed="2025-03-31"))
    assert response.status_code == 302
    assert only_update("organisation.updated") == {
        "name": ["Northshire Mind", "Mind in Northshire"],
        "closed": ["None", "2025-03-31"],
    }


def test_a_person_edit_records_only_the_changed_fields(client: Any, editor: Any) -> None:
    client.post(reverse("register:person_create"), person_data(job_title="Discharge lead"))
    person = Person.objects.get()
    response = client.post(
        reverse("register:person_edit", args=[person.pk]), person_data(job_title="Head of discharge")
    )
    assert response.status_code == 302
    assert only_update("person.updated") == {"job_title": ["Discharge lead", "Head of discharge"]}


def test_an_affiliation_edit_records_only_the_changed_fields(client: Any, editor: Any) -> None:
    person, first, second = (
        PersonFactory(),
        OrganisationFactory(name="First"),
        OrganisationFactory(name="Second"),
    )
    form = {"organisation": first.pk, "job_title": "Social worker", "started": "2019-09-01", "ended": ""}
    client.post(reverse("register:affiliation_add", args=[person.pk]), form)
    affiliation = Affiliation.objects.get()
    AuditEvent.objects.all().delete()
    response = client.post(
        reverse("register:affiliation_edit", args=[person.pk, affiliation.pk]),
        {**form, "organisation": second.pk, "ended": "2024-06-30"},
    )
    assert response.status_code == 302
    assert only_update("affiliation.saved") == {
        "organisation": ["First", "Second"],
        "ended": ["None", "2024-06-30"],
    }


def test_a_partnership_edit_records_only_the_changed_fields(client: Any, editor: Any) -> None:
    parent = PartnershipFactory(name="Wider board")
    grant(editor, parent, "coordinator")
    client.post(reverse("register:partnership_create"), partnership_data(name="Frailty Alliance"))
    partnership = Partnership.objects.get(name="Frailty Alliance")  # its creator is its coordinator
    response = client.post(
        reverse("register:partnership_edit", args=[partnership.pk]),
        partnership_data(name="Frailty Alliance", status="active", parent=parent.pk),
    )
    assert response.status_code == 302
    assert only_update("partnership.updated") == {
        "status": ["forming", "active"],
        "parent": ["None", "Wider board"],
    }


def test_saving_an_unchanged_form_records_no_change(client: Any, editor: Any) -> None:
    client.post(reverse("register:person_create"), person_data())
    person = Person.objects.get()
    response = client.post(reverse("register:person_edit", args=[person.pk]), person_data())
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb="person.updated").exists()  # nothing changed, nothing recorded


def test_unchanged_saves_of_every_edit_service_write_no_audit_event() -> None:
    organisation, person, partnership = OrganisationFactory(), PersonFactory(), PartnershipFactory()
    affiliation = Affiliation.objects.create(person=person, organisation=organisation, job_title="Lead")
    AuditEvent.objects.all().delete()
    services.organisation_save(by=None, organisation=organisation, name=organisation.name)
    services.person_save(by=None, person=person, name=person.name)
    services.affiliation_save(by=None, affiliation=affiliation, job_title="Lead")
    services.partnership_save(by=None, partnership=partnership, name=partnership.name)
    assert not AuditEvent.objects.exists()
    before = person.name
    services.person_save(by=None, person=person, name="Someone else")  # a real change is still recorded
    assert only_update("person.updated") == {"name": [before, "Someone else"]}


def test_a_refused_edit_leaves_the_page_showing_the_stored_name(client: Any, editor: Any) -> None:
    OrganisationFactory(ods_code="RXX")
    organisation = OrganisationFactory(name="Keep me")
    response = client.post(
        reverse("register:organisation_edit", args=[organisation.pk]),
        org_data(name="Changed", ods_code="RXX"),
    )
    assert "<title>Edit Keep me" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="organisation.updated").exists()


def test_before_is_what_is_stored_whatever_the_callers_object_holds() -> None:
    organisation = OrganisationFactory(name="Stored name", area="Northshire")
    organisation.name = "Typed in a form"  # as a model form leaves the object it was given
    organisation.area = "Not saved: the service was not asked to change it"
    saved = services.organisation_save(by=None, organisation=organisation, name="New name")
    assert only_update("organisation.updated") == {"name": ["Stored name", "New name"]}
    assert saved is organisation and organisation.area == "Northshire"  # the caller's object, as stored
    organisation.refresh_from_db()
    assert (organisation.name, organisation.area) == ("New name", "Northshire")


MISSPELT: list[tuple[str, Any]] = [
    ("organisation_save", lambda: services.organisation_save(by=None, name="X", sector="nhs", nmae="Y")),
    ("person_save", lambda: services.person_save(by=None, name="X", job_tile="Lead")),
    ("affiliation_save", lambda: services.affiliation_save(by=None, person=PersonFactory(), organization=1)),
    ("partnership_save", lambda: services.partnership_save(by=None, name="X", stared=datetime.date.today())),
]


@pytest.mark.parametrize(("service", "call"), MISSPELT, ids=[s for s, _ in MISSPELT])
def test_a_misspelt_field_raises_and_writes_nothing(service: str, call: Any) -> None:
    with pytest.raises(TypeError, match=rf"{service}\(\) cannot set '(nmae|job_tile|organization|stared)'"):
        call()
    assert not AuditEvent.objects.exists()
    assert not Organisation.objects.filter(name="X").exists()
    assert not Person.objects.filter(name="X").exists()
    assert not Partnership.objects.filter(name="X").exists()


def test_a_misspelt_field_in_an_edit_changes_nothing() -> None:
    organisation = OrganisationFactory(name="Stored name")
    fields: dict[str, Any] = {
        "name": "New name",
        "postcod": "NS1 1AA",
    }  # as from a dict, which mypy cannot check
    with pytest.raises(TypeError, match="'postcod'"):
        services.organisation_save(by=None, organisation=organisation, **fields)
    organisation.refresh_from_db()
    assert organisation.name == "Stored name"
    assert not hasattr(organisation, "postcod")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("form", "allowed"),
    [
        (OrganisationForm, services.ORGANISATION_FIELDS),
        (PersonForm, services.PERSON_FIELDS),
        (AffiliationForm, services.AFFILIATION_FIELDS),
        (PartnershipForm, services.PARTNERSHIP_FIELDS),
    ],
)
def test_every_form_field_is_one_its_service_may_set(form: Any, allowed: frozenset[str]) -> None:
    assert set(form._meta.fields) <= allowed
