"""What the governance record puts on a user's "needs you" home: the open actions they own — those whose owner
is the person on the register linked to their account, and those owned by an organisation they represent in
the partnership (core.permissions.organisation_grants_with) — overdue first. Two queries, whatever the number of
partnerships."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse

from joinedup.core.permissions import Permission, organisation_grants_with, partnership_ids_with
from joinedup.core.registry import Need
from joinedup.governance.choices import OPEN_ACTION_STATUSES
from joinedup.governance.models import Action
from joinedup.register.models import Person


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    if not user.is_authenticated:
        return []
    grants = organisation_grants_with(user, Permission.ORGANISATION_REPRESENT)
    viewing = partnership_ids_with(user, Permission.PARTNERSHIP_VIEW)
    person_ids = list(Person.objects.filter(user=user).values_list("pk", flat=True)) if viewing else []
    owned = Q(owner_person_id__in=person_ids, partnership_id__in=viewing)
    for partnership_id, organisation_id in grants:
        owned |= Q(partnership_id=partnership_id, owner_organisation_id=organisation_id)
    if not person_ids and not grants:
        return []
    private = partnership_ids_with(user, Permission.MEETING_PRIVATE_VIEW)
    actions = (
        Action.objects.filter(owned, status__in=OPEN_ACTION_STATUSES)
        .exclude(Q(decision__item__is_private=True) & ~Q(partnership_id__in=private))
        .select_related("partnership", "owner_organisation", "owner_person")
    )
    found = []
    for a in actions:
        overdue = bool(a.due and a.due < today)
        mine = a.owner_person_id in person_ids
        who = "It is yours" if mine else f"{a.owner_organisation.name} owns it and you represent it"
        when = (
            f"; it was due on {a.due:%-d %B %Y}"
            if overdue
            else (f"; it is due by {a.due:%-d %B %Y}" if a.due else "")
        )
        found.append(
            Need(
                title=f"Action: {a.title}",
                reason=f"{who}{when}.",
                url=reverse("governance:action", args=[a.pk]),
                partnership=a.partnership.name,
                due=a.due,
                overdue=overdue,
            )
        )
    return found
