"""Moderating comments before they are released: a coordinator removes a passage (a name, say) from a comment.

The original text is not kept anywhere: the response row is rewritten and the audit event records only that a
comment of the wave was redacted, never the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac

from joinedup.assessments.models import WaveRelease
from joinedup.core.choices import AuditVerb
from joinedup.core.permissions import Permission, has_permission
from joinedup.core.services import audit_record
from joinedup.surveys.models import Response, Wave

MARKER = "[name removed]"


def released_response_ids(wave: Wave) -> set[int]:
    """The responses whose comments are already in a release."""
    ids: set[int] = set()
    for response_ids in WaveRelease.objects.filter(wave=wave).values_list("response_ids", flat=True):
        ids.update(response_ids)
    return ids


@dataclass(frozen=True)
class WaitingComment:
    """A comment waiting for the next release, as the moderation page shows it: no time, no organisation, no
    respondent; `ref` is an opaque reference (a keyed hash, so it gives no order away)."""

    ref: str
    response_id: int
    dimension: str
    text: str


@dataclass(frozen=True)
class Waiting:
    answers: int  # sent answers not yet released
    comments: list[WaitingComment]  # those of the batches that may be read, shuffled
    needed: int  # more answers needed before the next batch can be read


def _ref(wave: Wave, response_id: int, dimension: str) -> str:
    return salted_hmac(f"joinedup.comment-moderation.{wave.pk}", f"{response_id}:{dimension}").hexdigest()[
        :24
    ]


def comments_waiting(wave: Wave) -> Waiting:
    """The comments a coordinator may read before they are released (two queries).

    They come in whole batches of k answers (the wave's smallest group), the oldest first: one more answer never
    adds one comment to the list, so comparing the page before and after somebody answers tells nobody which
    comment was theirs. Within the batches the order is a keyed shuffle, not the order of sending."""
    k = wave.min_group_size
    released = released_response_ids(wave)
    waiting = list(
        Response.objects.filter(wave=wave, submitted_on__isnull=False)
        .exclude(pk__in=released)
        .order_by("pk")
        .values_list("pk", "comments")
    )
    readable = waiting[: len(waiting) // k * k]
    comments = [
        WaitingComment(_ref(wave, pk, dimension), pk, dimension, text)
        for pk, texts in readable
        for dimension, text in sorted((texts or {}).items())
        if isinstance(text, str) and text.strip()
    ]
    comments.sort(key=lambda comment: comment.ref)
    return Waiting(answers=len(waiting), comments=comments, needed=k - len(waiting) % k)


def comment_redact(*, wave: Wave, response_id: int, dimension: str, remove: str, by: Any) -> Response:
    """Replace every occurrence of `remove` in one comment with the marker. Only removal is possible: the
    coordinator names words to take out and cannot add any."""
    if not has_permission(by, Permission.PARTNERSHIP_EDIT, wave.partnership):
        raise PermissionDenied("Only the partnership's coordinators can redact comments.")
    remove = remove.strip()
    if not remove:
        raise ValidationError({"remove": "Type the words to remove."})
    with transaction.atomic(durable=True):
        response = (
            Response.objects.select_for_update()
            .filter(wave=wave, pk=response_id, submitted_on__isnull=False)
            .first()
        )
        if response is None:
            raise ValidationError("There is no such comment in this wave.")
        if response.pk in released_response_ids(wave):
            raise ValidationError(
                "This comment has already been released with the results, so it can no longer be redacted."
            )
        text = (response.comments or {}).get(dimension)
        if not isinstance(text, str):
            raise ValidationError("There is no such comment in this wave.")
        if remove not in text:
            raise ValidationError(
                {"remove": "Those words are not in the comment. Copy them exactly as written."}
            )
        response.comments = {**response.comments, dimension: text.replace(remove, MARKER)}
        response.save(update_fields=["comments"])
        audit_record(by=by, verb=AuditVerb.COMMENT_REDACTED, target=wave, data={"wave": wave.pk})
    return response
