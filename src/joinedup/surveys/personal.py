"""What the surveys app holds about a person (core.personal_data): the invitations sent to them and, in
confidential and named waves, their answers (anonymous answers are linked to nobody, ADR 7, so they are
neither exported nor touched). Erasure makes the person's answers as unlinkable as anonymous ones: the
answers stay, so every count and mean already published stays true, but the link to the invitation, the
resume link, the name and the times go; the invitation keeps no address."""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Q

from joinedup.core.personal_data import addresses_of
from joinedup.surveys.models import Invitation, Response


def _invitations(people: list[Any], user: Any) -> Any:
    who = Q(person__in=people)
    for email in addresses_of(people, user):
        who |= Q(email__iexact=email)
    return Invitation.objects.filter(who).select_related("wave")


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(*, people: list[Any], user: Any) -> dict[str, Any]:
    invitations = list(_invitations(people, user).order_by("pk"))
    answers = {r.invitation_id: r for r in Response.objects.filter(invitation__in=invitations)}
    return {
        "invitations": [
            {
                "wave": i.wave.title,
                "email": i.email,
                "sent": _when(i.sent_at),
                "answered": i.answered,
                "answers": (
                    {
                        "answers": answers[i.pk].answers,
                        "comments": answers[i.pk].comments,
                        "name_given": answers[i.pk].respondent_name,
                        "sent": _when(answers[i.pk].submitted_on),
                    }
                    if i.pk in answers
                    else None
                ),
            }
            for i in invitations
        ]
    }


def erase(*, people: list[Any], user: Any, pseudonym: str) -> dict[str, int]:
    invitations = list(_invitations(people, user).values_list("pk", flat=True))
    unlinked = Response.objects.filter(invitation__in=invitations).update(
        invitation=None,
        resume_hash=None,
        respondent_name="",
        started_at=None,
        updated_at=None,
        submitted_at=None,
    )
    for pk in invitations:  # one address each: an invitation's address is unique within its wave
        Invitation.objects.filter(pk=pk).update(
            email=f"erased-{secrets.token_hex(6)}@erased.invalid", person=None
        )
    return {"invitations": len(invitations), "answers_unlinked": unlinked}
