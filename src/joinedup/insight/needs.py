"""What the insight app puts on a user's "needs you" home: the warning and critical flags of each partnership the
user coordinates (holds PARTNERSHIP_EDIT in through a role: coordinators), who can act on them. Information
flags stay on the health page. Two queries at most, whatever the number of partnerships."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.core.permissions import Permission, partnership_ids_with
from joinedup.core.registry import Need
from joinedup.insight.models import FlagSet

ON_HOME = ("critical", "warning")


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    ids = partnership_ids_with(user, Permission.PARTNERSHIP_EDIT)
    if not ids:
        return []
    found = []
    for flag_set in FlagSet.objects.filter(partnership_id__in=ids).select_related("partnership"):
        url = reverse("insight:health", args=[flag_set.partnership_id])
        for flag in flag_set.flags:
            if flag["severity"] not in ON_HOME:
                continue
            found.append(
                Need(
                    title=f"Flag: {flag['title']}",
                    reason=f"You coordinate this partnership. {flag['action']}",
                    url=url,
                    partnership=flag_set.partnership.name,
                    overdue=flag["severity"] == "critical",
                )
            )
    return found
