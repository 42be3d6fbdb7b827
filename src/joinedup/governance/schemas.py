"""API shapes, after OParl (meeting, agenda item) and Popolo (vote event, count, vote)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from joinedup.governance.choices import (
    ActionStatus,
    AttendanceStatus,
    DecisionMethod,
    DisputeStatus,
    VoteOption,
)
from joinedup.governance.models import Action, Decision, Dispute, Meeting


class AgendaItemOut(Schema):
    number: int
    title: str
    is_private: bool
    note: str


class AttendanceOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    name: str
    status: str
    substitute_for: str


class MeetingOut(Schema):
    id: int
    partnership_id: int
    title: str
    kind: str
    state: str
    start: datetime.datetime
    end: datetime.datetime | None
    place: str
    online: bool

    @classmethod
    def of(cls, m: Meeting) -> MeetingOut:
        return cls(
            id=m.pk,
            partnership_id=m.partnership_id,
            title=m.title,
            kind=m.kind,
            state=m.state,
            start=m.start,
            end=m.end,
            place=m.place,
            online=m.online,
        )


class QuorumOut(Schema):
    quorate: bool
    voting_members: int
    counted_organisation_ids: list[int]
    reasons: list[str]


class MeetingDetailOut(MeetingOut):
    agenda_items: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    quorum: QuorumOut | None
    decision_ids: list[int]


class CountOut(Schema):
    option: str
    value: int


class VoteOut(Schema):
    organisation_id: int
    organisation: str
    option: str


class DeclarationOut(Schema):
    name: str
    interest: str


class DecisionOut(Schema):
    id: int
    meeting_id: int
    title: str
    text: str
    reasons: str
    options_rejected: str
    method: str
    quorate: bool | None
    quorum_reason: str
    votes: list[VoteOut]
    counts: list[CountOut]
    declarations: list[DeclarationOut]

    @classmethod
    def of(cls, d: Decision) -> DecisionOut:
        votes = list(d.votes.all())
        counts: dict[str, int] = {}
        for v in votes:
            counts[v.option] = counts.get(v.option, 0) + 1
        return cls(
            id=d.pk,
            meeting_id=d.meeting_id,
            title=d.title,
            text=d.text,
            reasons=d.reasons,
            options_rejected=d.options_rejected,
            method=d.method,
            quorate=d.quorate,
            quorum_reason=d.quorum_reason,
            votes=[
                VoteOut(organisation_id=v.organisation_id, organisation=v.organisation.name, option=v.option)
                for v in votes
            ],
            counts=[CountOut(option=o, value=n) for o, n in sorted(counts.items())],
            declarations=[DeclarationOut(name=x.name, interest=x.interest) for x in d.declarations.all()],
        )


class ActionOut(Schema):
    id: int
    partnership_id: int
    meeting_id: int | None
    decision_id: int | None
    title: str
    owner_organisation_id: int
    owner_organisation: str
    owner_person: str
    due: datetime.date | None
    status: str
    completed: datetime.date | None
    overdue: bool

    @classmethod
    def of(cls, a: Action) -> ActionOut:
        return cls(
            id=a.pk,
            partnership_id=a.partnership_id,
            meeting_id=a.meeting_id,
            decision_id=a.decision_id,
            title=a.title,
            owner_organisation_id=a.owner_organisation_id,
            owner_organisation=a.owner_organisation.name,
            owner_person=a.owner_person.name if a.owner_person else "",
            due=a.due,
            status=a.status,
            completed=a.completed,
            overdue=bool(getattr(a, "overdue", False)),
        )


_ID = Field(ge=1, le=2**63 - 1)


class AttendanceRowIn(Schema):
    organisation_id: int = _ID
    status: AttendanceStatus
    name: str = Field("", max_length=200)
    substitute_for: str = Field("", max_length=200, description="Whom a substitute stands in for.")


class AttendanceIn(Schema):
    """The meeting's whole attendance: it replaces what was recorded (a scheduled meeting becomes held)."""

    rows: list[AttendanceRowIn] = Field(max_length=500)


class ActionSpecIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    owner_organisation_id: int = _ID
    due: datetime.date | None = None


class DecisionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=20_000)
    method: DecisionMethod
    reasons: str = Field("", max_length=20_000)
    options_rejected: str = Field("", max_length=20_000)
    votes: dict[str, VoteOption] = Field(
        default_factory=dict, description="Organisation id -> for, against or abstain (a vote only)."
    )
    actions: list[ActionSpecIn] = Field(default_factory=list, max_length=100)


class ActionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    owner_organisation_id: int = _ID
    due: datetime.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    completed: datetime.date | None = None


class ActionPatchIn(Schema):
    """The fields to change; those left out stay as they are."""

    title: str | None = Field(None, min_length=1, max_length=300)
    due: datetime.date | None = None
    status: ActionStatus | None = None
    completed: datetime.date | None = None


class DisputeOut(Schema):
    id: int
    partnership_id: int
    topic: str
    description: str
    raised_by_id: int
    partner_ids: list[int]
    status: str
    escalation_step: str
    raised_on: datetime.date
    closed_on: datetime.date | None

    @classmethod
    def of(cls, d: Dispute) -> DisputeOut:
        return cls(
            id=d.pk,
            partnership_id=d.partnership_id,
            topic=d.topic,
            description=d.description,
            raised_by_id=d.raised_by_id,
            partner_ids=sorted(o.pk for o in d.partners.all()),
            status=d.status,
            escalation_step=d.escalation_step,
            raised_on=d.raised_on,
            closed_on=d.closed_on,
        )


class DisputeIn(Schema):
    topic: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    raised_by_id: int = _ID
    partner_ids: list[int] = Field(default_factory=list, max_length=200)
    raised_on: datetime.date


class DisputePatchIn(Schema):
    """The fields to change; those left out stay as they are."""

    status: DisputeStatus | None = None
    escalation_step: str | None = Field(None, max_length=20_000)
    closed_on: datetime.date | None = None
    description: str | None = Field(None, max_length=20_000)
