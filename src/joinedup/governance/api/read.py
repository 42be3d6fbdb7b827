"""Governance API, reading: meetings, attendance, decisions, actions and disputes, behind has_permission. A partnership or record the
caller may not see answers 404, as one that does not exist; private agenda items, and their decisions and
actions, are left out for those without MEETING_PRIVATE_VIEW."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from joinedup.core.api_pages import CursorPagination
from joinedup.core.permissions import Permission, permission_declared
from joinedup.governance import selectors
from joinedup.governance.choices import MeetingState
from joinedup.governance.models import Meeting
from joinedup.governance.schemas import (
    ActionOut,
    AgendaItemOut,
    AttendanceOut,
    DecisionOut,
    DisputeOut,
    MeetingDetailOut,
    MeetingOut,
    QuorumOut,
)
from joinedup.register import selectors as register_selectors
from joinedup.register.models import Partnership

router = Router(tags=["governance"])


def partnership_or_404(request: HttpRequest, pk: int) -> Partnership:
    partnership = register_selectors.partnership_get(user=request.user, pk=pk)
    if partnership is None:
        raise Http404("No such partnership")
    return partnership


@router.get("/partnerships/{partnership_id}/meetings", response=list[MeetingOut])
@paginate(CursorPagination, descending=True)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_meetings(request: HttpRequest, partnership_id: int) -> Any:
    """The partnership's meetings, the most recently added first."""
    partnership = partnership_or_404(request, partnership_id)
    return [MeetingOut.of(m) for m in selectors.meeting_list(partnership=partnership)]


def meeting_or_404(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_get(pk=meeting_id)
    if meeting is None:
        raise Http404("No such meeting")
    meeting.partnership = partnership_or_404(request, meeting.partnership_id)
    return meeting


def _attendance(rows: list[Any]) -> list[AttendanceOut]:
    return [
        AttendanceOut(
            id=a.pk,
            organisation_id=a.organisation_id,
            organisation=a.organisation.name,
            name=a.name,
            status=a.status,
            substitute_for=a.substitute_for,
        )
        for a in rows
    ]


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    """One meeting with its agenda items, attendance and quorum (for a held meeting of a partnership with a rule)."""
    meeting = meeting_or_404(request, meeting_id)
    record = selectors.meeting_record(user=request.user, meeting=meeting, today=timezone.localdate())
    q = record.quorum
    return MeetingDetailOut(
        **MeetingOut.of(meeting).dict(),
        agenda_items=[
            AgendaItemOut(number=i.number, title=i.title, is_private=i.is_private, note=i.note)
            for i in record.items
        ],
        attendance=_attendance(record.attendance),
        quorum=(
            QuorumOut(
                quorate=q.quorate,
                voting_members=q.voting,
                counted_organisation_ids=[int(k) for k in q.counted],  # type: ignore[call-overload]
                reasons=q.reasons,
            )
            if q is not None and meeting.state == MeetingState.HELD
            else None
        ),
        decision_ids=[d.pk for d in record.decisions],
    )


@router.get("/meetings/{meeting_id}/attendance", response=list[AttendanceOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_attendance(request: HttpRequest, meeting_id: int) -> Any:
    """Who attended the meeting, for which organisation, and how (present, online, substitute, apologies ...)."""
    return attendance_of(meeting_or_404(request, meeting_id))


def attendance_of(meeting: Meeting) -> list[AttendanceOut]:
    return _attendance(list(meeting.attendance.select_related("organisation").order_by("pk")))


@router.get("/partnerships/{partnership_id}/decisions", response=list[DecisionOut])
@paginate(CursorPagination, descending=True)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_decisions(request: HttpRequest, partnership_id: int) -> Any:
    """The partnership's decisions, the most recently recorded first, with votes, counts, declarations and the
    stored quorum (decisions on private agenda items only for those who may see them)."""
    partnership = partnership_or_404(request, partnership_id)
    return [DecisionOut.of(d) for d in selectors.decision_list(user=request.user, partnership=partnership)]


@router.get("/decisions/{decision_id}", response=DecisionOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_decision(request: HttpRequest, decision_id: int) -> DecisionOut:
    decision = selectors.decision_get(user=request.user, pk=decision_id)
    if decision is None:
        raise Http404("No such decision")
    partnership_or_404(request, decision.meeting.partnership_id)
    return DecisionOut.of(decision)


_ACTION_STATUS = Query(
    "", pattern=r"^(open|in_progress|done|dropped)?$", description="Only actions in this status."
)


@router.get("/partnerships/{partnership_id}/actions", response=list[ActionOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_actions(request: HttpRequest, partnership_id: int, status: str = _ACTION_STATUS) -> Any:
    """The partnership's actions (`overdue` marks those past their due date and still open)."""
    partnership = partnership_or_404(request, partnership_id)
    actions = selectors.action_list(
        user=request.user, partnership=partnership, today=timezone.localdate(), status=status
    )
    return [ActionOut.of(a) for a in actions]


def action_or_404(request: HttpRequest, action_id: int) -> Any:
    action = selectors.action_get(user=request.user, pk=action_id)
    if action is None:
        raise Http404("No such action")
    partnership_or_404(request, action.partnership_id)
    return selectors.mark_overdue(action, timezone.localdate())


@router.get("/actions/{action_id}", response=ActionOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_action(request: HttpRequest, action_id: int) -> ActionOut:
    return ActionOut.of(action_or_404(request, action_id))


@router.get("/partnerships/{partnership_id}/disputes", response=list[DisputeOut])
@paginate(CursorPagination, descending=True)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_disputes(
    request: HttpRequest,
    partnership_id: int,
    status: str = Query(
        "", pattern=r"^(open|resolving|resolved|escalated)?$", description="Only this status."
    ),
) -> Any:
    """The partnership's disputes and tensions, the most recently logged first."""
    disputes = selectors.dispute_list(partnership=partnership_or_404(request, partnership_id))
    if status:
        disputes = disputes.filter(status=status)
    return [DisputeOut.of(d) for d in disputes]


def dispute_or_404(request: HttpRequest, dispute_id: int) -> Any:
    dispute = selectors.dispute_get(pk=dispute_id)
    if dispute is None:
        raise Http404("No such dispute")
    partnership_or_404(request, dispute.partnership_id)
    return dispute


@router.get("/disputes/{dispute_id}", response=DisputeOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_dispute(request: HttpRequest, dispute_id: int) -> DisputeOut:
    return DisputeOut.of(dispute_or_404(request, dispute_id))
