from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from joinedup.agreements.choices import PositionKind
from joinedup.agreements.content import content_intact
from joinedup.agreements.models import Agreement, AgreementVersion
from joinedup.agreements.presenters import AgreementRow
from joinedup.analysis.agreement_reading import Reading


class AgreementOut(Schema):
    id: int
    partnership_id: int
    title: str
    kind: str
    section75_kind: str
    ended: datetime.date | None
    version_in_force: int | None
    open_version: int | None
    statuses: list[str]
    next_review_due: datetime.date | None

    @classmethod
    def from_row(cls, row: AgreementRow) -> AgreementOut:
        a = row.agreement
        return cls(
            id=a.pk,
            partnership_id=a.partnership_id,
            title=a.title,
            kind=a.kind,
            section75_kind=a.section75_kind,
            ended=a.ended,
            version_in_force=row.in_force.number if row.in_force else None,
            open_version=row.open_change.number if row.open_change else None,
            statuses=row.statuses,
            next_review_due=row.next_review,
        )


class ClauseOut(Schema):
    order: int
    kind: str
    text: str


class ContributionOut(Schema):
    organisation_id: int
    organisation: str
    kind: str
    amount: Decimal | None
    unit: str
    period: str
    description: str


class SignatureOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    signed_at: datetime.datetime
    content_hash: str


class VersionOut(Schema):
    number: int
    status: str
    content_hash: str
    content_matches_hash: bool = Field(
        description="False when the stored clauses, terms or contributions no longer match the hash that was "
        "signed: they were changed outside JoinedUp, so this is not the text the partners agreed."
    )
    in_force_at: datetime.datetime | None
    term: str
    end_date: datetime.date | None
    review_interval_months: int | None
    decision_rule: str
    chairing: str
    chair_organisation_id: int | None
    host_organisation_id: int | None
    risk_share: str
    clauses: list[ClauseOut]
    contributions: list[ContributionOut]
    signatures: list[SignatureOut]

    @classmethod
    def from_model(cls, v: AgreementVersion) -> VersionOut:
        return cls(
            number=v.number,
            status=v.status,
            content_hash=v.content_hash,
            content_matches_hash=content_intact(v),
            in_force_at=v.in_force_at,
            term=v.term,
            end_date=v.end_date,
            review_interval_months=v.review_interval_months,
            decision_rule=v.decision_rule,
            chairing=v.chairing,
            chair_organisation_id=v.chair_organisation_id,
            host_organisation_id=v.host_organisation_id,
            risk_share=v.risk_share,
            clauses=[ClauseOut(order=c.order, kind=c.kind, text=c.text) for c in v.clauses.all()],
            contributions=[
                ContributionOut(
                    organisation_id=c.organisation_id,
                    organisation=c.organisation.name,
                    kind=c.kind,
                    amount=c.amount,
                    unit=c.unit,
                    period=c.period,
                    description=c.description,
                )
                for c in v.contributions.all()
            ],
            signatures=[
                SignatureOut(
                    id=s.pk,
                    organisation_id=s.organisation_id,
                    organisation=s.organisation.name,
                    signed_at=s.signed_at,
                    content_hash=s.content_hash,
                )
                for s in v.signatures.all()
            ],
        )


class CriterionOut(Schema):
    key: str
    title: str
    status: str
    reason: str
    source: str


class ReadingOut(Schema):
    verdict: str
    verdict_label: str
    rule: str
    criteria: list[CriterionOut]

    @classmethod
    def from_reading(cls, r: Reading) -> ReadingOut:
        return cls(
            verdict=r.verdict,
            verdict_label=r.verdict_label,
            rule=r.rule,
            criteria=[
                CriterionOut(key=c.key, title=c.title, status=c.status, reason=c.reason, source=c.source)
                for c in r.criteria
            ],
        )


class AgreementDetailOut(Schema):
    id: int
    partnership_id: int
    title: str
    kind: str
    section75_kind: str
    ended: datetime.date | None
    in_force: VersionOut | None
    reading: ReadingOut | None
    unsigned_current_members: list[int]

    @classmethod
    def build(
        cls, a: Agreement, version: AgreementVersion | None, reading: Reading | None, unsigned: list[int]
    ) -> AgreementDetailOut:
        return cls(
            id=a.pk,
            partnership_id=a.partnership_id,
            title=a.title,
            kind=a.kind,
            section75_kind=a.section75_kind,
            ended=a.ended,
            in_force=VersionOut.from_model(version) if version else None,
            reading=ReadingOut.from_reading(reading) if reading else None,
            unsigned_current_members=unsigned,
        )


class VersionSummaryOut(Schema):
    id: int
    number: int
    status: str
    content_hash: str
    proposed_at: datetime.datetime | None = None
    in_force_at: datetime.datetime | None
    superseded_at: datetime.datetime | None = None


class CommentOut(Schema):
    id: int
    clause_id: int | None
    parent_id: int | None
    author: str
    organisation_id: int | None
    text: str
    created_at: datetime.datetime


class CommentIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)
    clause_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="The clause commented on; null: the whole."
    )
    parent_id: int | None = Field(None, ge=1, le=2**63 - 1, description="The comment this replies to.")


class PositionOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    position: str
    reason: str
    recorded_at: datetime.datetime


class PositionIn(Schema):
    organisation_id: int = Field(ge=1, le=2**63 - 1, description="The organisation you speak for.")
    position: PositionKind
    reason: str = Field("", max_length=5000, description="Needed when objecting.")


class SignIn(Schema):
    organisation_id: int = Field(ge=1, le=2**63 - 1, description="The organisation you sign for.")
    content_hash: str = Field(
        min_length=1,
        max_length=128,
        pattern=r"^[0-9a-f]+$",
        description="The version's `content_hash` as you read it: a version changed since answers 409.",
    )


class SignedOut(Schema):
    signature: SignatureOut
    version_status: str = Field(
        description="The version's status after signing (in_force once all have signed)."
    )
