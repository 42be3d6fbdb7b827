"""Indicator pages for each role: who sees them, who records, and what the pages say."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from joinedup.outcomes.models import Indicator, Measurement
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.outcomes.helpers import make_indicator, record

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup():
    made = make_indicator()
    record(made, [50, 52, 51, 53, 52, 54, 50, 51])
    return made


def test_members_read_the_indicator_page_with_chart_table_and_words(setup):
    member = UserFactory()
    grant(member, setup.place.partnership, "member")
    page = client_for(member).get(reverse("outcomes:indicator", args=[setup.indicator.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-vega-spec="' in text and 'id="spc-chart"' in text
    assert "Common cause" in text and "Hit and miss" not in text  # target 80 lies above the limits
    assert "Consistently failing the target" in text
    assert "Provisional limits" in text and "fewer than the 12" in text
    assert "What this means" in text and "Jan to Mar 2024" in text
    assert "Record a measurement" not in text  # members do not record


def test_the_partnership_page_section_and_list_show_each_indicator_reading(setup):
    client = client_for(setup.coordinator)
    detail = client.get(
        reverse("register:partnership_detail", args=[setup.place.partnership.pk])
    ).content.decode()
    assert setup.indicator.title in detail and "Consistently failing the target" in detail
    listing = client.get(reverse("outcomes:partnership", args=[setup.place.partnership.pk])).content.decode()
    assert "Add an indicator from the catalogue" in listing


def test_another_partnership_gets_404_and_an_observer_may_not_record(setup):
    outsider = UserFactory()
    grant(outsider, PartnershipFactory(), "member")
    assert (
        client_for(outsider).get(reverse("outcomes:indicator", args=[setup.indicator.pk])).status_code == 404
    )
    observer = UserFactory()
    grant(observer, setup.place.partnership, "observer")
    url = reverse("outcomes:measurement_add", args=[setup.indicator.pk])
    assert client_for(observer).post(url, {"period": "2026-01", "value": "3"}).status_code == 403
    assert not Measurement.objects.filter(value=3).exists()


def test_a_representative_records_and_corrects_a_measurement_and_the_history_shows(setup):
    rep = setup.place.reps[setup.place.orgs[0].pk]
    client = client_for(rep)
    url = reverse("outcomes:measurement_add", args=[setup.indicator.pk])
    answer = client.post(url, {"period": "2024-01", "value": "49", "note": "Late returns counted"})
    assert answer.status_code == 302
    page = client.get(reverse("outcomes:indicator", args=[setup.indicator.pk])).content.decode()
    assert "Corrected 1 time" in page and "Was 50" in page and "Late returns counted" in page


def test_the_form_names_the_field_at_fault(setup):
    client = client_for(setup.coordinator)
    url = reverse("outcomes:measurement_add", args=[setup.indicator.pk])
    page = client.post(url, {"period": "2024-02", "value": "40", "numerator": "5", "denominator": "10"})
    text = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in text
    assert "does not start a period" in text
    page = client.post(url, {"period": "2024-04", "value": "40", "numerator": "5", "denominator": "10"})
    assert "does not agree with the numerator and denominator" in page.content.decode()


def test_an_import_with_a_bad_row_is_refused_naming_row_and_column(setup):
    client = client_for(setup.coordinator)
    url = reverse("outcomes:measurement_import", args=[setup.indicator.pk])
    before = Measurement.objects.count()
    upload = SimpleUploadedFile(
        "m.csv", b"period,value\n2026-01,40\n2026-04,forty\n", content_type="text/csv"
    )
    page = client.post(url, {"file": upload})
    assert page.status_code == 400
    assert "row 3, column value: &#x27;forty&#x27; is not a number" in page.content.decode()
    assert Measurement.objects.count() == before
    upload = SimpleUploadedFile("m.csv", b"period,value\n2026-01,40\n", content_type="text/csv")
    assert client.post(url, {"file": upload}).status_code == 302
    assert Measurement.objects.count() == before + 1


def test_a_coordinator_adds_an_indicator_from_the_catalogue(setup):
    client = client_for(setup.coordinator)
    partnership = setup.place.partnership
    assert (
        "Better Care Fund"
        in client.get(reverse("outcomes:catalogue", args=[partnership.pk])).content.decode()
    )
    url = reverse("outcomes:indicator_create", args=[partnership.pk]) + "?from=care-home-admissions-65"
    form = client.get(url).content.decode()
    assert "Long-term admissions to residential and nursing care" in form and "ONS mid-year" in form
    answer = client.post(
        url,
        {
            "title": "Care home admissions 65+",
            "kind": "outcome",
            "rba_question": "better_off",
            "frequency": "annual",
            "definition": "Council-supported admissions ÷ population 65+ × 100,000",
            "unit": "admissions per 100,000 aged 65+",
            "direction": "decrease",
            "owner": setup.place.orgs[1].pk,
            "trajectory": "2025/26, 500\n2026/27, 480",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    made = Indicator.objects.get(title="Care home admissions 65+")
    assert (made.catalogue_key, made.catalogue_version) == ("care-home-admissions-65", 1)
    assert [t.target for t in made.trajectory.all()] == [500, 480]


def test_changing_the_definition_on_the_page_asks_from_when(setup):
    client = client_for(setup.coordinator)
    url = reverse("outcomes:indicator_edit", args=[setup.indicator.pk])
    data = {
        "title": setup.indicator.title,
        "kind": "process",
        "rba_question": "how_well",
        "definition": "A new way of counting",
        "unit": "%",
        "direction": "increase",
        "owner": setup.place.orgs[0].pk,
        "target_value": "80",
        "target_date": "2027-03-31",
    }
    assert "Say from which period" in client.post(url, data).content.decode()
    assert client.post(url, {**data, "starts": "2025-01"}).status_code == 302
    page = client.get(reverse("outcomes:indicator", args=[setup.indicator.pk])).content.decode()
    assert "New line from here: definition 2 starts" in page and "Earlier definitions" in page


def test_a_rebase_on_the_page_needs_a_reason(setup):
    from joinedup.core.registry import record_kinds

    real = record_kinds.get("governance.decision")
    record_kinds.remove("governance.decision")  # as without the governance app; put back below
    try:
        client = client_for(setup.coordinator)
        url = reverse("outcomes:rebase", args=[setup.indicator.pk])
        form = client.get(url).content.decode().lower().split("<form")[1]
    finally:
        if real is not None:
            record_kinds.add(real)
    assert "decision" not in form  # no record kind of decisions: the form does not offer one
    assert "Say why" in client.post(url, {"period": "2025-01-01", "reason": ""}).content.decode()
    assert client.post(url, {"period": "2025-01-01", "reason": "Six hubs opened"}).status_code == 302
    page = client.get(reverse("outcomes:indicator", args=[setup.indicator.pk])).content.decode()
    assert "New line from here: rebased: Six hubs opened" in page
