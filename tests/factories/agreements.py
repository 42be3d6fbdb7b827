"""Factories for agreements: versions, clauses, contributions, comments, positions, signatures, reviews."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from joinedup.agreements.choices import AgreementKind, ClauseKind, PositionKind, ReviewOutcome, VersionStatus
from joinedup.agreements.content import content_hash, content_of
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


FROZEN_FIELDS = ("status", "content_hash", "proposed_at", "in_force_at", "superseded_at")


def version_freeze(version: AgreementVersion, **frozen: Any) -> AgreementVersion:
    """Move a draft on to `frozen`'s status (with its dates), carrying the real hash of its content, as the
    services would: the database refuses any change to a version's content once it is no longer a draft, so
    a test adds clauses and contributions first and freezes after."""
    frozen["content_hash"] = content_hash(content_of(version))
    frozen.setdefault("proposed_at", WHEN)
    AgreementVersion.objects.filter(pk=version.pk).update(**frozen)
    version.refresh_from_db()
    return version


def frozen_version(
    *, clauses: int = 1, organisations: Any = (), status: str = VersionStatus.IN_FORCE, **kwargs: Any
) -> AgreementVersion:
    """A version with `clauses` clauses and a contribution from each of `organisations`, then frozen."""
    version = AgreementVersionFactory(**kwargs)
    for _ in range(clauses):
        ClauseFactory(version=version)
    for organisation in organisations:
        ContributionFactory(version=version, organisation=organisation)
    dates = {"in_force_at": WHEN} if status in (VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED) else {}
    if status == VersionStatus.SUPERSEDED:
        dates["superseded_at"] = WHEN
    return version_freeze(version, status=status, **dates)


class AgreementVersionFactory(DjangoModelFactory):
    """A draft; `proposed=True` or `in_force=True` for one that carries its hash (the database insists).
    A frozen one is made as a draft and then frozen (`version_freeze`), with the real hash of its content."""

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

    @classmethod
    def _create(cls, model_class: type[AgreementVersion], *args: Any, **kwargs: Any) -> AgreementVersion:
        frozen = {name: kwargs.pop(name) for name in FROZEN_FIELDS if name in kwargs}
        version: AgreementVersion = super()._create(model_class, *args, **kwargs)
        if frozen.get("status", VersionStatus.DRAFT) != VersionStatus.DRAFT:
            frozen.pop("content_hash", None)
            version_freeze(version, **frozen)
        return version


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
