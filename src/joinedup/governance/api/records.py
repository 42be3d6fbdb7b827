"""Governance API, recording: attendance, decisions, actions and disputes, through the same services as the
meeting, decision, action and dispute pages (governance.services). Every write needs GOVERNANCE_RECORD in the
partnership (403 otherwise, and always for a read-only token); a record the caller may not see answers 404; what
the services refuse answers 422 naming each field (an attendance row by its number, `rows.N`). Bodies are read
after the permission checks."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Status

from joinedup.core.api_rules import ProblemError, body_schema, read_body, refusal
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.governance import selectors, services
from joinedup.governance.api.read import (
    action_or_404,
    attendance_of,
    dispute_or_404,
    meeting_or_404,
    partnership_or_404,
    router,
)
from joinedup.governance.schemas import (
    ActionIn,
    ActionOut,
    ActionPatchIn,
    AttendanceIn,
    AttendanceOut,
    DecisionIn,
    DecisionOut,
    DisputeIn,
    DisputeOut,
    DisputePatchIn,
)
from joinedup.register.models import Organisation, Partnership

# the pages' paths are shared with `read` (GET and POST on /actions): one router, so one view per path


def _may_record(request: HttpRequest, partnership: Partnership) -> None:
    if not has_permission(request.user, Permission.GOVERNANCE_RECORD, partnership):
        raise ProblemError(403, "Your account cannot record this partnership's governance.")


def _organisations(partnership: Partnership, ids: list[int], field: str) -> dict[int, Organisation]:
    """The partnership's member organisations (current or past) among `ids`; 422 naming `field` for others."""
    found = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=set(ids), memberships__partnership=partnership).distinct()
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise ProblemError(
            422,
            "Some organisations are not members of the partnership.",
            invalid_params=[(field, f"not a member: {', '.join(map(str, sorted(set(missing))))}")],
        )
    return found


@router.put(
    "/meetings/{meeting_id}/attendance",
    response={200: list[AttendanceOut]},
    openapi_extra=body_schema(AttendanceIn),
)
@permission_declared(Permission.GOVERNANCE_RECORD)
def record_attendance(request: HttpRequest, meeting_id: int) -> Any:
    """Replace the meeting's attendance, all or nothing (a scheduled meeting is then held)."""
    meeting = meeting_or_404(request, meeting_id)
    _may_record(request, meeting.partnership)
    body = read_body(request, AttendanceIn)
    orgs = _organisations(meeting.partnership, [r.organisation_id for r in body.rows], "rows.organisation_id")
    rows = [
        services.AttendanceRow(
            organisation=orgs[r.organisation_id],
            status=r.status,
            name=r.name,
            substitute_for=r.substitute_for,
        )
        for r in body.rows
    ]
    try:
        services.attendance_record(by=request.user, meeting=meeting, rows=rows)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise refusal(exc) from None
    return attendance_of(meeting)


@router.post(
    "/meetings/{meeting_id}/decisions", response={201: DecisionOut}, openapi_extra=body_schema(DecisionIn)
)
@permission_declared(Permission.GOVERNANCE_RECORD)
def record_decision(request: HttpRequest, meeting_id: int) -> Any:
    """Record a decision of a held meeting with its votes and actions, all or nothing; the quorum is read from
    the attendance now and kept with the decision."""
    meeting = meeting_or_404(request, meeting_id)
    _may_record(request, meeting.partnership)
    body = read_body(request, DecisionIn)
    vote_ids = []
    for key in body.votes:
        if not key.isdigit() or len(key) > 18:
            raise ProblemError(
                422, "Votes are keyed by organisation id.", invalid_params=[(f"votes.{key}", "not an id")]
            )
        vote_ids.append(int(key))
    orgs = _organisations(
        meeting.partnership, [*vote_ids, *(a.owner_organisation_id for a in body.actions)], "votes"
    )
    try:
        decision = services.decision_record(
            by=request.user,  # type: ignore[arg-type]
            meeting=meeting,
            title=body.title,
            text=body.text,
            method=body.method,
            reasons=body.reasons,
            options_rejected=body.options_rejected,
            votes={orgs[int(k)]: v for k, v in body.votes.items()},
            actions=[
                services.ActionSpec(
                    title=a.title, owner_organisation=orgs[a.owner_organisation_id], due=a.due
                )
                for a in body.actions
            ],
        )
    except ValidationError as exc:
        raise refusal(exc) from None
    found = selectors.decision_get(user=request.user, pk=decision.pk)
    assert found is not None
    return Status(201, DecisionOut.of(found))


@router.post(
    "/partnerships/{partnership_id}/actions", response={201: ActionOut}, openapi_extra=body_schema(ActionIn)
)
@permission_declared(Permission.GOVERNANCE_RECORD)
def add_action(request: HttpRequest, partnership_id: int) -> Any:
    """Add an action owned by a member organisation (done needs the day it was completed)."""
    partnership = partnership_or_404(request, partnership_id)
    _may_record(request, partnership)
    body = read_body(request, ActionIn)
    owner = _organisations(partnership, [body.owner_organisation_id], "owner_organisation_id")
    try:
        action = services.action_save(
            by=request.user,  # type: ignore[arg-type]
            partnership=partnership,
            title=body.title,
            owner_organisation=owner[body.owner_organisation_id],
            due=body.due,
            status=body.status,
            completed=body.completed,
        )
    except ValidationError as exc:
        raise refusal(exc) from None
    return Status(201, ActionOut.of(action_or_404(request, action.pk)))


@router.patch("/actions/{action_id}", response={200: ActionOut}, openapi_extra=body_schema(ActionPatchIn))
@permission_declared(Permission.GOVERNANCE_RECORD)
def change_action(request: HttpRequest, action_id: int) -> Any:
    """Move an action on (in progress, done with the day, dropped) or change its title or due date."""
    action = action_or_404(request, action_id)
    _may_record(request, action.partnership)
    body = read_body(request, ActionPatchIn)
    fields = {name: getattr(body, name) for name in body.model_fields_set}
    if fields.get("title", "") is None or ("status" in fields and fields["status"] is None):
        raise ProblemError(422, "A title and a status cannot be cleared.", invalid_params=[("body", "null")])
    try:
        services.action_save(by=request.user, action=action, **fields)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise refusal(exc) from None
    return ActionOut.of(action_or_404(request, action_id))


@router.post(
    "/partnerships/{partnership_id}/disputes",
    response={201: DisputeOut},
    openapi_extra=body_schema(DisputeIn),
)
@permission_declared(Permission.GOVERNANCE_RECORD)
def log_dispute(request: HttpRequest, partnership_id: int) -> Any:
    """Log a dispute or tension raised by a member organisation, with the partners involved."""
    partnership = partnership_or_404(request, partnership_id)
    _may_record(request, partnership)
    body = read_body(request, DisputeIn)
    orgs = _organisations(partnership, [body.raised_by_id, *body.partner_ids], "partner_ids")
    try:
        dispute = services.dispute_save(
            by=request.user,  # type: ignore[arg-type]
            partnership=partnership,
            partners=[orgs[i] for i in dict.fromkeys(body.partner_ids)],
            topic=body.topic,
            description=body.description,
            raised_by=orgs[body.raised_by_id],
            raised_on=body.raised_on,
        )
    except ValidationError as exc:
        raise refusal(exc) from None
    return Status(201, DisputeOut.of(dispute_or_404(request, dispute.pk)))


@router.patch("/disputes/{dispute_id}", response={200: DisputeOut}, openapi_extra=body_schema(DisputePatchIn))
@permission_declared(Permission.GOVERNANCE_RECORD)
def change_dispute(request: HttpRequest, dispute_id: int) -> Any:
    """Move a dispute on: open, being resolved, resolved or escalated (with the step taken and the day)."""
    dispute = dispute_or_404(request, dispute_id)
    _may_record(request, dispute.partnership)
    body = read_body(request, DisputePatchIn)
    fields = {name: getattr(body, name) for name in body.model_fields_set}
    if any(fields.get(n, "") is None for n in ("status", "escalation_step", "description")):
        raise ProblemError(422, "Only `closed_on` can be cleared.", invalid_params=[("body", "null")])
    try:
        services.dispute_save(by=request.user, dispute=dispute, **fields)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise refusal(exc) from None
    return DisputeOut.of(dispute_or_404(request, dispute_id))
