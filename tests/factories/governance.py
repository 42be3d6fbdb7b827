"""Factories for the governance record."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from joinedup.governance.choices import (
    ActionStatus,
    AttendanceStatus,
    DisputeStatus,
    MeetingState,
    VoteOption,
)
from joinedup.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Dispute,
    Meeting,
    Paper,
    QuorumRule,
    Vote,
)
from tests.factories.register import OrganisationFactory, PartnershipFactory


class QuorumRuleFactory(DjangoModelFactory):
    class Meta:
        model = QuorumRule

    partnership = factory.SubFactory(PartnershipFactory)
    min_count = 2
    constituencies = factory.LazyFunction(lambda: [{"sector": "nhs", "minimum": 1}])


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Board meeting {n}")
    state = MeetingState.HELD
    start = factory.Sequence(
        lambda n: datetime.datetime(2026, 1, 10, 10, 0, tzinfo=datetime.UTC) + datetime.timedelta(days=n)
    )
    place = "Council House, Room 2"


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")


class PaperFactory(DjangoModelFactory):
    class Meta:
        model = Paper

    meeting = factory.SubFactory(MeetingFactory)
    title = "Finance report"
    file = factory.django.FileField(filename="finance.pdf", data=b"%PDF-1.4 a paper")
    filename = "finance.pdf"
    size = 16


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    status = AttendanceStatus.PRESENT


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Decision {n}")
    text = "Agreed."
    quorate = True
    quorum_reason = "Quorate: 2 of 2 voting members were there."


class VoteFactory(DjangoModelFactory):
    class Meta:
        model = Vote

    decision = factory.SubFactory(DecisionFactory, method="vote")
    organisation = factory.SubFactory(OrganisationFactory)
    option = VoteOption.FOR


class DeclarationFactory(DjangoModelFactory):
    class Meta:
        model = Declaration

    decision = factory.SubFactory(DecisionFactory)
    name = "Sam Patel"
    interest = "Trustee of a bidding charity"


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_organisation = factory.SubFactory(OrganisationFactory)
    due = datetime.date(2026, 6, 30)
    status = ActionStatus.OPEN


class DisputeFactory(DjangoModelFactory):
    class Meta:
        model = Dispute

    partnership = factory.SubFactory(PartnershipFactory)
    topic = factory.Sequence(lambda n: f"Dispute {n}")
    raised_by = factory.SubFactory(OrganisationFactory)
    status = DisputeStatus.OPEN
    raised_on = datetime.date(2026, 2, 1)
