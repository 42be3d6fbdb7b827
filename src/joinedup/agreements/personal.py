"""What the agreements app holds about a person (core.personal_data): their comments, positions and signatures
(made with their account) and the reviews they took part in. Erasure keeps all of these, because they are the
partnership's record of what was agreed and by which organisation; the account they point at no longer names
anyone (register.personal), and a review's free-text list of participants has the name replaced."""

from __future__ import annotations

import re
from typing import Any

from joinedup.agreements.models import AgreementReview, Comment, Position, Signature


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(*, people: list[Any], user: Any) -> dict[str, Any]:
    comments = Comment.objects.filter(author=user).select_related("version__agreement")
    positions = Position.objects.filter(user=user).select_related("version__agreement", "organisation")
    signatures = Signature.objects.filter(user=user).select_related("version__agreement", "organisation")
    if user is None:  # a person without an account has written, recorded and signed nothing here
        comments, positions, signatures = comments.none(), positions.none(), signatures.none()
    reviews = AgreementReview.objects.filter(participants__in=people).select_related("agreement").distinct()
    return {
        "comments": [
            {"agreement": c.version.agreement.title, "text": c.text, "written": _when(c.created_at)}
            for c in comments
        ],
        "positions": [
            {
                "agreement": p.version.agreement.title,
                "organisation": p.organisation.name,
                "position": p.get_position_display(),
                "reason": p.reason,
                "recorded": _when(p.recorded_at),
            }
            for p in positions
        ],
        "signatures": [
            {
                "agreement": s.version.agreement.title,
                "organisation": s.organisation.name,
                "signed": _when(s.signed_at),
                "content_hash": s.content_hash,
            }
            for s in signatures
        ],
        "reviews_taken_part_in": [{"agreement": r.agreement.title, "date": _when(r.date)} for r in reviews],
    }


def erase(*, people: list[Any], user: Any, pseudonym: str) -> dict[str, int]:
    names = [p.name for p in people if p.name.strip()]
    if not names:
        return {"review_participant_lists": 0}
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names), re.IGNORECASE)
    changed = 0
    for review in AgreementReview.objects.exclude(participants_text="").only("pk", "participants_text"):
        text = pattern.sub(pseudonym, review.participants_text)
        if text != review.participants_text:
            AgreementReview.objects.filter(pk=review.pk).update(participants_text=text)
            changed += 1
    return {"review_participant_lists": changed}
