"""What surveys put on a user's "needs you" home (core.registry.needs_sources): the open waves they run, with
how many of those invited have answered, by the closing date. One query, whatever the number of waves."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from joinedup.core.permissions import Permission, partnership_ids_with
from joinedup.core.registry import Need
from joinedup.surveys.choices import WaveStatus
from joinedup.surveys.models import Wave


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    run = Wave.objects.filter(status=WaveStatus.OPEN)
    if not user.is_superuser:
        run = run.filter(partnership_id__in=partnership_ids_with(user, Permission.PARTNERSHIP_EDIT))
    waves = run.select_related("partnership").annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("responses", filter=Q(responses__submitted_on__isnull=False), distinct=True),
    )
    found = []
    for wave in waves:
        if wave.invited:
            rate = round(100 * min(wave.answered, wave.invited) / wave.invited)
            progress = f"{wave.answered} of {wave.invited} invited have answered ({rate} %)"
        else:
            progress = f"{wave.answered} answer{'s' if wave.answered != 1 else ''} so far (open link)"
        found.append(
            Need(
                title=f"Survey open: {wave.title}",
                reason=f"You run it. {progress}; it closes on {wave.closes:%-d %B %Y}.",
                url=reverse("surveys:wave_detail", args=[wave.pk]),
                partnership=wave.partnership.name,
                due=wave.closes,
                overdue=wave.closes < today,
            )
        )
    return found
