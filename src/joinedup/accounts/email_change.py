"""Changing the e-mail address you sign in with, verified: the new address gets a single-use link that expires, the
address changes only when the same user follows it, and the old address is told. Both steps are audited.

The link's token is stored only as a hash (joinedup.core.tokens). Asking again withdraws the earlier link. An
address another account uses is refused when asked and again when the link is followed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from joinedup.accounts.models import EmailChange, User
from joinedup.core.choices import AuditVerb
from joinedup.core.mail import SEND_ERRORS, send_plain
from joinedup.core.services import audit_record
from joinedup.core.tokens import new_token, token_hash

logger = logging.getLogger(__name__)

LINK_HOURS = 24
TOKEN_PLACEHOLDER = "TOKEN"  # the view's link with this in place of the token


class EmailChangeUnusable(Exception):
    """The link is unknown, someone else's, used, replaced or out of date; `reason` says which, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _taken(email: str, user: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def email_change_request(*, by: User, new_email: str, password: str, link: str) -> EmailChange:
    """Ask to sign in with `new_email` from now on, and e-mail it the link to confirm (all or nothing: if the e-mail
    cannot be sent, nothing is kept). A user with a password must give it. `link` is the confirm page's address
    with TOKEN_PLACEHOLDER for the token."""
    new_email = User.objects.normalize_email(new_email.strip()).lower()
    if by.has_usable_password() and not by.check_password(password):
        raise ValidationError({"password": "That is not your password."})
    if new_email == by.email.lower():
        raise ValidationError({"new_email": "That is the address you sign in with already."})
    if _taken(new_email, by):
        raise ValidationError(
            {
                "new_email": "Another account uses that address. Choose another, or ask your site administrator."
            }
        )
    token = new_token()
    now = timezone.now()
    with transaction.atomic(durable=True):
        EmailChange.objects.filter(user=by, confirmed_at__isnull=True, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
        change = EmailChange.objects.create(
            user=by,
            new_email=new_email,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + datetime.timedelta(hours=LINK_HOURS),
        )
        audit_record(by=by, verb=AuditVerb.EMAIL_CHANGE_REQUESTED, target=by, data={"to": new_email})
        context = {
            "user": by,
            "change": change,
            "link": link.replace(TOKEN_PLACEHOLDER, token),
            "hours": LINK_HOURS,
        }
        try:
            send_plain(
                subject="Confirm your new e-mail address for JoinedUp",
                body=render_to_string("accounts/email_change_confirm.txt", context),
                to=[new_email],
            )
        except SEND_ERRORS as error:  # rolled back: no request is kept
            raise ValidationError(
                f"The e-mail to {new_email} could not be sent, so nothing was changed. Check the address, or try "
                "again later.",
                code="not_sent",
            ) from error
    return change


def email_change_pending(*, user: User) -> EmailChange | None:
    """The user's request waiting to be confirmed, if any."""
    return (
        EmailChange.objects.filter(
            user=user, confirmed_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )


def _check(change: EmailChange | None, user: User) -> EmailChange:
    if change is None:
        raise EmailChangeUnusable(
            "This link does not work. If you asked more than once, use the link in the newest e-mail."
        )
    if change.user_id != user.pk:
        raise EmailChangeUnusable(
            "This link was sent for another account. Sign out, and sign in as the person who asked for it."
        )
    if change.confirmed_at is not None:
        raise EmailChangeUnusable("This link has been used: your e-mail address was changed already.")
    if change.withdrawn_at is not None:
        raise EmailChangeUnusable(
            "You asked again after this link was sent: use the link in the newest e-mail."
        )
    if change.expires_at <= timezone.now():
        raise EmailChangeUnusable(
            "This link has run out of date. Ask for the change again on your account page."
        )
    if _taken(change.new_email, user):
        raise EmailChangeUnusable(
            f"Another account now uses {change.new_email}, so your address was not changed."
        )
    return change


def email_change_for_token(*, user: User, token: str) -> EmailChange:
    """The pending request a link's token opens for `user`, or EmailChangeUnusable saying why it does not work."""
    return _check(EmailChange.objects.filter(token_hash=token_hash(token)).first(), user)


def email_change_confirm(
    *, by: User, token: str, also: Callable[[User, str], None] | None = None
) -> EmailChange:
    """Follow the link: `by` signs in with the new address from now on. Single use: the request is locked, so two
    tabs confirming at once change it once. The old address is told once this commits. `also(user, old)` runs in
    the same transaction once the address has changed (the register's entry for the person follows it)."""
    with transaction.atomic(durable=True):
        change = _check(
            EmailChange.objects.select_for_update().filter(token_hash=token_hash(token)).first(), by
        )
        user = User.objects.select_for_update().get(pk=by.pk)
        old = user.email
        user.email = change.new_email
        try:
            with transaction.atomic():
                user.save(update_fields=["email", "username"])
        except IntegrityError as error:  # another account took the address a moment ago
            raise EmailChangeUnusable(
                f"Another account now uses {change.new_email}, so your address was not changed."
            ) from error
        change.confirmed_at = timezone.now()
        change.save(update_fields=["confirmed_at"])
        audit_record(by=user, verb=AuditVerb.EMAIL_CHANGED, target=user, data={"from": old, "to": user.email})
        if also is not None:
            also(user, old)
        transaction.on_commit(lambda: _tell_old_address(user, old))
    by.email, by.username = user.email, user.username
    return change


def _tell_old_address(user: User, old: str) -> None:
    """The change is made: a notice that cannot be sent is logged (by the mail backend and here), not undone."""
    try:
        send_plain(
            subject="Your JoinedUp e-mail address was changed",
            body=render_to_string("accounts/email_changed_notice.txt", {"user": user, "old": old}),
            to=[old],
        )
    except SEND_ERRORS:
        logger.error(
            "The notice of an e-mail address change could not be sent to the old address (user %s).", user.pk
        )
