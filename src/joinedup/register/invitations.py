"""People and roles without the admin: a coordinator invites someone to a role by e-mail; the link in it is
single-use and expires; accepting it creates the person's account if they have none and grants the role.

Pending invitations can be sent again (a new link; the old one stops working) and withdrawn (roles already
held are changed and ended in `register.roles`). Every step is audited, and the checks on who may do it are
the views' (`Permission.ROLE_MANAGE`, through `has_permission`).

A representative speaks for one member organisation: the organisation must be a current member of the
partnership, and the person invited must be affiliated with it in the register (a current affiliation of the
register person with that e-mail address). The coordinator may record that affiliation in the same step.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.core.choices import AuditVerb, RoleKind
from joinedup.core.mail import SEND_ERRORS, send_plain
from joinedup.core.services import audit_record
from joinedup.core.tokens import new_token, token_hash
from joinedup.register.models import (
    Affiliation,
    Organisation,
    Partnership,
    Person,
    RoleInvitation,
)
from joinedup.register.roles import role_grant, role_holds

INVITATION_DAYS = 14
TOKEN_PLACEHOLDER = "TOKEN"  # the view's link with this in place of the token; each send puts its own in


def is_affiliated(*, email: str, organisation: Organisation) -> bool:
    """Whether a register person with this e-mail address works for (or volunteers with) the organisation now."""
    today = datetime.date.today()
    return Affiliation.objects.filter(
        Q(ended__isnull=True) | Q(ended__gte=today),
        person__email__iexact=email,
        organisation=organisation,
    ).exists()


def _check_representation(
    partnership: Partnership, email: str, name: str, organisation: Organisation, *, record_affiliation: bool
) -> None:
    if not partnership.memberships.filter(organisation=organisation, left__isnull=True).exists():
        raise ValidationError(
            {"organisation": f"{organisation.name} is not a current member of {partnership.name}."}
        )
    if is_affiliated(email=email, organisation=organisation):
        return
    if not record_affiliation:
        raise ValidationError(
            {
                "organisation": (
                    f"Nobody with the e-mail address {email} works for {organisation.name} in the register. "
                    "A representative must be affiliated with the organisation they speak for: tick "
                    "'Record that they work for this organisation' if they do."
                )
            },
            code="not_affiliated",
        )
    person = Person.objects.filter(email__iexact=email).order_by("pk").first()
    if person is None:
        person = Person.objects.create(name=name or email, email=email)
    Affiliation.objects.create(person=person, organisation=organisation, started=datetime.date.today())


def _send(invitation: RoleInvitation, link: str, token: str, *, again: bool) -> None:
    context = {
        "invitation": invitation,
        "link": link.replace(TOKEN_PLACEHOLDER, token),
        "again": again,
        "days": INVITATION_DAYS,
    }
    subject = f"You are invited to {invitation.partnership.name} on JoinedUp"
    body = render_to_string("register/emails/role_invitation.txt", context)
    try:
        send_plain(subject=subject, body=body, to=[invitation.email])
    except SEND_ERRORS as error:  # the caller's transaction is rolled back: nothing changes
        raise ValidationError(
            f"The e-mail to {invitation.email} could not be sent, so nothing was changed"
            f"{' (the link sent before still works)' if again else ''}. Try again later; if it keeps failing, "
            "tell the site's administrator.",
            code="not_sent",
        ) from error


def invitation_send(
    *,
    by: User | None,
    partnership: Partnership,
    email: str,
    role: RoleKind | str,
    link: str,
    name: str = "",
    organisation: Organisation | None = None,
    is_signatory: bool = False,
    record_affiliation: bool = False,
) -> RoleInvitation:
    """Invite `email` to `role` in `partnership` and e-mail them the link (all or nothing: if the e-mail cannot be
    sent, no invitation is kept). `link` is the accept page's address with TOKEN_PLACEHOLDER for the token."""
    role = RoleKind(role)
    email = email.strip().lower()
    if role == RoleKind.REPRESENTATIVE:
        if organisation is None:
            raise ValidationError({"organisation": "Choose the organisation this representative speaks for."})
    elif organisation is not None or is_signatory:
        raise ValidationError({"role": "Only a representative speaks or signs for an organisation."})
    if role_holds(email=email, partnership=partnership, role=role):
        raise ValidationError({"email": f"{email} already holds this role in {partnership.name}."})
    token = new_token()
    now = timezone.now()
    with transaction.atomic():  # not durable: the Idempotency-Key middleware may hold the outer one
        if role == RoleKind.REPRESENTATIVE:
            assert organisation is not None
            _check_representation(
                partnership, email, name, organisation, record_affiliation=record_affiliation
            )
        RoleInvitation.objects.filter(
            partnership=partnership, email=email, role=role, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)  # one pending invitation per person and role: the newest
        invitation = RoleInvitation.objects.create(
            partnership=partnership,
            email=email,
            name=name.strip(),
            role=role,
            organisation=organisation,
            is_signatory=is_signatory,
            token_hash=token_hash(token),
            invited_by=by,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
        )
        audit_record(
            by=by,
            verb=AuditVerb.ROLE_INVITED,
            target=invitation,
            data={"email": email, "role": role, "organisation": organisation.pk if organisation else None},
        )
        _send(invitation, link, token, again=False)
    return invitation


def invitation_resend(*, by: User | None, invitation: RoleInvitation, link: str) -> RoleInvitation:
    """Send a pending invitation again with a new link, valid for another INVITATION_DAYS (the old link stops)."""
    if not invitation.pending:
        raise ValidationError("This invitation has already been accepted or withdrawn.")
    token = new_token()
    now = timezone.now()
    with transaction.atomic():  # not durable: the Idempotency-Key middleware may hold the outer one
        invitation.token_hash = token_hash(token)
        invitation.sent_at = now
        invitation.expires_at = now + datetime.timedelta(days=INVITATION_DAYS)
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        audit_record(by=by, verb=AuditVerb.ROLE_INVITATION_RESENT, target=invitation, data={})
        _send(invitation, link, token, again=True)
    return invitation


def invitation_revoke(*, by: User | None, invitation: RoleInvitation) -> None:
    if not invitation.pending:
        raise ValidationError("This invitation has already been accepted or withdrawn.")
    with transaction.atomic():  # not durable: the Idempotency-Key middleware may hold the outer one
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(by=by, verb=AuditVerb.ROLE_INVITATION_REVOKED, target=invitation, data={})


class InvitationUnusable(Exception):
    """The link is unknown, used, withdrawn or out of date; `reason` says which, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(token: str) -> RoleInvitation:
    """The pending invitation a link's token opens, or InvitationUnusable saying why it does not work."""
    invitation = (
        RoleInvitation.objects.select_related("partnership", "organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(
            "This link does not work. If an invitation was sent again, use the link in the newest e-mail."
        )
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: RoleInvitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationUnusable("This invitation has already been accepted. Sign in to use your account.")
    if invitation.revoked_at is not None:
        raise InvitationUnusable("This invitation was withdrawn. Ask the partnership's coordinator.")
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(
            "This invitation has run out of date. Ask the partnership's coordinator to send it again."
        )


def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> tuple[RoleInvitation, User]:
    """Accept an invitation: as `user` (signed in, with the invited e-mail address), or by creating the account
    for the invited address with `full_name` and `password` (Django's password validators apply).

    Single use: the invitation row is locked, so two tabs accepting at once grant the role once."""
    with transaction.atomic(durable=True):
        found = invitation_for_token(token)
        invitation = RoleInvitation.objects.select_for_update().get(pk=found.pk)
        if not invitation.pending:
            raise InvitationUnusable(
                "This invitation has already been accepted. Sign in to use your account."
            )
        invitation.partnership, invitation.organisation = found.partnership, found.organisation
        if user is None:
            if get_user_model().objects.filter(email__iexact=invitation.email).exists():
                raise InvitationUnusable(
                    f"There is already an account for {invitation.email}: sign in, then open this link again."
                )
            validate_password(password, user=User(email=invitation.email, full_name=full_name))
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name.strip()
            )
        elif user.email.lower() != invitation.email:
            raise InvitationUnusable(
                f"This invitation is for {invitation.email}, and you are signed in as {user.email}. "
                "Sign out, then open the link again."
            )
        _grant(invitation, user)
    return invitation, user


def _grant(invitation: RoleInvitation, user: User) -> None:
    """Inside the caller's transaction, with the invitation locked and checked: grant the role, use it up."""
    Person.objects.filter(email__iexact=invitation.email, user__isnull=True).update(user=user)
    role_grant(
        by=user,
        user=user,
        partnership=invitation.partnership,
        role=RoleKind(invitation.role),
        organisation=invitation.organisation,
        is_signatory=invitation.is_signatory,
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(by=user, verb=AuditVerb.ROLE_INVITATION_ACCEPTED, target=invitation, data={})


def own_invitation(*, user: User, pk: int) -> RoleInvitation:
    """An invitation sent to the signed-in user's own address, pending and in date (InvitationUnusable if not)."""
    invitation = (
        RoleInvitation.objects.select_related("partnership", "organisation")
        .filter(pk=pk, email__iexact=user.email)
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(f"There is no invitation for {user.email} here.")
    _check_usable(invitation)
    return invitation


def invitation_accept_own(*, by: User, pk: int) -> RoleInvitation:
    """Accept, signed in, an invitation sent to your own account's address (from the "needs you" home), without
    its link: being signed in with that address proves what the link proves (every account's address was
    confirmed: by an invitation's link, an e-mail change's link, single sign-on or a site admin). Single use,
    as with the link: the row is locked, and an accepted, withdrawn or out-of-date invitation is refused."""
    with transaction.atomic(durable=True):
        found = own_invitation(user=by, pk=pk)
        invitation = RoleInvitation.objects.select_for_update().get(pk=found.pk)
        _check_usable(invitation)
        invitation.partnership, invitation.organisation = found.partnership, found.organisation
        _grant(invitation, by)
    return invitation


def account_exists(*, email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()
