"""Idempotency keys for API writes (docs/api.md): a client that sends `Idempotency-Key: <its own unique string>`
with a POST, PUT, PATCH or DELETE under /api/ and then sends the same request again (say, after a timeout) gets
the first answer again, marked `Idempotent-Replayed: true`, and the write is done once.

- The key is the client's, per token, per survey link (a respondent's `Survey-Link` header) or per signed-in
  user: two clients never collide.
- What is kept names nobody: the scope and the request's fingerprint are keyed hashes (HMAC with SECRET_KEY), so
  the database cannot join a kept key to a survey link's invitation, nor to the answers it sent (an anonymous
  response stays unlinkable, ADR 7); and the answer kept is the API's, which gives no response id.
- The same key with a different method, path or body answers 422: a key names one request.
- The key's row is written in the same transaction as the request's own writes: a second request with the key waits
  for the first and then gets its answer; a request that fails with a 5xx, or whose process dies, keeps neither,
  so its retry runs afresh. Keys are kept for IDEMPOTENCY_KEEP_HOURS (24), then pruned by `joinedup prune-jobs`.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from joinedup.core.api_rules import problem
from joinedup.core.models import IdempotentRequest

HEADER = "HTTP_IDEMPOTENCY_KEY"
LINK_HEADER = "HTTP_SURVEY_LINK"  # surveys.api.SurveyLinkAuth
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
MAX_KEY = 255


def _keyed(text: bytes) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text, hashlib.sha256).hexdigest()


def _scope(request: HttpRequest) -> str | None:
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "auth:" + _keyed(authorization.encode())[:64]
    link = request.META.get(LINK_HEADER, "")
    if link:
        return "link:" + _keyed(link.encode())[:64]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None  # not signed in: the API answers 401 anyway, and there is nothing to repeat


def _request_hash(request: HttpRequest) -> str:
    return _keyed(f"{request.method} {request.get_full_path()}\n".encode() + request.body)


def _replay(row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


def prune(*, now: datetime.datetime | None = None) -> int:
    """Forget keys older than IDEMPOTENCY_KEEP_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return int(deleted)


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER, "")
        if not key or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > MAX_KEY or not key.isprintable():
            return problem(422, f"The Idempotency-Key header must be printable and at most {MAX_KEY} characters.",
                           invalid_params=[("Idempotency-Key", "too long or not printable")])  # fmt: skip
        scope = _scope(request)
        if scope is None:
            return self.get_response(request)
        fingerprint = _request_hash(request)
        existing = IdempotentRequest.objects.filter(scope=scope, key=key).first()
        if existing is not None:
            return self._again(existing, fingerprint)
        try:
            # The key's row and the write are one transaction: a request that fails (5xx) or whose process dies
            # keeps neither, so its retry runs afresh; a second request with the key waits for the first.
            with transaction.atomic():
                row = IdempotentRequest.objects.create(scope=scope, key=key, request_hash=fingerprint)
                response = self.get_response(request)
                if response.status_code >= 500 or getattr(response, "streaming", False):
                    transaction.set_rollback(True)
                    return response
                row.status = response.status_code
                row.content_type = response.get("Content-Type", "")
                row.body = response.content
                row.save(update_fields=["status", "content_type", "body"])
                return response
        except IntegrityError:  # another request with this key committed first
            return self._again(IdempotentRequest.objects.get(scope=scope, key=key), fingerprint)

    @staticmethod
    def _again(row: IdempotentRequest, fingerprint: str) -> HttpResponse:
        if row.request_hash != fingerprint:
            return problem(
                422,
                "This Idempotency-Key was already used for a different request: use a new key for each one.",
                invalid_params=[("Idempotency-Key", "already used for a different request")],
            )
        return _replay(row)
