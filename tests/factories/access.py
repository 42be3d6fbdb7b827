"""Factories for who may do what in a partnership (the model moves to the `access` app)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from joinedup.accounts.models import PartnershipRole
from tests.factories.accounts import UserFactory
from tests.factories.register import PartnershipFactory


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
