"""What the governance record tells the warning flags (core.registry.flag_facts): meetings with who was there,
decisions with their quorum, actions and disputes. Five queries whatever the partnership's size.

A private agenda item's decision (and an action from one) is named only as "a decision on a private item":
a flag's evidence is shown to everyone who may see the partnership."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.analysis.flag_snapshot import ActionFacts, DecisionFacts, DisputeFacts, MeetingFacts
from joinedup.governance.choices import OPEN_ACTION_STATUSES, PRESENT_STATUSES, MeetingState
from joinedup.governance.models import Action, Attendance, Decision, Dispute, Meeting
from joinedup.register.models import Membership

PRIVATE_DECISION = "A decision on a private item"
PRIVATE_ACTION = "An action from a private item"


def _meetings(partnership: Any) -> tuple[MeetingFacts, ...]:
    meetings = list(Meeting.objects.filter(partnership=partnership).order_by("start", "id"))
    spells = list(
        Membership.objects.filter(partnership=partnership).values_list("organisation_id", "joined", "left")
    )
    present: dict[int, set[str]] = {}
    for meeting_id, organisation_id, status in Attendance.objects.filter(
        meeting__partnership=partnership
    ).values_list("meeting_id", "organisation_id", "status"):
        if status in PRESENT_STATUSES:
            present.setdefault(meeting_id, set()).add(str(organisation_id))
    facts = []
    for m in meetings:
        day = timezone.localdate(m.start)
        # A member that had not joined yet, or had left, was not expected: it does not count as missing.
        members_then = {
            str(o) for o, joined, left in spells if joined <= day and (left is None or left >= day)
        }
        not_expected = {str(o) for o, _j, _l in spells} - members_then
        facts.append(
            MeetingFacts(
                date=day,
                url=reverse("governance:meeting", args=[m.pk]),
                held=m.state == MeetingState.HELD,
                present=frozenset(present.get(m.pk, set()) | not_expected),
            )
        )
    return tuple(facts)


def _private(decision: Decision) -> bool:
    return decision.item is not None and decision.item.is_private


def flag_facts(*, partnership: Any, today: datetime.date) -> dict[str, Any]:
    decisions = Decision.objects.filter(meeting__partnership=partnership).select_related("meeting", "item")
    actions = (
        Action.objects.filter(partnership=partnership)
        .select_related("owner_organisation", "owner_person", "decision__item")
        .order_by("due", "id")
    )
    disputes = Dispute.objects.filter(partnership=partnership).order_by("raised_on", "id")
    return {
        "meetings": _meetings(partnership),
        "decisions": tuple(
            DecisionFacts(
                date=timezone.localdate(d.meeting.start),
                title=PRIVATE_DECISION if _private(d) else d.title,
                url=reverse("governance:decision", args=[d.pk]),
                quorate=d.quorate is not False,  # None: the partnership had no quorum rule
            )
            for d in decisions.order_by("meeting__start", "id")
        ),
        "actions": tuple(
            ActionFacts(
                title=PRIVATE_ACTION if a.decision is not None and _private(a.decision) else a.title,
                owner=a.owner_person.name if a.owner_person else a.owner_organisation.name,
                url=reverse("governance:action", args=[a.pk]),
                due=a.due,
                done=a.status not in OPEN_ACTION_STATUSES,
            )
            for a in actions
        ),
        "disputes": tuple(
            DisputeFacts(
                topic=d.topic,
                url=reverse("governance:dispute", args=[d.pk]),
                raised=d.raised_on,
                status=d.status,  # type: ignore[arg-type]
            )
            for d in disputes
        ),
        "pages.meetings": reverse("governance:meetings", args=[partnership.pk]),
        "pages.decisions": reverse("governance:decisions", args=[partnership.pk]),
        "pages.actions": reverse("governance:actions", args=[partnership.pk]),
        "pages.disputes": reverse("governance:disputes", args=[partnership.pk]),
    }
