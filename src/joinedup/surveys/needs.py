"""What surveys put on a user's "needs you" home (core.registry.needs_sources): the open waves they run, with
how many of those invited have answered, by the closing date; and the surveys they were invited to answer and
have not answered yet. Two queries, whatever the number of waves.

A survey to answer comes from the invitation alone (its address and its `answered` flag), never from a response,
so an anonymous wave's answers stay unlinkable (docs/adr/0007). The link itself cannot be shown (only its hash is
kept): the item opens the page where the user can have a new one e-mailed."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from joinedup.core.permissions import Permission, partnership_ids_with
from joinedup.core.registry import Need
from joinedup.surveys.choices import WaveStatus
from joinedup.surveys.models import Wave
from joinedup.surveys.selectors import invitations_to_answer


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    return [*_waves_run(user, today), *_to_answer(user, today)]


def _to_answer(user: Any, today: datetime.date) -> list[Need]:
    return [
        Need(
            title=f"Answer the survey: {invitation.wave.title}",
            reason=(
                f"You were invited at {invitation.email}: open the link in the newest e-mail about it, or ask "
                f"here for a new one. It closes on {invitation.wave.closes:%-d %B %Y}."
            ),
            url=reverse("surveys:answer_list") + f"#invitation-{invitation.pk}",
            partnership=invitation.wave.partnership.name,
            due=invitation.wave.closes,
        )
        for invitation in invitations_to_answer(user=user, today=today)
    ]


def _waves_run(user: Any, today: datetime.date) -> list[Need]:
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
