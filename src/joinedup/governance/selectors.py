"""Reads for the governance record; never write. Each returns in a fixed number of queries.

Private agenda items, and the decisions, actions and papers that belong to them, are seen only by those who hold
MEETING_PRIVATE_VIEW in the partnership: every read that may include them takes `user` and filters here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from joinedup.analysis.quorum import Attendance as SeenAt
from joinedup.analysis.quorum import Constituency, Member, QuorumResult, Rule, quorum
from joinedup.core.permissions import Permission, has_permission
from joinedup.governance.choices import (
    ATTENDANCE_RATE_DEFAULT,
    CLOSED_DISPUTE_STATUSES,
    OPEN_ACTION_STATUSES,
    PRESENT_STATUSES,
    VOTING_ROLES,
    AttendanceStatus,
    MeetingState,
)
from joinedup.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Dispute,
    Meeting,
    Paper,
    QuorumRule,
    sector_words,
)
from joinedup.register.models import Membership, Partnership


def sees_private(user: Any, partnership: Any) -> bool:
    return has_permission(user, Permission.MEETING_PRIVATE_VIEW, partnership)


def _members_on(partnership_id: int, on: datetime.date) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(partnership_id=partnership_id, joined__lte=on)
        .filter(Q(left__isnull=True) | Q(left__gte=on))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def members_on(*, partnership_id: int, on: datetime.date, representatives: bool = False) -> list[Membership]:
    """The partnership's memberships on a date (voting or not), by organisation name (with their
    representatives, if asked)."""
    qs = _members_on(partnership_id, on)
    return list(qs.prefetch_related("representatives") if representatives else qs)


def voting_members(*, partnership_id: int, on: datetime.date) -> list[Membership]:
    """The memberships whose organisations vote and count towards a quorum on a date."""
    return list(_members_on(partnership_id, on).filter(role__in=VOTING_ROLES))


def rule_of(stored: QuorumRule) -> Rule:
    """The pure rule (analysis.quorum) a stored one says."""
    return Rule(
        min_count=stored.min_count,
        min_share_percent=stored.min_share_percent,
        constituencies=tuple(
            Constituency(c["sector"], sector_words(c["sector"]), int(c["minimum"]))
            for c in stored.constituencies
        ),
    )


def quorum_rule(*, partnership_id: int) -> QuorumRule | None:
    return QuorumRule.objects.filter(partnership_id=partnership_id).first()


def meeting_quorum(
    *, meeting: Meeting, attendance: list[Attendance] | None = None, rule: QuorumRule | None = None
) -> QuorumResult | None:
    """The meeting's quorum from its attendance and the partnership's rule; None without a rule. At most
    three queries (the rule, the voting members, the attendance), fewer when they are given."""
    stored = rule if rule is not None else quorum_rule(partnership_id=meeting.partnership_id)
    if stored is None:
        return None
    rows = attendance if attendance is not None else list(Attendance.objects.filter(meeting=meeting))
    members = voting_members(partnership_id=meeting.partnership_id, on=timezone.localdate(meeting.start))
    return quorum(
        rule=rule_of(stored),
        members=[Member(m.organisation_id, m.organisation.sector) for m in members],
        attendance=[SeenAt(a.organisation_id, a.status) for a in rows],
    )


# ---- meetings -----------------------------------------------------------------------------------------------


def meeting_list(*, partnership: Partnership) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(partnership=partnership)
        .annotate(decision_count=Count("decisions", distinct=True))
        .order_by("-start", "-id")  # Meta.ordering is not used by a query with an aggregate
    )


def meeting_get(*, pk: int) -> Meeting | None:
    return Meeting.objects.select_related("partnership").filter(pk=pk).first()


@dataclass
class MeetingRecord:
    """Everything the meeting page and the minutes show, with private items left out for those who may not see
    them."""

    meeting: Meeting
    items: list[AgendaItem]
    papers: list[Paper]
    attendance: list[Attendance]
    decisions: list[Decision]
    actions: list[Action]
    quorum: QuorumResult | None
    rule: QuorumRule | None
    sees_private: bool
    hidden_items: int

    @property
    def present(self) -> list[Attendance]:
        return [a for a in self.attendance if a.status in PRESENT_STATUSES]

    @property
    def apologies(self) -> list[Attendance]:
        return [a for a in self.attendance if a.status == AttendanceStatus.APOLOGIES]

    @property
    def absent(self) -> list[Attendance]:
        return [a for a in self.attendance if a.status == AttendanceStatus.ABSENT]

    @property
    def in_attendance(self) -> list[Attendance]:
        return [a for a in self.attendance if a.status == AttendanceStatus.IN_ATTENDANCE]


def _decisions(meeting_filter: Q) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(meeting_filter)
        .select_related("item", "meeting")
        .prefetch_related("votes__organisation", "declarations")
    )


def meeting_record(*, user: Any, meeting: Meeting, today: datetime.date) -> MeetingRecord:
    """The meeting with its items, papers, attendance, decisions and actions (a fixed number of queries)."""
    private = sees_private(user, meeting.partnership)
    items = list(AgendaItem.objects.filter(meeting=meeting))
    shown = [i for i in items if private or not i.is_private]
    papers = [
        p for p in Paper.objects.filter(meeting=meeting).select_related("item") if private or not p.private
    ]
    attendance = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    decisions = list(_decisions(Q(meeting=meeting)))
    if not private:
        decisions = [d for d in decisions if not (d.item and d.item.is_private)]
    actions = list(
        action_queryset(user=user, partnership=meeting.partnership, private=private).filter(meeting=meeting)
    )
    for action in actions:
        mark_overdue(action, today)
    rule = quorum_rule(partnership_id=meeting.partnership_id)
    result = (
        meeting_quorum(meeting=meeting, attendance=attendance, rule=rule)
        if rule is not None and meeting.state == MeetingState.HELD
        else None
    )
    return MeetingRecord(
        meeting=meeting,
        items=shown,
        papers=papers,
        attendance=attendance,
        decisions=decisions,
        actions=actions,
        quorum=result,
        rule=rule,
        sees_private=private,
        hidden_items=len(items) - len(shown),
    )


def paper_get(*, user: Any, pk: int) -> Paper | None:
    """A paper the user may read (private ones only with MEETING_PRIVATE_VIEW); the caller checks the
    partnership itself first."""
    paper = Paper.objects.select_related("meeting__partnership", "item").filter(pk=pk).first()
    if paper is None:
        return None
    if paper.private and not sees_private(user, paper.meeting.partnership):
        return None
    return paper


def decision_get(*, user: Any, pk: int) -> Decision | None:
    decision = _decisions(Q(pk=pk)).select_related("meeting__partnership", "recorded_by").first()
    if decision is None:
        return None
    if decision.item and decision.item.is_private and not sees_private(user, decision.meeting.partnership):
        return None
    return decision


def decision_list(*, user: Any, partnership: Partnership) -> QuerySet[Decision]:
    qs = _decisions(Q(meeting__partnership=partnership)).order_by("-meeting__start", "-id")
    if not sees_private(user, partnership):
        qs = qs.exclude(item__is_private=True)
    return qs


# ---- attendance rates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRate:
    organisation: Any
    meetings: int  # of the last N held meetings, those the organisation was a member for
    present: int
    apologies: int
    absent: int  # absent without apologies, or nobody recorded

    @property
    def percent(self) -> int | None:
        return None if not self.meetings else round(100 * self.present / self.meetings)


def attendance_rates(
    *, partnership: Partnership, last: int = ATTENDANCE_RATE_DEFAULT
) -> tuple[list[Meeting], list[AttendanceRate]]:
    """For each voting member today, how often someone attended for it over the last `last` held meetings."""
    meetings = list(
        Meeting.objects.filter(partnership=partnership, state=MeetingState.HELD).order_by("-start", "-id")[
            :last
        ]
    )
    members = voting_members(partnership_id=partnership.pk, on=timezone.localdate())
    everyone = list(Membership.objects.filter(partnership=partnership, role__in=VOTING_ROLES))
    seen: dict[tuple[int, int], set[str]] = {}
    for a in Attendance.objects.filter(meeting__in=meetings).only("meeting_id", "organisation_id", "status"):
        seen.setdefault((a.meeting_id, a.organisation_id), set()).add(a.status)
    rates = []
    for m in members:
        spells = [s for s in everyone if s.organisation_id == m.organisation_id]
        counted = present = apologies = 0
        for meeting in meetings:
            day = timezone.localdate(meeting.start)
            if not any(s.joined <= day and (s.left is None or s.left >= day) for s in spells):
                continue
            counted += 1
            statuses = seen.get((meeting.pk, m.organisation_id), set())
            if statuses & PRESENT_STATUSES:
                present += 1
            elif AttendanceStatus.APOLOGIES in statuses:
                apologies += 1
        rates.append(
            AttendanceRate(m.organisation, counted, present, apologies, counted - present - apologies)
        )
    return meetings, rates


# ---- actions and disputes -----------------------------------------------------------------------------------


def mark_overdue(action: Action, today: datetime.date) -> Action:
    action.overdue = bool(action.status in OPEN_ACTION_STATUSES and action.due and action.due < today)
    return action


def action_queryset(*, user: Any, partnership: Partnership, private: bool | None = None) -> QuerySet[Action]:
    qs = Action.objects.filter(partnership=partnership).select_related(
        "owner_organisation", "owner_person", "meeting", "decision"
    )
    if not (sees_private(user, partnership) if private is None else private):
        qs = qs.exclude(decision__item__is_private=True)
    return qs


def action_list(
    *, user: Any, partnership: Partnership, today: datetime.date, status: str = ""
) -> list[Action]:
    """The partnership's actions, overdue first, then by due date (undated last)."""
    qs = action_queryset(user=user, partnership=partnership)
    if status == "open":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    actions = [mark_overdue(a, today) for a in qs]
    far = datetime.date.max
    return sorted(
        actions, key=lambda a: (not a.overdue, a.status not in OPEN_ACTION_STATUSES, a.due or far, a.pk)
    )


def action_get(*, user: Any, pk: int) -> Action | None:
    action = (
        Action.objects.select_related(
            "partnership", "owner_organisation", "owner_person", "meeting", "decision__item"
        )
        .filter(pk=pk)
        .first()
    )
    if action is None:
        return None
    decision = action.decision
    if decision and decision.item and decision.item.is_private and not sees_private(user, action.partnership):
        return None
    return action


def dispute_list(*, partnership: Partnership) -> QuerySet[Dispute]:
    return (
        Dispute.objects.filter(partnership=partnership)
        .select_related("raised_by")
        .prefetch_related("partners")
    )


def dispute_get(*, pk: int) -> Dispute | None:
    return (
        Dispute.objects.select_related("partnership", "raised_by")
        .prefetch_related("partners")
        .filter(pk=pk)
        .first()
    )


# ---- the partnership page's section -------------------------------------------------------------------------


def partnership_section(*, user: Any, partnership: Any) -> dict[str, Any]:
    """Next meeting, the last held meeting's quorum, open and overdue actions, open disputes (fixed queries)."""
    now = timezone.now()
    today = timezone.localdate()
    upcoming = (
        Meeting.objects.filter(partnership=partnership, state=MeetingState.SCHEDULED, start__gte=now)
        .order_by("start")
        .first()
    )
    last = (
        Meeting.objects.filter(partnership=partnership, state=MeetingState.HELD)
        .order_by("-start", "-id")
        .first()
    )
    open_actions = action_queryset(user=user, partnership=partnership).filter(status__in=OPEN_ACTION_STATUSES)
    counts = open_actions.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
    return {
        "next_meeting": upcoming,
        "last_meeting": last,
        "last_quorum": meeting_quorum(meeting=last) if last is not None else None,
        "open_actions": counts["open"],
        "overdue_actions": counts["overdue"],
        "open_disputes": Dispute.objects.filter(partnership=partnership)
        .exclude(status__in=CLOSED_DISPUTE_STATUSES)
        .count(),
    }
