"""Personal access tokens for the API: made, used and revoked by their owner (docs/api.md).

A token reads `jup_` + 32 random letters and digits + a 6-character checksum of them, so a leaked token is
recognisable (by its prefix) and checkable (by its checksum) without the database, as secret scanners do. It is
shown once; the database keeps its first 12 random characters (`lookup`, to find the row) and the SHA-256 digest
of the whole token. A request with `Authorization: Bearer jup_...` acts as the token's owner, but only in the
token's partnerships and, for a read-only token, only with the rights that read (`core.permissions.token_scope`).
Every use updates `last_used_at` and writes an audit event.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import string
import zlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from joinedup.core.choices import AuditVerb
from joinedup.core.logging import redact_links
from joinedup.core.permissions import Permission, has_permission, token_scope
from joinedup.core.services import audit_record
from joinedup.register.models import AccessToken, Partnership

PREFIX = "jup_"
ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 32
CHECKSUM_LENGTH = 6
LOOKUP_LENGTH = 12
MAX_DAYS = 366


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        digits.append(ALPHABET[digit])
    return "".join(reversed(digits))


def checksum(secret: str) -> str:
    return _base62(zlib.crc32(secret.encode("ascii")), CHECKSUM_LENGTH)


def looks_like_token(text: str) -> bool:
    """Whether `text` is shaped like a JoinedUp token with a right checksum (no database needed)."""
    if not text.startswith(PREFIX) or len(text) != len(PREFIX) + SECRET_LENGTH + CHECKSUM_LENGTH:
        return False
    body = text[len(PREFIX) :]
    secret, check = body[:SECRET_LENGTH], body[SECRET_LENGTH:]
    return all(c in ALPHABET for c in body) and hmac.compare_digest(checksum(secret), check)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def token_create(
    *, by: Any, name: str, partnerships: Iterable[Partnership], can_write: bool, days: int
) -> tuple[AccessToken, str]:
    """A new token for `by`, for those of `partnerships` they may see; returns the row and the token text, which
    is never stored and cannot be shown again."""
    chosen = list(partnerships)
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "Give the token a name, so you know later what uses it."
    if not 1 <= days <= MAX_DAYS:
        problems["days"] = f"A token lasts from 1 to {MAX_DAYS} days."
    if not chosen:
        problems["partnerships"] = "Choose at least one partnership the token may reach."
    outside = [p.name for p in chosen if not has_permission(by, Permission.PARTNERSHIP_VIEW, p)]
    if outside:
        problems["partnerships"] = f"You are not in {', '.join(outside)}."
    if problems:
        raise ValidationError(problems)
    secret = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))
    text = f"{PREFIX}{secret}{checksum(secret)}"
    now = timezone.now()
    with transaction.atomic():
        token = AccessToken.objects.create(
            user=by,
            name=name.strip(),
            lookup=secret[:LOOKUP_LENGTH],
            digest=digest_of(text),
            can_write=can_write,
            expires_at=now + datetime.timedelta(days=days),
        )
        token.partnerships.set(chosen)
        audit_record(
            by=by,
            verb=AuditVerb.TOKEN_CREATED,
            target=token,
            data={
                "name": token.name,
                "can_write": can_write,
                "days": days,
                "partnerships": [p.pk for p in chosen],
            },
        )
    return token, text


def token_revoke(*, by: Any, token: AccessToken) -> None:
    if token.user_id != by.pk:
        raise ValidationError("Only the token's owner can revoke it.")
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(by=by, verb=AuditVerb.TOKEN_REVOKED, target=token, data={"name": token.name})


def token_for(text: str, *, now: datetime.datetime | None = None) -> AccessToken | None:
    """The live token `text` names (right shape and checksum, known, digest equal, not expired or revoked)."""
    if not looks_like_token(text):
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(lookup=text[len(PREFIX) : len(PREFIX) + LOOKUP_LENGTH])
        .first()
    )
    now = now or timezone.now()
    if token is None or not hmac.compare_digest(token.digest, digest_of(text)):
        return None
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    return token


def token_use(*, token: AccessToken, request: HttpRequest) -> None:
    """Note a use: `last_used_at`, and an audit event with the method and the (redacted) path."""
    with transaction.atomic():
        token.last_used_at = timezone.now()
        token.save(update_fields=["last_used_at"])
        audit_record(
            by=token.user,
            verb=AuditVerb.TOKEN_USED,
            target=token,
            data={"method": request.method, "path": redact_links(request.path)},
        )


class TokenAuth(HttpBearer):
    """django-ninja authentication by `Authorization: Bearer jup_...`: the request acts as the token's owner,
        within the token's scope. Tried before the browser session; a request that sends a bearer token that does not
    work gets 401 even with a session cookie."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for(token)
        if found is None:  # a bad token is refused, never passed over for the browser's session
            raise AuthenticationError(message="The token is unknown, expired or revoked.")
        user = found.user
        token_scope(
            user, partnership_ids=set(found.partnerships.values_list("pk", flat=True)), writes=found.can_write
        )
        request.user = user
        token_use(token=found, request=request)
        return user
