"""What the voice app holds about a person (core.personal_data): the feedback forms they are the safeguarding
lead of and the comments they moderated. Feedback itself names nobody (service users give no name or
address), so there is nothing of theirs to export or erase there. Erasure takes them off as safeguarding lead:
a form's coordinator then has to name another (an erased account can never sign in to act on a concern)."""

from __future__ import annotations

from typing import Any

from joinedup.voice.models import FeedbackComment, FeedbackForm


def export(*, people: list[Any], user: Any) -> dict[str, Any]:
    if user is None:
        return {"safeguarding_lead_of": [], "comments_moderated": 0}
    return {
        "safeguarding_lead_of": [
            str(f) for f in FeedbackForm.objects.filter(safeguarding_lead=user).order_by("pk")
        ],
        "comments_moderated": FeedbackComment.objects.filter(moderated_by=user).count(),
    }


def erase(*, people: list[Any], user: Any, pseudonym: str) -> dict[str, int]:
    if user is None:
        return {}
    return {
        "safeguarding_lead_of": FeedbackForm.objects.filter(safeguarding_lead=user).update(
            safeguarding_lead=None
        )
    }
