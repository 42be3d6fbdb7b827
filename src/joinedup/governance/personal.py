"""What the governance app holds about a person (core.personal_data): meetings they attended or sent apologies
for, interests they declared, actions they own, papers they added and decisions they recorded. Erasure keeps
the board's record (attendance still counts towards quorum, actions stay owned by their organisation) and
replaces the person's name in it by the pseudonym."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from joinedup.governance.models import Action, Attendance, Decision, Declaration, Paper


def _named(people: list[Any]) -> Q:
    who = Q(pk__in=[])
    for name in {p.name for p in people if p.name.strip()}:
        who |= Q(name__iexact=name)
    return who


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(*, people: list[Any], user: Any) -> dict[str, Any]:
    attended = Attendance.objects.filter(Q(person__in=people) | _named(people)).select_related("meeting")
    declared = Declaration.objects.filter(_named(people)).select_related("decision")
    owned = Action.objects.filter(owner_person__in=people)
    papers = Paper.objects.filter(uploaded_by=user) if user is not None else Paper.objects.none()
    recorded = Decision.objects.filter(recorded_by=user) if user is not None else Decision.objects.none()
    return {
        "attendance": [
            {"meeting": a.meeting.title, "date": _when(a.meeting.start), "status": a.get_status_display()}
            for a in attended.order_by("pk")
        ],
        "declarations": [
            {"decision": d.decision.title, "interest": d.interest} for d in declared.order_by("pk")
        ],
        "actions_owned": [
            {"action": a.title, "due": _when(a.due), "status": a.get_status_display()} for a in owned
        ],
        "papers_added": [{"paper": p.title, "added": _when(p.uploaded_at)} for p in papers],
        "decisions_recorded": [{"decision": d.title, "recorded": _when(d.recorded_at)} for d in recorded],
    }


def erase(*, people: list[Any], user: Any, pseudonym: str) -> dict[str, int]:
    return {
        "attendance": Attendance.objects.filter(Q(person__in=people) | _named(people)).update(name=pseudonym),
        "declarations": Declaration.objects.filter(_named(people)).update(name=pseudonym),
    }
