"""Factories for outcomes: indicators (with their first definition), definitions, measurements, trajectory
points and rebases. They write rows directly; tests of the rules go through the services."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from joinedup.outcomes.choices import Direction, Frequency, IndicatorKind, RbaQuestion
from joinedup.outcomes.models import Indicator, IndicatorVersion, Measurement, Rebase, TrajectoryPoint
from joinedup.register.models import Membership
from tests.factories.register import OrganisationFactory, PartnershipFactory


class IndicatorFactory(DjangoModelFactory):
    """An indicator owned by a member of its partnership, with definition 1 (its unit and direction)."""

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Indicator {n}")
    kind = IndicatorKind.PROCESS
    rba_question = RbaQuestion.HOW_WELL
    frequency = Frequency.QUARTERLY
    owner = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def membership(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if (
            create
            and not Membership.objects.filter(
                partnership=self.partnership, organisation=self.owner, left__isnull=True
            ).exists()
        ):
            Membership.objects.create(
                partnership=self.partnership, organisation=self.owner, joined=datetime.date(2020, 1, 1)
            )

    @factory.post_generation
    def definition(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and not self.versions.exists():
            IndicatorVersion.objects.create(
                indicator=self,
                number=1,
                definition=extracted or "People seen within two weeks of referral, of all referred.",
                unit=kwargs.get("unit", "%"),
                direction=kwargs.get("direction", Direction.INCREASE),
            )


class IndicatorVersionFactory(DjangoModelFactory):
    """A later definition (number 2 on), starting at a period."""

    class Meta:
        model = IndicatorVersion

    indicator = factory.SubFactory(IndicatorFactory)
    number = factory.Sequence(lambda n: n + 2)
    definition = "A changed definition."
    unit = "%"
    direction = Direction.INCREASE
    starts = factory.Sequence(lambda n: datetime.date(2030 + n, 1, 1))


class MeasurementFactory(DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.Sequence(lambda n: datetime.date(2000 + n // 4, 1 + 3 * (n % 4), 1))
    value = 50.0


class TrajectoryPointFactory(DjangoModelFactory):
    class Meta:
        model = TrajectoryPoint

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.Sequence(lambda n: datetime.date(2000 + n // 4, 1 + 3 * (n % 4), 1))
    target = 60.0


class RebaseFactory(DjangoModelFactory):
    class Meta:
        model = Rebase

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.Sequence(lambda n: datetime.date(2000 + n // 4, 1 + 3 * (n % 4), 1))
    reason = "A new pathway started."
