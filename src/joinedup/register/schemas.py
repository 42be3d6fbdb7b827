from __future__ import annotations

import datetime

from ninja import Field, Schema

from joinedup.core.choices import RoleKind
from joinedup.register.choices import MembershipRole
from joinedup.register.models import Affiliation, Membership, Organisation, Partnership, Person


class PartnershipOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    parent_id: int | None
    started: datetime.date
    ended: datetime.date | None
    member_count: int

    @classmethod
    def from_model(cls, p: Partnership) -> PartnershipOut:
        return cls(
            id=p.pk,
            name=p.name,
            kind=p.kind,
            status=p.status,
            parent_id=p.parent_id,
            started=p.started,
            ended=p.ended,
            member_count=getattr(p, "member_count", 0),
        )


class OrganisationOut(Schema):
    id: int
    name: str
    sector: str
    org_type: str
    ods_code: str
    charity_number: str
    company_number: str
    org_id: str
    area: str
    opened: datetime.date | None
    closed: datetime.date | None

    @classmethod
    def from_model(cls, o: Organisation) -> OrganisationOut:
        return cls(
            id=o.pk,
            name=o.name,
            sector=o.sector,
            org_type=o.org_type,
            ods_code=o.ods_code,
            charity_number=o.charity_number,
            company_number=o.company_number,
            org_id=o.org_id,
            area=o.area,
            opened=o.opened,
            closed=o.closed,
        )


class OrganisationDetailOut(OrganisationOut):
    gss_code: str
    cqc_provider_id: str
    cqc_location_id: str
    address: str
    postcode: str

    @classmethod
    def from_model(cls, o: Organisation) -> OrganisationDetailOut:
        base = OrganisationOut.from_model(o).model_dump()
        return cls(
            **base,
            gss_code=o.gss_code,
            cqc_provider_id=o.cqc_provider_id,
            cqc_location_id=o.cqc_location_id,
            address=o.address,
            postcode=o.postcode,
        )


class PersonRef(Schema):
    id: int
    name: str


class AffiliationOut(Schema):
    organisation_id: int
    organisation_name: str
    job_title: str
    started: datetime.date | None
    ended: datetime.date | None

    @staticmethod
    def resolve_organisation_name(obj: Affiliation) -> str:
        return obj.organisation.name


class PersonOut(Schema):
    """Read from a Person with `affiliations__organisation` prefetched (selectors.person_list does it)."""

    id: int
    name: str
    job_title: str
    profession: str
    profession_label: str
    email: str | None  # only for site admins and coordinators of a partnership the person belongs to
    affiliations: list[AffiliationOut]

    @staticmethod
    def resolve_email(obj: Person) -> str | None:
        return obj.email if getattr(obj, "contact_shown", False) else None

    @staticmethod
    def resolve_affiliations(obj: Person) -> list[Affiliation]:
        return list(obj.affiliations.all())


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    sector: str
    role: str
    joined: datetime.date
    left: datetime.date | None
    representatives: list[PersonRef]

    @classmethod
    def from_model(cls, m: Membership) -> MembershipOut:
        """Needs `organisation` joined and `representatives` prefetched (selectors.membership_list does both)."""
        return cls(
            id=m.pk,
            organisation_id=m.organisation_id,
            organisation_name=m.organisation.name,
            sector=m.organisation.sector,
            role=m.role,
            joined=m.joined,
            left=m.left,
            representatives=[PersonRef(id=p.pk, name=p.name) for p in m.representatives.all()],
        )


class PartnershipDetailOut(PartnershipOut):
    purpose: str
    area: str
    members: list[MembershipOut]

    @classmethod
    def from_model_with_members(cls, p: Partnership, memberships: list[Membership]) -> PartnershipDetailOut:
        current = sum(1 for m in memberships if m.left is None)
        return cls(
            id=p.pk,
            name=p.name,
            kind=p.kind,
            status=p.status,
            parent_id=p.parent_id,
            started=p.started,
            ended=p.ended,
            member_count=current,
            purpose=p.purpose,
            area=p.area,
            members=[MembershipOut.from_model(m) for m in memberships],
        )


class MembershipIn(Schema):
    """A member organisation to add: its representatives must be affiliated with it now."""

    organisation_id: int = Field(ge=1, le=2**63 - 1)
    role: MembershipRole = MembershipRole.MEMBER
    joined: datetime.date
    representative_ids: list[int] = Field(default_factory=list, max_length=200)


class MembershipEndIn(Schema):
    left: datetime.date
    reason: str = Field("", max_length=2000)


class RoleOut(Schema):
    id: int
    user_id: int
    name: str
    email: str
    role: str
    organisation_id: int | None
    is_signatory: bool


class RoleChangeIn(Schema):
    is_signatory: bool = Field(description="May sign agreements for the organisation (representatives only).")


class InvitationOut(Schema):
    id: int
    email: str
    name: str
    role: str
    organisation_id: int | None
    is_signatory: bool
    sent_at: datetime.datetime
    expires_at: datetime.datetime


class InvitationIn(Schema):
    """Someone to invite to a role; a representative names the organisation they speak for."""

    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    name: str = Field("", max_length=200)
    role: RoleKind
    organisation_id: int | None = Field(None, ge=1, le=2**63 - 1)
    is_signatory: bool = False


class TimelineEventOut(Schema):
    id: int
    kind: str
    date: datetime.date
    title: str
    description: str
    organisation_id: int | None
