"""A small partnership with signatories, and agreement versions proposed and signed through the services."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from joinedup.accounts.models import User
from joinedup.agreements import services
from joinedup.agreements.choices import AgreementKind, ClauseKind
from joinedup.agreements.models import Agreement, AgreementVersion
from joinedup.register.models import Membership, Organisation, Partnership
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipRoleFactory,
    UserFactory,
)

CLAUSES = [
    {"kind": ClauseKind.AIMS, "text": "Better care for adults in Northshire."},
    {"kind": ClauseKind.GOVERNANCE, "text": "The board meets monthly and decides by consensus."},
    {"kind": ClauseKind.RISK_SHARE, "text": "Overspends are shared in proportion to contributions."},
]


@dataclass
class Place:
    """A partnership with members, each with a signatory user and a (non-signing) representative."""

    partnership: Partnership
    orgs: list[Organisation]
    signatories: dict[int, User]
    reps: dict[int, User]
    coordinator: User
    memberships: list[Membership] = field(default_factory=list)

    def add_member(
        self, joined: datetime.date = datetime.date(2024, 1, 1), role: str = "member"
    ) -> Organisation:
        org = OrganisationFactory()
        self.memberships.append(
            MembershipFactory(partnership=self.partnership, organisation=org, joined=joined, role=role)
        )
        self.orgs.append(org)
        self.signatories[org.pk] = signatory_for(self.partnership, org)
        self.reps[org.pk] = PartnershipRoleFactory(
            partnership=self.partnership, role="representative", organisation=org
        ).user
        return org


def signatory_for(partnership: Partnership, org: Organisation, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    PartnershipRoleFactory(
        user=user, partnership=partnership, role="representative", organisation=org, is_signatory=True
    )
    return user


def make_place(members: int = 3) -> Place:
    partnership = PartnershipFactory()
    coordinator = PartnershipRoleFactory(partnership=partnership, role="coordinator").user
    place = Place(partnership=partnership, orgs=[], signatories={}, reps={}, coordinator=coordinator)
    for _ in range(members):
        place.add_member(joined=datetime.date(2023, 4, 1))
    return place


def proposed_version(
    place: Place,
    clauses: list[dict[str, Any]] | None = None,
    agreement: Agreement | None = None,
    **fields: Any,
) -> AgreementVersion:
    agreement = agreement or services.agreement_create(
        by=place.coordinator, partnership=place.partnership, kind=AgreementKind.MEMORANDUM, title="Memorandum"
    )
    draft = services.draft_start(by=place.coordinator, agreement=agreement)
    draft = services.draft_save(
        by=place.coordinator,
        version=draft,
        expected_lock_version=draft.lock_version,
        clauses=clauses if clauses is not None else CLAUSES,
        **fields,
    )
    return services.draft_propose(by=place.coordinator, version=draft)


def sign_all(place: Place, version: AgreementVersion) -> None:
    for org in place.orgs:
        if not version.signatures.filter(organisation=org).exists():
            services.version_sign(
                by=place.signatories[org.pk],
                version=version,
                organisation=org,
                content_hash=version.content_hash,
            )
            version.refresh_from_db()


_TRIGGERS = importlib.import_module("joinedup.agreements.migrations.0002_signed_versions_unchangeable")


@contextmanager
def triggers_dropped() -> Iterator[None]:
    """Tamper as someone with the database owner's rights could: drop the triggers that refuse changes to a
    signed version, and put them back afterwards."""
    with connection.cursor() as cursor:
        for statement in _TRIGGERS._drop(connection.vendor):
            cursor.execute(statement)
    try:
        yield
    finally:
        create = _TRIGGERS._postgresql if connection.vendor == "postgresql" else _TRIGGERS._sqlite
        with connection.cursor() as cursor:
            for statement in create():
                cursor.execute(statement)
