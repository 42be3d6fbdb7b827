from __future__ import annotations

import datetime

from ninja import Schema

from joinedup.register.models import Organisation, Partnership


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
        return cls(id=p.pk, name=p.name, kind=p.kind, status=p.status, parent_id=p.parent_id, started=p.started,
                   ended=p.ended, member_count=getattr(p, "member_count", 0))


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
        return cls(id=o.pk, name=o.name, sector=o.sector, org_type=o.org_type, ods_code=o.ods_code,
                   charity_number=o.charity_number, company_number=o.company_number, org_id=o.org_id,
                   area=o.area, opened=o.opened, closed=o.closed)
