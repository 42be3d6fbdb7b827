"""What the reports app holds about a person (core.personal_data): the packs they asked for, kept as files in
their background jobs until `prune-jobs` removes them. A pack may name anyone in the partnership (a partner's
representatives, who attended), so erasing a person deletes every stored pack's file: a pack is a copy, made
again from the records (now pseudonymised) whenever someone asks."""

from __future__ import annotations

from typing import Any

from joinedup.core.models import Job
from joinedup.reports.choices import PACK_JOB


def export(*, people: list[Any], user: Any) -> dict[str, Any]:
    if user is None:
        return {"packs_asked_for": []}
    asked = Job.objects.filter(kind=PACK_JOB, created_by=user).order_by("created_at")
    return {"packs_asked_for": [{"pack": j.title, "asked_for": j.created_at.isoformat()} for j in asked]}


def erase(*, people: list[Any], user: Any, pseudonym: str) -> dict[str, int]:
    return {
        "stored_packs_deleted": Job.objects.filter(kind=PACK_JOB).exclude(payload=None).update(payload=None)
    }
