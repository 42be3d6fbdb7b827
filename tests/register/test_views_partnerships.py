"""Partnership pages: create, edit, members, events, permissions and query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from joinedup.register.models import Membership, Partnership, PartnershipRole, TimelineEvent
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
def coordinator(client: Any) -> Any:
    user = UserFactory()
    partnership = PartnershipFactory(name="Northshire Ageing Well")
    grant(user, partnership, "coordinator")
    client.force_login(user)
    return partnership


def partnership_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Frailty Alliance",
        "purpose": "Joined-up care for frail older people",
        "kind": "vertical",
        "status": "forming",
        "parent": "",
        "area": "Northshire",
        "started": "2024-04-01",
        "ended": "",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_partnership_and_becomes_its_coordinator(client: Any, coordinator: Any) -> None:
    response = client.post(reverse("register:partnership_create"), partnership_data(parent=coordinator.pk))
    created = Partnership.objects.get(name="Frailty Alliance")
    assert response.status_code == 302
    assert response.url == created.get_absolute_url()
    assert created.parent == coordinator
    assert created.started == datetime.date(2024, 4, 1)
    assert PartnershipRole.objects.filter(partnership=created, role="coordinator").exists()
    assert created.events.filter(kind="formation").exists()
    listing = client.get(reverse("register:partnership_list"))
    assert "Frailty Alliance" in listing.content.decode()


def test_partnership_form_renders_dates_and_selects(client: Any, coordinator: Any) -> None:
    html = client.get(reverse("register:partnership_create")).content.decode()
    assert 'type="date"' in html
    assert '<select name="kind"' in html
    assert '<select name="parent"' in html
    assert "Northshire Ageing Well" in html  # a partnership the user can see is offered as parent
    assert f'name="started" value="{datetime.date.today().isoformat()}"' in html  # a new one starts today


def test_editing_a_partnership_keeps_its_own_start(client: Any, coordinator: Any) -> None:
    client.post(reverse("register:partnership_create"), partnership_data(name="Frailty Alliance"))
    created = Partnership.objects.get(name="Frailty Alliance")
    html = client.get(reverse("register:partnership_edit", args=[created.pk])).content.decode()
    assert 'name="started" value="2024-04-01"' in html


def test_end_before_start_is_refused_and_nothing_saved(client: Any, coordinator: Any) -> None:
    response = client.post(reverse("register:partnership_create"), partnership_data(ended="2024-01-01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "nhsuk-error-summary" in html
    assert 'id="id_ended-error"' in html
    assert "The end date must be on or after the start date." in html
    assert not Partnership.objects.filter(name="Frailty Alliance").exists()


def test_missing_name_is_an_error(client: Any, coordinator: Any) -> None:
    response = client.post(reverse("register:partnership_create"), partnership_data(name=""))
    assert 'id="id_name-error"' in response.content.decode()
    assert Partnership.objects.count() == 1


def test_member_cannot_create_a_partnership(client: Any) -> None:
    user = UserFactory()
    grant(user, PartnershipFactory(), "member")
    client.force_login(user)
    assert client.get(reverse("register:partnership_create")).status_code == 403
    assert client.post(reverse("register:partnership_create"), partnership_data()).status_code == 403
    assert not Partnership.objects.filter(name="Frailty Alliance").exists()


def test_coordinator_edits_a_partnership(client: Any, coordinator: Any) -> None:
    url = reverse("register:partnership_edit", args=[coordinator.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, partnership_data(name="Northshire Ageing Well Board", status="active"))
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.name == "Northshire Ageing Well Board"
    assert coordinator.status == "active"


def test_a_partnership_cannot_sit_inside_its_own_child(client: Any, coordinator: Any) -> None:
    child = PartnershipFactory(name="Child board", parent=coordinator)
    grant(UserFactory(), child, "member")
    response = client.post(
        reverse("register:partnership_edit", args=[coordinator.pk]),
        partnership_data(name=coordinator.name, parent=child.pk),
    )
    html = response.content.decode()
    # the user cannot see the child (no role in it), so it is not even a choice
    assert 'id="id_parent-error"' in html
    grant(PartnershipRole.objects.get(partnership=coordinator).user, child, "coordinator")
    response = client.post(
        reverse("register:partnership_edit", args=[coordinator.pk]),
        partnership_data(name=coordinator.name, parent=child.pk),
    )
    assert "A partnership cannot sit inside itself." in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.parent is None


def test_coordinator_adds_a_member_with_representatives(client: Any, coordinator: Any) -> None:
    org = OrganisationFactory(name="Northshire Carers")
    rep = PersonFactory(name="Asha Patel")
    AffiliationFactory(person=rep, organisation=org)
    response = client.post(
        reverse("register:membership_add", args=[coordinator.pk]),
        {"organisation": org.pk, "role": "host", "joined": "2024-05-01", "representatives": [rep.pk]},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(partnership=coordinator, organisation=org)
    assert membership.role == "host"
    assert list(membership.representatives.all()) == [rep]
    html = client.get(coordinator.get_absolute_url()).content.decode()
    assert "Northshire Carers" in html
    assert "Asha Patel" in html


def test_adding_a_current_member_again_shows_the_error_on_the_organisation(
    client: Any, coordinator: Any
) -> None:
    existing = MembershipFactory(partnership=coordinator)
    response = client.post(
        reverse("register:membership_add", args=[coordinator.pk]),
        {"organisation": existing.organisation.pk, "role": "member", "joined": "2024-05-01"},
    )
    html = response.content.decode()
    assert 'id="id_organisation-error"' in html
    assert "is already a current member" in html
    assert Membership.objects.filter(partnership=coordinator).count() == 1


def test_coordinator_changes_and_ends_a_membership(client: Any, coordinator: Any) -> None:
    membership = MembershipFactory(partnership=coordinator, joined=datetime.date(2023, 4, 1))
    url = reverse("register:membership_edit", args=[coordinator.pk, membership.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "change", "role": "lead", "joined": "2023-05-01"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "lead"
    assert membership.joined == datetime.date(2023, 5, 1)

    response = client.post(
        url, {"action": "end", "end-left": "2025-03-31", "end-reason": "Service recommissioned"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left == datetime.date(2025, 3, 31)
    event = TimelineEvent.objects.get(kind="member_left", partnership=coordinator)
    assert event.description == "Service recommissioned"
    html = client.get(coordinator.get_absolute_url()).content.decode()
    assert "Former members (1)" in html


def test_leaving_before_joining_is_refused(client: Any, coordinator: Any) -> None:
    membership = MembershipFactory(partnership=coordinator, joined=datetime.date(2023, 4, 1))
    url = reverse("register:membership_edit", args=[coordinator.pk, membership.pk])
    response = client.post(url, {"action": "end", "end-left": "2020-01-01"})
    html = response.content.decode()
    assert 'id="id_end-left-error"' in html
    assert "The leaving date must be on or after the joining date." in html
    membership.refresh_from_db()
    assert membership.left is None
    assert not TimelineEvent.objects.filter(kind="member_left").exists()


def test_membership_of_another_partnership_is_404(client: Any, coordinator: Any) -> None:
    other = MembershipFactory()
    url = reverse("register:membership_edit", args=[coordinator.pk, other.pk])
    assert client.get(url).status_code == 404


def test_coordinator_records_an_event_about_a_member(client: Any, coordinator: Any) -> None:
    membership = MembershipFactory(partnership=coordinator)
    outsider = OrganisationFactory()
    url = reverse("register:event_add", args=[coordinator.pk])
    html = client.get(url).content.decode()
    assert membership.organisation.name in html
    assert outsider.name not in html
    response = client.post(
        url,
        {
            "kind": "leader_change",
            "date": "2024-09-01",
            "title": "New chair",
            "organisation": membership.organisation.pk,
        },
    )
    assert response.status_code == 302
    event = TimelineEvent.objects.get(title="New chair")
    assert event.partnership == coordinator
    assert event.organisation == membership.organisation
    assert "New chair" in client.get(coordinator.get_absolute_url()).content.decode()


def test_event_about_an_outside_organisation_is_refused(client: Any, coordinator: Any) -> None:
    outsider = OrganisationFactory()
    response = client.post(
        reverse("register:event_add", args=[coordinator.pk]),
        {"kind": "other", "date": "2024-09-01", "title": "Odd", "organisation": outsider.pk},
    )
    assert 'id="id_organisation-error"' in response.content.decode()
    assert not TimelineEvent.objects.filter(title="Odd").exists()


@pytest.mark.parametrize("name", ["partnership_detail", "partnership_edit", "membership_add", "event_add"])
def test_another_partnerships_pages_are_404(client: Any, name: str) -> None:
    user = UserFactory()
    grant(user, PartnershipFactory(), "coordinator")
    other = PartnershipFactory()
    client.force_login(user)
    assert client.get(reverse(f"register:{name}", args=[other.pk])).status_code == 404
    assert client.post(reverse(f"register:{name}", args=[other.pk]), {}).status_code == 404


def test_member_is_refused_actions_in_own_partnership(client: Any) -> None:
    user = UserFactory()
    partnership = PartnershipFactory()
    membership = MembershipFactory(partnership=partnership)
    grant(user, partnership, "member")
    client.force_login(user)
    assert client.get(partnership.get_absolute_url()).status_code == 200
    for url in (
        reverse("register:partnership_edit", args=[partnership.pk]),
        reverse("register:membership_add", args=[partnership.pk]),
        reverse("register:membership_edit", args=[partnership.pk, membership.pk]),
        reverse("register:event_add", args=[partnership.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("register:event_add", args=[partnership.pk]),
        {"kind": "other", "date": "2024-09-01", "title": "Sneaky"},
    )
    assert response.status_code == 403
    assert not TimelineEvent.objects.filter(title="Sneaky").exists()


def test_representative_may_record_events_but_not_manage_members(client: Any) -> None:
    user = UserFactory()
    partnership = PartnershipFactory()
    grant(user, partnership, "representative", organisation=OrganisationFactory())
    client.force_login(user)
    assert client.get(reverse("register:event_add", args=[partnership.pk])).status_code == 200
    assert client.get(reverse("register:membership_add", args=[partnership.pk])).status_code == 403


def test_list_search_and_filters(client: Any) -> None:
    user = UserFactory()
    client.force_login(user)
    a = PartnershipFactory(name="Dementia Friendly Northshire", status="active", kind="horizontal")
    b = PartnershipFactory(name="Hospital Discharge Alliance", status="forming", kind="vertical")
    c = PartnershipFactory(name="Unseen Board", status="active")
    for p in (a, b):
        grant(user, p)
    url = reverse("register:partnership_list")

    def names(**params: str) -> set[str]:
        page = client.get(url, params).context["page_obj"]
        return {p.name for p in page}

    assert names() == {a.name, b.name}  # c is not visible
    assert c.name not in client.get(url).content.decode()
    assert names(search="dementia") == {a.name}
    assert names(status="forming") == {b.name}
    assert names(kind="vertical") == {b.name}
    partial = client.get(url, {"search": "discharge"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert b.name in partial.content.decode()


@pytest.mark.parametrize(("role", "shown"), [("member", True), ("evaluator", True), ("observer", False)])
def test_the_link_to_relationship_surveys_is_shown_only_to_those_who_may_follow_it(
    client: Any, role: str, shown: bool
) -> None:
    partnership = PartnershipFactory()
    user = UserFactory()
    grant(user, partnership, role)
    client.force_login(user)
    page = client.get(reverse("register:partnership_detail", args=[partnership.pk])).content.decode()
    link = reverse("networks:partnership", args=[partnership.pk])
    assert (f'href="{link}"' in page) is shown
    assert client.get(link).status_code == (200 if shown else 403)
