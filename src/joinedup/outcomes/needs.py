"""What outcomes puts on a user's "needs you" home (core.registry.needs_sources): an indicator owned by an
organisation the user represents that has no measurement for the latest period that has ended. Two queries
at most, whatever the number of partnerships."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max, Q
from django.urls import reverse

from joinedup.core.permissions import Permission, organisation_grants_with
from joinedup.core.registry import Need
from joinedup.outcomes.models import Indicator
from joinedup.outcomes.periods import last_ended, period_end, period_label

GRACE_DAYS = 45  # figures usually arrive some weeks after a period ends


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    grants = organisation_grants_with(user, Permission.ORGANISATION_REPRESENT)
    if not grants:
        return []
    wanted = Q()
    for partnership_id, organisation_id in grants:
        wanted |= Q(partnership_id=partnership_id, owner_id=organisation_id)
    indicators = (
        Indicator.objects.filter(wanted)
        .select_related("partnership", "owner")
        .annotate(latest=Max("measurements__period", filter=Q(measurements__is_current=True)))
        .order_by("partnership__name", "title", "id")
    )
    found = []
    for indicator in indicators:
        period = last_ended(today, indicator.frequency)
        if indicator.latest is not None and indicator.latest >= period:
            continue
        due = period_end(period, indicator.frequency) + datetime.timedelta(days=GRACE_DAYS)
        found.append(
            Need(
                title=f"Record {indicator.title} for {period_label(period, indicator.frequency)}",
                reason=f"{indicator.owner.name} owns this indicator, and you represent it.",
                url=reverse("outcomes:measurement_add", args=[indicator.pk]),
                partnership=indicator.partnership.name,
                due=due,
                overdue=today > due,
            )
        )
    return found
