"""What the voice app puts on a user's "needs you" home: feedback comments waiting for a moderator, in
partnerships where the user moderates, and safeguarding concerns flagged for them as a form's named lead.
Two queries, whatever the number of partnerships."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.urls import reverse

from joinedup.core.permissions import Permission, partnership_ids_with
from joinedup.core.registry import Need
from joinedup.voice.choices import CommentStatus
from joinedup.voice.models import FeedbackComment


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    if not user.is_authenticated:
        return []
    found: list[Need] = []
    ids = partnership_ids_with(user, Permission.FEEDBACK_MODERATE)
    if ids:
        waiting = (
            FeedbackComment.objects.filter(
                status=CommentStatus.WAITING, response__form__partnership_id__in=ids
            )
            .values("response__form__partnership_id", "response__form__partnership__name")
            .annotate(n=Count("pk"))
            .order_by("response__form__partnership__name")
        )
        for row in waiting:
            n = row["n"]
            found.append(
                Need(
                    title=f"Moderate {n} feedback comment{'s' if n != 1 else ''}",
                    reason="Nobody else sees a comment until a moderator publishes it; you moderate feedback here.",
                    url=reverse("voice:moderation", args=[row["response__form__partnership_id"]]),
                    partnership=row["response__form__partnership__name"],
                )
            )
    flagged = FeedbackComment.objects.filter(
        safeguarding=True, safeguarding_seen=False, response__form__safeguarding_lead=user
    ).values_list("pk", "response__form__partnership__name", "response__form__service")
    for pk, partnership, service in flagged:
        found.append(
            Need(
                title=f"A safeguarding concern in feedback about {service or 'the service'}",
                reason="A moderator flagged it for you: you are the form's named safeguarding lead.",
                url=reverse("voice:safeguarding", args=[pk]),
                partnership=partnership,
                due=today,
            )
        )
    return found
