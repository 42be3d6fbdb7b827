"""Factories for relationship survey answers."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from joinedup.networks.models import TieRating
from tests.factories.register import OrganisationFactory
from tests.factories.surveys import ResponseFactory


class TieRatingFactory(DjangoModelFactory):
    """A fully rated tie from a response to a relationship wave."""

    class Meta:
        model = TieRating

    response = factory.SubFactory(ResponseFactory, wave__relationship=True)
    target = factory.SubFactory(OrganisationFactory)
    frequency = 3
    exchanges = factory.LazyFunction(lambda: ["information"])
    level = 2
    trust_reliability = 3
    trust_mission = 3
    trust_openness = 3
    value_power = 3
    value_involvement = 3
    value_resources = 3
