"""Register selectors: visibility and filters return the right rows."""

from __future__ import annotations

import datetime

import pytest

from joinedup.register import selectors
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

D = datetime.date


def test_partnership_list_counts_only_current_members_and_is_ordered() -> None:
    user = UserFactory()
    b, a = PartnershipFactory(name="B"), PartnershipFactory(name="A")
    grant(user, a)
    grant(user, b)
    grant(user, b, "coordinator")  # two roles must not double the row or the count
    MembershipFactory(partnership=b)
    MembershipFactory(partnership=b)
    MembershipFactory(partnership=b, left=D(2024, 1, 1))
    rows = list(selectors.partnership_list(user=user))
    assert [(p.name, p.member_count) for p in rows] == [("A", 0), ("B", 2)]


def test_partnership_get_hides_other_partnerships() -> None:
    user = UserFactory()
    mine, theirs = PartnershipFactory(), PartnershipFactory()
    grant(user, mine)
    assert selectors.partnership_get(user=user, pk=mine.pk) == mine
    assert selectors.partnership_get(user=user, pk=theirs.pk) is None


def test_partnership_organisations_are_past_and_present_members() -> None:
    p = PartnershipFactory()
    current = MembershipFactory(partnership=p).organisation
    former = MembershipFactory(partnership=p, left=D(2024, 1, 1)).organisation
    OrganisationFactory()
    assert set(selectors.partnership_organisations(partnership=p)) == {current, former}


def test_affiliation_list_puts_current_first() -> None:
    person = PersonFactory()
    old = AffiliationFactory(person=person, started=D(2010, 1, 1), ended=D(2015, 1, 1))
    now = AffiliationFactory(person=person, started=D(2015, 2, 1))
    middle = AffiliationFactory(person=person, started=D(2012, 1, 1), ended=D(2018, 1, 1))
    assert list(selectors.affiliation_list(person=person)) == [now, middle, old]


def test_representing_list_limits_to_visible_partnerships() -> None:
    user, person = UserFactory(), PersonFactory()
    seen, unseen = MembershipFactory(), MembershipFactory()
    seen.representatives.add(person)
    unseen.representatives.add(person)
    grant(user, seen.partnership)
    assert list(selectors.representing_list(person=person, user=user)) == [seen]
    admin = UserFactory(is_superuser=True)
    assert set(selectors.representing_list(person=person, user=admin)) == {seen, unseen}


def test_person_list_filters() -> None:
    org = OrganisationFactory()
    a = PersonFactory(name="Alpha", profession="nurse", job_title="Ward manager")
    b = PersonFactory(name="Beta", profession="nurse")
    AffiliationFactory(person=a, organisation=org)
    AffiliationFactory(person=a, organisation=org)  # two ties to one organisation: still one row
    admin = UserFactory(is_superuser=True)
    assert list(selectors.person_list(user=admin, organisation_id=org.pk)) == [a]
    assert list(selectors.person_list(user=admin, profession="nurse")) == [a, b]
    assert list(selectors.person_list(user=admin, search="ward")) == [a]
