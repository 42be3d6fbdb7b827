"""A partnership that grows: each step adds members with everything the flags read about a member."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.agreements.choices import Chairing, Term, VersionStatus
from joinedup.governance.choices import AttendanceStatus
from tests.factories.agreements import (
    AgreementFactory,
    AgreementVersionFactory,
    ContributionFactory,
    version_freeze,
)
from tests.factories.governance import (
    ActionFactory,
    AttendanceFactory,
    DecisionFactory,
    DisputeFactory,
    MeetingFactory,
)
from tests.factories.outcomes import IndicatorFactory
from tests.factories.register import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)

TODAY = datetime.date(2026, 12, 7)


class World:
    def __init__(self) -> None:
        self.partnership = PartnershipFactory(area="Northshire")
        self.other = PartnershipFactory(area="Northshire")
        self.meetings = [
            MeetingFactory(
                partnership=self.partnership,
                start=datetime.datetime(2026, month, 10, 10, tzinfo=datetime.UTC),
            )
            for month in (6, 7, 8, 9)
        ]
        DecisionFactory(meeting=self.meetings[-1], quorate=False)
        DisputeFactory(partnership=self.partnership, raised_on=datetime.date(2026, 1, 5), status="open")
        self.agreement = AgreementFactory(
            partnership=self.partnership, kind="section_75", section75_kind="pooled_fund"
        )
        self.version = AgreementVersionFactory(
            agreement=self.agreement,
            term=Term.FIXED_END,
            end_date=datetime.date(2027, 3, 31),
            chairing=Chairing.FIXED_PARTNER,
            review_interval_months=12,
        )
        self.frozen = False
        self.members: list[Any] = []

    def grow(self, n: int) -> None:
        for _ in range(n):
            org = OrganisationFactory()
            membership = MembershipFactory(partnership=self.partnership, organisation=org)
            MembershipFactory(partnership=self.other, organisation=org)
            person = PersonFactory()
            AffiliationFactory(person=person, organisation=org, started=datetime.date(2026, 9, 1))
            membership.representatives.add(person)
            for meeting in self.meetings[:1]:
                AttendanceFactory(meeting=meeting, organisation=org, status=AttendanceStatus.PRESENT)
            ActionFactory(
                partnership=self.partnership, owner_organisation=org, due=datetime.date(2026, 10, 1)
            )
            IndicatorFactory(partnership=self.partnership, owner=org, kind="outcome")
            if not self.frozen:
                ContributionFactory(version=self.version, organisation=org, amount=100)
            self.members.append(org)
        if not self.frozen:
            version_freeze(
                self.version,
                status=VersionStatus.IN_FORCE,
                in_force_at=datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC),
            )
            self.frozen = True
