"""factory-boy factories, one per model, in a module per app (tests/test_factories.py checks none is missing).

Everything is re-exported here, so tests import `from tests.factories import OrganisationFactory`.
"""

from tests.factories.accounts import PASSWORD, EmailChangeFactory, UserFactory
from tests.factories.agreements import (
    AgreementFactory,
    AgreementReviewFactory,
    AgreementVersionFactory,
    ClauseFactory,
    CommentFactory,
    ContributionFactory,
    PositionFactory,
    SignatureFactory,
)
from tests.factories.assessments import WaveReleaseFactory, WaveResultFactory
from tests.factories.core import AuditChainHeadFactory, AuditEventFactory, JobFactory
from tests.factories.networks import TieRatingFactory
from tests.factories.outcomes import (
    IndicatorFactory,
    IndicatorVersionFactory,
    MeasurementFactory,
    RebaseFactory,
    TrajectoryPointFactory,
)
from tests.factories.register import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipRoleFactory,
    PersonFactory,
    RoleInvitationFactory,
    TimelineEventFactory,
)
from tests.factories.surveys import InvitationFactory, ResponseFactory, WaveFactory

__all__ = [
    "PASSWORD",
    "AffiliationFactory",
    "AgreementFactory",
    "AgreementReviewFactory",
    "AgreementVersionFactory",
    "AuditChainHeadFactory",
    "AuditEventFactory",
    "ClauseFactory",
    "CommentFactory",
    "ContributionFactory",
    "EmailChangeFactory",
    "IndicatorFactory",
    "IndicatorVersionFactory",
    "InvitationFactory",
    "JobFactory",
    "MeasurementFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "PartnershipFactory",
    "PartnershipRoleFactory",
    "PersonFactory",
    "PositionFactory",
    "RebaseFactory",
    "ResponseFactory",
    "RoleInvitationFactory",
    "SignatureFactory",
    "TieRatingFactory",
    "TimelineEventFactory",
    "TrajectoryPointFactory",
    "UserFactory",
    "WaveFactory",
    "WaveReleaseFactory",
    "WaveResultFactory",
]
