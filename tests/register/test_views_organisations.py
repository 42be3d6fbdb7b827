"""Organisation pages: create, edit, list filters, permissions and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from joinedup.core.models import AuditEvent
from joinedup.register.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def org_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Northshire Mind",
        "sector": "voluntary",
        "org_type": "Registered charity",
        "ods_code": "",
        "charity_number": "1234567",
        "company_number": "",
        "org_id": "GB-CHC-1234567",
        "gss_code": "",
        "cqc_provider_id": "",
        "cqc_location_id": "",
        "area": "Northshire",
        "address": "",
        "postcode": "NS1 1AA",
        "opened": "2001-06-01",
        "closed": "",
    }
    data.update(overrides)
    return data


def test_editor_adds_an_organisation_and_sees_it_listed(client: Any, editor: Any) -> None:
    html = client.get(reverse("register:organisation_create")).content.decode()
    assert '<select name="sector"' in html
    assert 'type="date"' in html
    response = client.post(reverse("register:organisation_create"), org_data())
    organisation = Organisation.objects.get(name="Northshire Mind")
    assert response.status_code == 302
    assert response.url == organisation.get_absolute_url()
    assert organisation.charity_number == "1234567"
    assert AuditEvent.objects.filter(verb="organisation.created", target_id=str(organisation.pk)).exists()
    assert "Northshire Mind" in client.get(reverse("register:organisation_list")).content.decode()


def test_duplicate_identifier_is_shown_against_its_field(client: Any, editor: Any) -> None:
    OrganisationFactory(name="Existing charity", charity_number="1234567")
    response = client.post(reverse("register:organisation_create"), org_data())
    html = response.content.decode()
    assert 'id="id_charity_number-error"' in html
    assert "Existing charity already has this charity number." in html
    assert 'href="#id_charity_number"' in html  # the error summary links to the field
    assert not Organisation.objects.filter(name="Northshire Mind").exists()


def test_closed_before_opened_is_refused(client: Any, editor: Any) -> None:
    response = client.post(reverse("register:organisation_create"), org_data(closed="2000-01-01"))
    assert 'id="id_closed-error"' in response.content.decode()
    assert not Organisation.objects.exists()


def test_editor_edits_an_organisation(client: Any, editor: Any) -> None:
    organisation = OrganisationFactory(name="Old name", sector="nhs")
    url = reverse("register:organisation_edit", args=[organisation.pk])
    assert 'value="Old name"' in client.get(url).content.decode()
    response = client.post(url, org_data(name="New name", closed="2024-03-31"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "New name"
    assert organisation.sector == "voluntary"
    event = AuditEvent.objects.get(verb="organisation.updated")
    assert event.data["name"] == ["Old name", "New name"]


def test_failed_edit_changes_nothing(client: Any, editor: Any) -> None:
    OrganisationFactory(ods_code="RXX")
    organisation = OrganisationFactory(name="Keep me")
    response = client.post(
        reverse("register:organisation_edit", args=[organisation.pk]),
        org_data(name="Changed", ods_code="RXX"),
    )
    assert 'id="id_ods_code-error"' in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Keep me"
    assert organisation.ods_code == ""


def test_plain_user_may_view_but_not_edit(client: Any) -> None:
    client.force_login(UserFactory())
    organisation = OrganisationFactory()
    assert client.get(reverse("register:organisation_list")).status_code == 200
    assert client.get(organisation.get_absolute_url()).status_code == 200
    assert client.get(reverse("register:organisation_create")).status_code == 403
    assert client.post(reverse("register:organisation_create"), org_data()).status_code == 403
    assert (
        client.post(reverse("register:organisation_edit", args=[organisation.pk]), org_data()).status_code
        == 403
    )
    assert not Organisation.objects.filter(name="Northshire Mind").exists()


def test_signed_out_visitor_is_sent_to_log_in(client: Any) -> None:
    response = client.get(reverse("register:organisation_create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_search_and_filters(client: Any) -> None:
    client.force_login(UserFactory())
    nhs = OrganisationFactory(name="Northshire Hospitals", sector="nhs", ods_code="RX1", area="Northshire")
    council = OrganisationFactory(
        name="Northshire County Council", sector="local_authority", area="Northshire"
    )
    closed = OrganisationFactory(
        name="Southdale Housing", sector="housing", area="Southdale", closed="2020-01-01", opened="2000-01-01"
    )
    url = reverse("register:organisation_list")

    def names(**params: str) -> set[str]:
        return {o.name for o in client.get(url, params).context["page_obj"]}

    assert names(search="northshire") == {nhs.name, council.name}
    assert names(search="rx1") == {nhs.name}
    assert names(sector="local_authority") == {council.name}
    assert names(area="Southdale") == {closed.name}
    assert names(status="closed") == {closed.name}
    assert names(status="open") == {nhs.name, council.name}


def test_list_is_paginated(client: Any) -> None:
    client.force_login(UserFactory())
    OrganisationFactory.create_batch(55)
    url = reverse("register:organisation_list")
    first = client.get(url, {"sector": "nhs"})
    assert len(first.context["page_obj"]) == 50
    assert "sector=nhs&amp;page=2" in first.content.decode()
    assert len(client.get(url, {"sector": "nhs", "page": 2}).context["page_obj"]) == 5
