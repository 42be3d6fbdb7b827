"""What the governance record lends the shell: decisions and actions as records other apps link to
(core.registry.record_kinds), and meetings, decisions and disputes on the partnership's timeline. Each makes a
fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from joinedup.core.registry import RecordRef, TimelineEntry
from joinedup.governance.choices import DisputeStatus, MeetingState
from joinedup.governance.models import Action, Decision, Dispute, Meeting
from joinedup.governance.selectors import sees_private

DECISION_KIND = "governance.decision"
ACTION_KIND = "governance.action"


def _decision_ref(d: Decision) -> RecordRef:
    return RecordRef(
        kind=DECISION_KIND,
        id=d.pk,
        title=f"{d.title} ({d.meeting.title}, {timezone.localdate(d.meeting.start):%-d %b %Y})",
        url=d.get_absolute_url(),
        partnership_id=d.meeting.partnership_id,
    )


def _action_ref(a: Action) -> RecordRef:
    return RecordRef(
        kind=ACTION_KIND,
        id=a.pk,
        title=f"{a.title} ({a.get_status_display().lower()})",
        url=a.get_absolute_url(),
        partnership_id=a.partnership_id,
    )


def decision_options(*, partnership: Any) -> list[RecordRef]:
    """The partnership's decisions on public items (a link from another app is shown to anyone who may see it)."""
    qs = (
        Decision.objects.filter(meeting__partnership=partnership)
        .exclude(item__is_private=True)
        .select_related("meeting")
        .order_by("-meeting__start", "-id")
    )
    return [_decision_ref(d) for d in qs]


def decision_resolve(*, ids: list[int]) -> list[RecordRef]:
    qs = Decision.objects.filter(pk__in=ids).exclude(item__is_private=True).select_related("meeting")
    return [_decision_ref(d) for d in qs]


def action_options(*, partnership: Any) -> list[RecordRef]:
    qs = (
        Action.objects.filter(partnership=partnership)
        .exclude(decision__item__is_private=True)
        .order_by("-id")
    )
    return [_action_ref(a) for a in qs]


def action_resolve(*, ids: list[int]) -> list[RecordRef]:
    return [
        _action_ref(a) for a in Action.objects.filter(pk__in=ids).exclude(decision__item__is_private=True)
    ]


def timeline(*, user: Any, partnership: Any, limit: int) -> list[TimelineEntry]:
    """Meetings held, decisions (private ones only for MEETING_PRIVATE_VIEW), disputes raised and escalated:
    three queries, at most `limit` of each, newest first."""
    entries: list[TimelineEntry] = []
    for m in Meeting.objects.filter(partnership=partnership, state=MeetingState.HELD).order_by("-start")[
        :limit
    ]:
        entries.append(
            TimelineEntry(
                date=timezone.localdate(m.start),
                kind="Meeting",
                title=f"{m.title} held",
                url=m.get_absolute_url(),
            )
        )
    decisions = Decision.objects.filter(meeting__partnership=partnership).select_related("meeting")
    if not sees_private(user, partnership):
        decisions = decisions.exclude(item__is_private=True)
    for d in decisions.order_by("-meeting__start", "-id")[:limit]:
        entries.append(
            TimelineEntry(
                date=timezone.localdate(d.meeting.start),
                kind="Decision",
                title=d.title + (" (taken while the meeting was not quorate)" if d.inquorate else ""),
                url=d.get_absolute_url(),
            )
        )
    for x in Dispute.objects.filter(partnership=partnership).order_by("-raised_on", "-id")[:limit]:
        entries.append(
            TimelineEntry(
                date=x.raised_on, kind="Dispute", title=f"Raised: {x.topic}", url=x.get_absolute_url()
            )
        )
        if x.status == DisputeStatus.ESCALATED and x.closed_on:
            entries.append(
                TimelineEntry(
                    date=x.closed_on,
                    kind="Dispute",
                    title=f"Escalated: {x.topic}",
                    url=x.get_absolute_url(),
                    detail=x.escalation_step,
                )
            )
    return sorted(entries, key=lambda e: e.date, reverse=True)[:limit]
