"""Factories for the insight app's flag sets and thresholds."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from joinedup.insight.models import FlagSet, FlagThresholds
from tests.factories.register import PartnershipFactory


class FlagSetFactory(DjangoModelFactory):
    class Meta:
        model = FlagSet

    partnership = factory.SubFactory(PartnershipFactory)
    computed_at = factory.LazyFunction(lambda: datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC))
    settings_version = 1
    flags = factory.LazyFunction(list)
    snapshot = factory.LazyFunction(dict)
    health = factory.LazyFunction(dict)
    ladder = factory.LazyFunction(dict)


class FlagThresholdsFactory(DjangoModelFactory):
    class Meta:
        model = FlagThresholds

    partnership = factory.SubFactory(PartnershipFactory)
    values = factory.LazyFunction(lambda: {"dispute_days": 60.0})
