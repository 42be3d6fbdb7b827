"""What the register puts on a user's "needs you" home (core.registry.needs_sources): invitations to roles
not yet accepted, in the partnerships whose people they manage. One query."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from joinedup.core.permissions import Permission, partnership_ids_with
from joinedup.core.registry import Need
from joinedup.register.models import Partnership


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    managed = Partnership.objects.all()
    if not user.is_superuser:
        managed = managed.filter(pk__in=partnership_ids_with(user, Permission.ROLE_MANAGE))
    pending = Q(role_invitations__accepted_at__isnull=True, role_invitations__revoked_at__isnull=True)
    rows = managed.annotate(
        waiting=Count("role_invitations", filter=pending),
        lapsed=Count(
            "role_invitations", filter=pending & Q(role_invitations__expires_at__lte=timezone.now())
        ),
        oldest=Min("role_invitations__sent_at", filter=pending),
    ).filter(waiting__gt=0)
    found = []
    for p in rows:
        lapsed = f", {p.lapsed} out of date (send again)" if p.lapsed else ""
        found.append(
            Need(
                title=f"{p.waiting} invitation{'s' if p.waiting != 1 else ''} not yet accepted",
                reason=f"Sent since {p.oldest:%-d %B %Y}{lapsed}.",
                url=reverse("register:partnership_roles", args=[p.pk]) + "#invitations",
                partnership=p.name,
            )
        )
    return found
