"""Governance API: read-only (meetings, decisions, actions), behind has_permission. A partnership or record the
caller may not see answers 404, as one that does not exist; private agenda items, and their decisions and
actions, are left out for those without MEETING_PRIVATE_VIEW."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router

from joinedup.core.permissions import Permission, permission_declared
from joinedup.governance import selectors
from joinedup.governance.choices import MeetingState
from joinedup.governance.schemas import (
    ActionOut,
    AgendaItemOut,
    AttendanceOut,
    DecisionOut,
    MeetingDetailOut,
    MeetingOut,
    QuorumOut,
)
from joinedup.register import selectors as register_selectors
from joinedup.register.models import Partnership

router = Router(tags=["governance"])


def _partnership(request: HttpRequest, pk: int) -> Partnership:
    partnership = register_selectors.partnership_get(user=request.user, pk=pk)
    if partnership is None:
        raise Http404("No such partnership")
    return partnership


@router.get("/partnerships/{partnership_id}/meetings", response=list[MeetingOut])
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_meetings(request: HttpRequest, partnership_id: int) -> list[MeetingOut]:
    """The partnership's meetings, newest first."""
    partnership = _partnership(request, partnership_id)
    return [MeetingOut.of(m) for m in selectors.meeting_list(partnership=partnership)]


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    """One meeting with its agenda items, attendance and quorum (for a held meeting of a partnership with a rule)."""
    meeting = selectors.meeting_get(pk=meeting_id)
    if meeting is None:
        raise Http404("No such meeting")
    meeting.partnership = _partnership(request, meeting.partnership_id)
    record = selectors.meeting_record(user=request.user, meeting=meeting, today=timezone.localdate())
    q = record.quorum
    return MeetingDetailOut(
        **MeetingOut.of(meeting).dict(),
        agenda_items=[
            AgendaItemOut(number=i.number, title=i.title, is_private=i.is_private, note=i.note)
            for i in record.items
        ],
        attendance=[
            AttendanceOut(
                organisation_id=a.organisation_id,
                organisation=a.organisation.name,
                name=a.name,
                status=a.status,
                substitute_for=a.substitute_for,
            )
            for a in record.attendance
        ],
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


@router.get("/partnerships/{partnership_id}/decisions", response=list[DecisionOut])
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_decisions(request: HttpRequest, partnership_id: int) -> list[DecisionOut]:
    """The partnership's decisions, newest first, with votes, counts, declarations and the stored quorum."""
    partnership = _partnership(request, partnership_id)
    return [DecisionOut.of(d) for d in selectors.decision_list(user=request.user, partnership=partnership)]


@router.get("/partnerships/{partnership_id}/actions", response=list[ActionOut])
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_actions(request: HttpRequest, partnership_id: int) -> list[ActionOut]:
    """The partnership's actions, overdue first."""
    partnership = _partnership(request, partnership_id)
    actions = selectors.action_list(user=request.user, partnership=partnership, today=timezone.localdate())
    return [ActionOut.of(a) for a in actions]
