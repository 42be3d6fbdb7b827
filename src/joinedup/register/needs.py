"""What the register puts on a user's "needs you" home (core.registry.needs_sources): invitations to roles
not yet accepted, in the partnerships whose people they manage, and the user's own invitations to roles, sent to
their address, waiting for them to accept. Two queries, whatever the number of partnerships."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from joinedup.core.permissions import Permission, partnership_ids_with
from joinedup.core.registry import Need
from joinedup.register.models import Partnership, RoleInvitation


def _own_invitations(user: Any) -> list[Need]:
    """Invitations to the user's own address, pending and in date; accepted from the home page, signed in."""
    mine = RoleInvitation.objects.filter(
        email__iexact=user.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("partnership", "organisation")
    found = []
    for invitation in mine:
        role = invitation.get_role_display().lower()
        role = f"{'an' if role[0] in 'aeiou' else 'a'} {role}"
        speaks = f" for {invitation.organisation.name}" if invitation.organisation else ""
        signs = ", with the right to sign agreements" if invitation.is_signatory else ""
        expires = timezone.localdate(invitation.expires_at)
        found.append(
            Need(
                title=f"Accept your invitation to be {role}{speaks}",
                reason=f"Sent to {invitation.email}{signs}; it can be accepted until {expires:%-d %B %Y}.",
                url=reverse("register:invitation_own", args=[invitation.pk]),
                partnership=invitation.partnership.name,
                due=expires,
            )
        )
    return found


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    return [*_managed_invitations(user), *_own_invitations(user)]


def _managed_invitations(user: Any) -> list[Need]:
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
