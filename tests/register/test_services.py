"""Register services: each write validates, names the field at fault, audits, and saves nothing on error."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from joinedup.core.models import AuditEvent
from joinedup.register import roles, services
from joinedup.register.models import (
    Affiliation,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    TimelineEvent,
)
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def test_organisation_save_creates_and_audits() -> None:
    user = UserFactory()
    org = services.organisation_save(
        by=user, name="Northshire Mind", sector="voluntary", charity_number="1234567"
    )
    assert Organisation.objects.get().name == "Northshire Mind"
    audit = AuditEvent.objects.get(verb="organisation.created")
    assert audit.actor == user
    assert audit.target_id == str(org.pk)


@pytest.mark.parametrize("field", ["ods_code", "charity_number", "company_number", "org_id"])
def test_duplicate_identifier_names_the_field(field: str) -> None:
    OrganisationFactory(name="First", **{field: "X123"})
    with pytest.raises(ValidationError) as caught:
        services.organisation_save(by=None, name="Second", sector="nhs", **{field: "X123"})
    assert list(caught.value.message_dict) == [field]
    assert "First already has this" in caught.value.message_dict[field][0]
    assert not Organisation.objects.filter(name="Second").exists()


def test_an_organisation_may_keep_its_own_identifier() -> None:
    org = OrganisationFactory(ods_code="RXX")
    services.organisation_save(by=None, organisation=org, name="Renamed", ods_code="RXX")
    org.refresh_from_db()
    assert org.name == "Renamed"


def test_empty_identifiers_do_not_clash() -> None:
    OrganisationFactory(ods_code="")
    services.organisation_save(by=None, name="Another", sector="nhs", ods_code="")
    assert Organisation.objects.count() == 2


def test_closing_before_opening_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        services.organisation_save(
            by=None, name="X", sector="nhs", opened=D(2020, 1, 1), closed=D(2019, 1, 1)
        )
    assert "closed" in caught.value.message_dict
    assert not Organisation.objects.exists()


def test_partnership_save_creates_formation_event_and_coordinator() -> None:
    user = UserFactory()
    p = services.partnership_save(by=user, name="Alliance", kind="vertical", started=D(2024, 4, 1))
    assert TimelineEvent.objects.get(partnership=p).kind == "formation"
    assert p.roles.get().user == user


def test_partnership_end_before_start_names_ended() -> None:
    with pytest.raises(ValidationError) as caught:
        services.partnership_save(
            by=None, name="A", kind="vertical", started=D(2024, 4, 1), ended=D(2024, 1, 1)
        )
    assert list(caught.value.message_dict) == ["ended"]
    assert not Partnership.objects.exists()


def test_partnership_cycle_is_refused() -> None:
    top = PartnershipFactory()
    middle = PartnershipFactory(parent=top)
    bottom = PartnershipFactory(parent=middle)
    with pytest.raises(ValidationError) as caught:
        services.partnership_save(by=None, partnership=top, parent=bottom)
    assert "parent" in caught.value.message_dict
    top.refresh_from_db()
    assert top.parent is None


def test_membership_add_end_and_history() -> None:
    p, org = PartnershipFactory(), OrganisationFactory()
    rep = AffiliationFactory(organisation=org).person
    m = services.membership_add(
        by=None, partnership=p, organisation=org, joined=D(2024, 1, 1), representatives=[rep]
    )
    assert list(m.representatives.all()) == [rep]
    with pytest.raises(ValidationError) as caught:
        services.membership_add(by=None, partnership=p, organisation=org, joined=D(2024, 2, 1))
    assert "organisation" in caught.value.message_dict
    services.membership_end(by=None, membership=m, left=D(2024, 12, 31), reason="Merged")
    assert p.events.filter(kind="member_left", description="Merged").exists()
    # once it has left, it may rejoin; the old membership stays in the history
    services.membership_add(by=None, partnership=p, organisation=org, joined=D(2025, 6, 1))
    assert Membership.objects.filter(partnership=p, organisation=org).count() == 2


def test_membership_end_twice_or_too_early_is_refused() -> None:
    m = MembershipFactory(joined=D(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.membership_end(by=None, membership=m, left=D(2023, 1, 1))
    services.membership_end(by=None, membership=m, left=D(2024, 6, 1))
    with pytest.raises(ValidationError) as caught:
        services.membership_end(by=None, membership=m, left=D(2024, 7, 1))
    assert "already ended" in caught.value.message_dict["left"][0]


def test_membership_update_cannot_join_after_leaving() -> None:
    m = MembershipFactory(joined=D(2024, 1, 1), left=D(2024, 6, 1))
    with pytest.raises(ValidationError) as caught:
        services.membership_update(by=None, membership=m, role="lead", joined=D(2024, 9, 1))
    assert "joined" in caught.value.message_dict
    m.refresh_from_db()
    assert m.joined == D(2024, 1, 1)


def test_affiliation_save_for_a_new_person_and_dates() -> None:
    person, org = PersonFactory(), OrganisationFactory()
    a = services.affiliation_save(by=None, person=person, organisation=org, started=D(2020, 1, 1))
    assert a.pk is not None
    with pytest.raises(ValidationError) as caught:
        services.affiliation_save(by=None, affiliation=a, ended=D(2019, 1, 1))
    assert list(caught.value.message_dict) == ["ended"]
    assert Affiliation.objects.get().ended is None


def test_event_record_needs_a_subject() -> None:
    with pytest.raises(ValidationError):
        services.event_record(by=None, kind="other", date=D(2024, 1, 1), title="About nothing")
    assert not TimelineEvent.objects.exists()


def test_role_grant_refuses_a_role_that_does_not_exist() -> None:
    misspelt: Any = "coordinatr"
    with pytest.raises(ValueError, match="coordinatr"):
        roles.role_grant(by=None, user=UserFactory(), partnership=PartnershipFactory(), role=misspelt)
    assert not PartnershipRole.objects.exists()
    assert not AuditEvent.objects.exists()
