"""Factories for the register: organisations, people, partnerships, memberships, timeline events."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from joinedup.core.choices import RoleKind
from joinedup.register.choices import PartnershipKind, Sector
from joinedup.register.models import (
    AccessToken,
    Affiliation,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Person,
    RoleInvitation,
    TimelineEvent,
)
from tests.factories.accounts import UserFactory


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.NHS
    area = "Northshire"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="en_GB")


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    kind = PartnershipKind.HORIZONTAL
    status = "active"
    started = datetime.date(2023, 4, 1)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined = datetime.date(2023, 4, 1)


class TimelineEventFactory(DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    kind = "other"
    date = datetime.date(2024, 1, 1)
    title = factory.Sequence(lambda n: f"Event {n}")
    partnership = factory.SubFactory(PartnershipFactory)


class PartnershipRoleFactory(DjangoModelFactory):
    """A role in a partnership; a representative gets an organisation (the database requires one)."""

    class Meta:
        model = PartnershipRole

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = "member"
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == "representative"),
        yes_declaration=factory.SubFactory("tests.factories.register.OrganisationFactory"),
        no_declaration=None,
    )


class RoleInvitationFactory(DjangoModelFactory):
    class Meta:
        model = RoleInvitation

    partnership = factory.SubFactory(PartnershipFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = RoleKind.MEMBER
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class AccessTokenFactory(DjangoModelFactory):
    """A token row; its text is not known (make real ones with register.tokens.token_create)."""

    class Meta:
        model = AccessToken

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Script {n}")
    lookup = factory.Sequence(lambda n: f"{n:012d}")
    digest = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
