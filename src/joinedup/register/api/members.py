"""Register API, members: memberships, roles, role invitations and the partnership's timeline events, with the
writes the partnership and people-and-roles pages allow, through the same services.

A partnership the caller may not see answers 404; a write needs MEMBERSHIP_MANAGE or ROLE_MANAGE in it (403
otherwise, and always for a read-only token); roles and invitations are read with ROLE_MANAGE too, as on the
page. A body the services refuse answers 422 naming each field. Bodies are read after the permission checks."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from joinedup.core.api_pages import CursorPagination
from joinedup.core.api_rules import Problem, ProblemError, body_schema, read_body, refusal
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.register import invitations, roles, selectors, services
from joinedup.register.choices import EventKind
from joinedup.register.models import Membership, Organisation, Partnership, Person, RoleInvitation
from joinedup.register.schemas import (
    InvitationIn,
    InvitationOut,
    MembershipEndIn,
    MembershipIn,
    MembershipOut,
    RoleChangeIn,
    RoleOut,
    TimelineEventOut,
)

router = Router(tags=["register"])
_KINDS = "|".join(EventKind.values)


def _partnership(request: HttpRequest, pk: int, perm: Permission | None = None) -> Partnership:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    if partnership is None:
        raise Http404("No such partnership")
    if perm is not None and not has_permission(request.user, perm, partnership):
        raise ProblemError(403, "Your account may not do this in this partnership.")
    return partnership


def _membership_out(request: HttpRequest, partnership: Partnership, pk: int) -> MembershipOut:
    return MembershipOut.from_model(
        selectors.membership_list(user=request.user, partnership=partnership).get(pk=pk)
    )


@router.get("/partnerships/{partnership_id}/memberships", response=list[MembershipOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_memberships(
    request: HttpRequest,
    partnership_id: int,
    current: bool = Query(False, description="Only organisations that are members now."),
) -> Any:
    """The partnership's memberships, current and past, with the representatives the caller may see."""
    partnership = _partnership(request, partnership_id)
    memberships = selectors.membership_list(user=request.user, partnership=partnership)
    return [MembershipOut.from_model(m) for m in memberships if not current or m.left is None]


@router.post(
    "/partnerships/{partnership_id}/memberships",
    response={201: MembershipOut},
    openapi_extra=body_schema(MembershipIn),
)
@permission_declared(Permission.MEMBERSHIP_MANAGE)
def add_membership(request: HttpRequest, partnership_id: int) -> Any:
    """Add a member organisation (a "member joined" event goes on the timeline)."""
    partnership = _partnership(request, partnership_id, Permission.MEMBERSHIP_MANAGE)
    body = read_body(request, MembershipIn)
    organisation = Organisation.objects.filter(pk=body.organisation_id).first()
    if organisation is None:
        raise ProblemError(
            422, "There is no such organisation.", invalid_params=[("organisation_id", "unknown")]
        )
    people = list(Person.objects.filter(pk__in=body.representative_ids))
    if len(people) != len(set(body.representative_ids)):
        raise ProblemError(
            422,
            "Some representatives are not in the register.",
            invalid_params=[("representative_ids", "unknown")],
        )
    try:
        membership = services.membership_add(
            by=request.user,  # type: ignore[arg-type]
            partnership=partnership,
            organisation=organisation,
            role=body.role,
            joined=body.joined,
            representatives=people,
        )
    except ValidationError as exc:
        raise refusal(exc) from None
    return Status(201, _membership_out(request, partnership, membership.pk))


@router.post(
    "/partnerships/{partnership_id}/memberships/{membership_id}/end",
    response={200: MembershipOut},
    openapi_extra=body_schema(MembershipEndIn),
)
@permission_declared(Permission.MEMBERSHIP_MANAGE)
def end_membership(request: HttpRequest, partnership_id: int, membership_id: int) -> Any:
    """Record that an organisation left (the membership stays in the history)."""
    partnership = _partnership(request, partnership_id, Permission.MEMBERSHIP_MANAGE)
    membership = (
        Membership.objects.select_related("organisation", "partnership")
        .filter(pk=membership_id, partnership=partnership)
        .first()
    )
    if membership is None:
        raise Http404("No such membership")
    body = read_body(request, MembershipEndIn)
    try:
        services.membership_end(by=request.user, membership=membership, left=body.left, reason=body.reason)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise refusal(exc) from None
    return _membership_out(request, partnership, membership.pk)


def _role_out(role: Any) -> RoleOut:
    return RoleOut(
        id=role.pk,
        user_id=role.user_id,
        name=role.user.full_name,
        email=role.user.email,
        role=role.role,
        organisation_id=role.organisation_id,
        is_signatory=role.is_signatory,
    )


@router.get("/partnerships/{partnership_id}/roles", response=list[RoleOut])
@paginate(CursorPagination)
@permission_declared(Permission.ROLE_MANAGE)
def list_roles(request: HttpRequest, partnership_id: int) -> Any:
    """Who holds which role in the partnership (for those who manage its people)."""
    partnership = _partnership(request, partnership_id, Permission.ROLE_MANAGE)
    return [_role_out(r) for r in roles.roles_held(partnership=partnership)]


def _role(request: HttpRequest, partnership_id: int, role_id: int) -> Any:
    partnership = _partnership(request, partnership_id, Permission.ROLE_MANAGE)
    role = roles.role_get(partnership=partnership, pk=role_id)
    if role is None:
        raise Http404("No such role")
    return role


@router.patch(
    "/partnerships/{partnership_id}/roles/{role_id}",
    response={200: RoleOut},
    openapi_extra=body_schema(RoleChangeIn),
)
@permission_declared(Permission.ROLE_MANAGE)
def change_role(request: HttpRequest, partnership_id: int, role_id: int) -> Any:
    """Give a representative the right to sign for their organisation, or take it away."""
    role = _role(request, partnership_id, role_id)
    body = read_body(request, RoleChangeIn)
    try:
        roles.role_signatory_set(by=request.user, role=role, is_signatory=body.is_signatory)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise refusal(exc) from None
    return _role_out(role)


@router.delete("/partnerships/{partnership_id}/roles/{role_id}", response={204: None})
@permission_declared(Permission.ROLE_MANAGE)
def end_role(request: HttpRequest, partnership_id: int, role_id: int) -> Any:
    """End a role (a partnership keeps at least one coordinator: ending the last answers 422)."""
    role = _role(request, partnership_id, role_id)
    try:
        roles.role_end(by=request.user, role=role)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise refusal(exc) from None
    return HttpResponse(status=204)


def _invitation_out(i: RoleInvitation) -> InvitationOut:
    return InvitationOut(
        id=i.pk,
        email=i.email,
        name=i.name,
        role=i.role,
        organisation_id=i.organisation_id,
        is_signatory=i.is_signatory,
        sent_at=i.sent_at,
        expires_at=i.expires_at,
    )


@router.get("/partnerships/{partnership_id}/invitations", response=list[InvitationOut])
@paginate(CursorPagination, descending=True)
@permission_declared(Permission.ROLE_MANAGE)
def list_invitations(request: HttpRequest, partnership_id: int) -> Any:
    """Role invitations sent and neither accepted nor withdrawn, newest first."""
    partnership = _partnership(request, partnership_id, Permission.ROLE_MANAGE)
    return selectors.invitations_pending(partnership=partnership)


@router.post(
    "/partnerships/{partnership_id}/invitations",
    response={201: InvitationOut},
    openapi_extra=body_schema(InvitationIn),
)
@permission_declared(Permission.ROLE_MANAGE)
def send_invitation(request: HttpRequest, partnership_id: int) -> Any:
    """Invite someone to a role: they are e-mailed a link to accept it (nothing is kept if it cannot be sent)."""
    partnership = _partnership(request, partnership_id, Permission.ROLE_MANAGE)
    body = read_body(request, InvitationIn)
    organisation = None
    if body.organisation_id is not None:
        organisation = (
            selectors.partnership_organisations(partnership=partnership)
            .filter(pk=body.organisation_id)
            .first()
        )
        if organisation is None:
            raise ProblemError(
                422,
                "That organisation is not a member.",
                invalid_params=[("organisation_id", "not a member")],
            )
    link = request.build_absolute_uri(
        reverse("register:invitation_accept", args=[invitations.TOKEN_PLACEHOLDER])
    )
    try:
        invitation = invitations.invitation_send(
            by=request.user,  # type: ignore[arg-type]
            partnership=partnership,
            email=body.email,
            name=body.name,
            role=body.role,
            organisation=organisation,
            is_signatory=body.is_signatory,
            link=link,
        )
    except ValidationError as exc:
        raise refusal(exc) from None
    return Status(201, _invitation_out(invitation))


@router.delete(
    "/partnerships/{partnership_id}/invitations/{invitation_id}", response={204: None, 409: Problem}
)
@permission_declared(Permission.ROLE_MANAGE)
def withdraw_invitation(request: HttpRequest, partnership_id: int, invitation_id: int) -> Any:
    """Withdraw a pending invitation (its link stops working)."""
    partnership = _partnership(request, partnership_id, Permission.ROLE_MANAGE)
    invitation = RoleInvitation.objects.filter(pk=invitation_id, partnership=partnership).first()
    if invitation is None:
        raise Http404("No such invitation")
    try:
        invitations.invitation_revoke(by=request.user, invitation=invitation)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise refusal(exc, status=409) from None
    return HttpResponse(status=204)


@router.get("/partnerships/{partnership_id}/timeline", response=list[TimelineEventOut])
@paginate(CursorPagination, descending=True)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_timeline(
    request: HttpRequest,
    partnership_id: int,
    kind: str = Query("", pattern=rf"^({_KINDS})?$", description="Only events of this kind."),
    since: datetime.date | None = Query(None, description="Only events on or after this day."),
) -> Any:
    """The partnership's timeline events (joined, left, reorganised, ...), the most recently recorded first."""
    partnership = _partnership(request, partnership_id)
    events = selectors.event_list(partnership=partnership)
    if kind:
        events = events.filter(kind=kind)
    if since is not None:
        events = events.filter(date__gte=since)
    return events
