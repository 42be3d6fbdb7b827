"""Factories for agreements: versions, clauses, contributions, comments, positions, signatures, reviews."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from joinedup.agreements.choices import AgreementKind, ClauseKind, PositionKind, ReviewOutcome, VersionStatus
from joinedup.agreements.models import (
    Agreement,
    AgreementReview,
    AgreementVersion,
    Clause,
    Comment,
    Contribution,
    Position,
    Signature,
)
from tests.factories.accounts import UserFactory
from tests.factories.register import OrganisationFactory, PartnershipFactory

WHEN = datetime.datetime(2025, 1, 6, 10, 0, tzinfo=datetime.UTC)


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    kind = AgreementKind.MEMORANDUM
    title = factory.Sequence(lambda n: f"Agreement {n}")


class AgreementVersionFactory(DjangoModelFactory):
    """A draft; `proposed=True` or `in_force=True` for one that carries its hash (the database insists)."""

    class Meta:
        model = AgreementVersion

    class Params:
        proposed = factory.Trait(
            status=VersionStatus.PROPOSED,
            content_hash=factory.Sequence(lambda n: f"{n:064x}"),
            proposed_at=WHEN,
        )
        in_force = factory.Trait(
            status=VersionStatus.IN_FORCE,
            content_hash=factory.Sequence(lambda n: f"{n:064x}"),
            proposed_at=WHEN,
            in_force_at=WHEN,
        )

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)


class ClauseFactory(DjangoModelFactory):
    class Meta:
        model = Clause

    version = factory.SubFactory(AgreementVersionFactory)
    kind = ClauseKind.AIMS
    order = factory.Sequence(lambda n: n + 1)
    text = "To work together."


class ContributionFactory(DjangoModelFactory):
    class Meta:
        model = Contribution

    version = factory.SubFactory(AgreementVersionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = "money"


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    version = factory.SubFactory(AgreementVersionFactory)
    author = factory.SubFactory(UserFactory)
    text = "Can we say who chairs the board?"


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    version = factory.SubFactory(AgreementVersionFactory, proposed=True)
    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    position = PositionKind.SUPPORT
    recorded_at = WHEN


class SignatureFactory(DjangoModelFactory):
    """A signature of a proposed version, by the hash that version carries."""

    class Meta:
        model = Signature

    version = factory.SubFactory(AgreementVersionFactory, proposed=True)
    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    signed_at = WHEN
    content_hash = factory.SelfAttribute("version.content_hash")


class AgreementReviewFactory(DjangoModelFactory):
    class Meta:
        model = AgreementReview

    agreement = factory.SubFactory(AgreementFactory)
    date = datetime.date(2025, 4, 1)
    outcome = ReviewOutcome.CONTINUE
