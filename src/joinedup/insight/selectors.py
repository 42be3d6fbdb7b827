"""Reads of the insight app: the stored flags, the health page's picture (built from the stored snapshot, so a
page view computes nothing and costs the same few queries whatever the partnership's size), the partnership-page
section and the thresholds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from joinedup.analysis.flag_snapshot import PartnershipSnapshot
from joinedup.analysis.flags import load_settings
from joinedup.core.permissions import Permission, has_permission
from joinedup.core.registry import PlaceFact
from joinedup.insight.models import FlagSet, FlagThresholds
from joinedup.insight.snapshot import from_plain

SEVERITY_WORDS = {"critical": "Critical", "warning": "Warning", "info": "For information"}
SEVERITY_TAGS = {"critical": "nhsuk-tag--red", "warning": "nhsuk-tag--orange", "info": "nhsuk-tag--blue"}
NETWORK_ONLY = {"peripheral_member"}  # flags whose evidence only those who may see the network may see


def flag_set_get(*, partnership: Any) -> FlagSet | None:
    return FlagSet.objects.filter(partnership=partnership).first()


def thresholds_get(*, partnership: Any) -> dict[str, float]:
    """The partnership's own thresholds over the shipped ones."""
    own = FlagThresholds.objects.filter(partnership=partnership).values_list("values", flat=True).first()
    return {**load_settings().thresholds, **(own or {})}


def flags_visible(flags: list[dict[str, Any]], *, user: Any, partnership: Any) -> list[dict[str, Any]]:
    """The flags `user` may see: network-based ones only with NETWORK_VIEW (trust received stays with them)."""
    if has_permission(user, Permission.NETWORK_VIEW, partnership):
        return flags
    visible = []
    for flag in flags:
        if flag["code"] in NETWORK_ONLY:
            continue
        if flag["code"] == "low_trust":
            readings = [r for r in flag["evidence"].get("readings", []) if r.get("source") != "network"]
            if not readings:
                continue
            flag = {**flag, "evidence": {**flag["evidence"], "readings": readings}}
        visible.append(flag)
    return visible


KEY_WORDS = {"absent": "meetings missed", "of": "out of", "days": "days waiting", "since": "waiting since"}


def _words(record: dict[str, Any]) -> str:
    """A record's facts beside its title, in plain words ("days overdue: 17; due: 2026-11-20")."""
    parts = []
    for key, value in record.items():
        if key in ("title", "url") or value is None or value == []:
            continue
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        elif isinstance(value, str) and "_" in value and " " not in value:
            value = value.replace("_", " ")  # a code such as special_cause_concern, in words
        parts.append(f"{KEY_WORDS.get(key, key.replace('_', ' '))}: {value}")
    return "; ".join(parts)


def evidence_rows(evidence: dict[str, Any]) -> list[dict[str, str]]:
    """A flag's evidence as rows of (title, url, facts): every record it rests on links to its page."""
    rows: list[dict[str, str]] = []

    def add(value: Any, prefix: str = "") -> None:
        if isinstance(value, dict) and "title" in value:
            rows.append(
                {"title": prefix + str(value["title"]), "url": value.get("url", ""), "words": _words(value)}
            )
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    rows.append({"title": item, "url": item, "words": ""})
                else:
                    add(item, prefix)

    scalars = []
    for key, value in evidence.items():
        if isinstance(value, dict) and "title" not in value:
            if all(isinstance(v, list) for v in value.values()):
                for owner, items in value.items():
                    add(items, f"{owner}: ")
            else:
                scalars.append(f"{key.replace('_', ' ')}: {_words(value) or value}")
        elif isinstance(value, (dict, list)):
            if key != "meetings":  # the meetings counted are linked from the governance section
                add(value)
        elif value is not None:
            scalars.append(f"{key.replace('_', ' ')}: {value}")
    if scalars:
        rows.insert(0, {"title": "; ".join(scalars), "url": "", "words": ""})
    return rows


def _decorate(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **f,
            "severity_words": SEVERITY_WORDS[f["severity"]],
            "severity_tag": SEVERITY_TAGS[f["severity"]],
            "rows": evidence_rows(f["evidence"]),
        }
        for f in flags
    ]


def _ladder(ladder: dict[str, Any]) -> dict[str, Any]:
    def day(text: str | None) -> datetime.date | None:
        return datetime.date.fromisoformat(text) if text else None

    return {
        **ladder,
        "journey": [{**m, "date": day(m["date"])} for m in ladder.get("journey", [])],
        "evidence": [
            {**e, "start": day(e["start"]), "end": day(e["end"])} for e in ladder.get("evidence", [])
        ],
    }


def partnership_section(*, user: Any, partnership: Any) -> dict[str, Any]:
    """The partnership page's link to the health page, with the number of flags (one query)."""
    flag_set = flag_set_get(partnership=partnership)
    flags = flags_visible(flag_set.flags, user=user, partnership=partnership) if flag_set else []
    return {"insight_flag_set": flag_set, "insight_flags": len(flags)}


@dataclass(frozen=True)
class Attendance:
    name: str
    url: str
    present: int
    of: int


def _attendance(s: PartnershipSnapshot, window: int) -> tuple[list[Attendance], int]:
    held = sorted((m for m in s.meetings if m.held and m.date <= s.today), key=lambda m: m.date)[-window:]
    rows = [
        Attendance(m.name, m.url, sum(1 for meeting in held if m.key in meeting.present), len(held))
        for m in s.members
    ]
    return sorted(rows, key=lambda r: (r.present, r.name)), len(held)


def health(*, user: Any, partnership: Any, flag_set: FlagSet) -> dict[str, Any]:
    """Everything the health page shows, from the stored flag set (no queries beyond the permission check)."""
    s: PartnershipSnapshot = from_plain(PartnershipSnapshot, flag_set.snapshot)
    facts = flag_set.health
    today = s.today
    sees_network = has_permission(user, Permission.NETWORK_VIEW, partnership)
    agreements = [
        {
            "title": a.title,
            "url": a.url,
            "in_force": a.in_force,
            "unsigned": [s.member_name(k) for k in a.unsigned if any(m.key == k for m in s.members)],
            "review_due": a.review_due,
            "review_overdue": a.review_due is not None and a.review_due < today,
            "waiting_since": a.proposal_waiting_since,
            "contract_like": a.contract_like,
            "criteria_not_met": a.criteria_not_met,
        }
        for a in s.agreements
    ]
    attendance, meetings_counted = _attendance(s, 4)
    open_actions = [a for a in s.actions if not a.done]
    overdue = [a for a in open_actions if a.due is not None and a.due < today]
    open_disputes = [d for d in s.disputes if d.status in ("open", "resolving", "escalated")]
    members = {m.key: m for m in s.members}
    edge = [
        {
            "name": members[p.member].name if p.member in members else p.member,
            "url": p.url,
            "position": "isolated" if p.isolated else "at the edge",
        }
        for p in s.network
        if p.isolated or p.peripheral
    ]
    feedback_last = max(s.feedback_dates, default=None)
    recent = today - datetime.timedelta(days=183)
    flags = _decorate(flags_visible(flag_set.flags, user=user, partnership=partnership))
    return {
        "snapshot": s,
        "flags": flags,
        "counts": {sev: sum(1 for f in flags if f["severity"] == sev) for sev in SEVERITY_WORDS},
        "agreements": agreements,
        "assessment": facts.get("assessments", {"wave": None}),
        "gaps": [g for g in s.gaps if g.to_discuss],
        "network": facts.get("networks", {"wave": None}) if sees_network else None,
        "edge": edge if sees_network else [],
        "indicators": facts.get("outcomes", []),
        "voice": facts.get("voice", {}),
        "feedback_last": feedback_last,
        "feedback_recent": feedback_last is not None and feedback_last >= recent,
        "attendance": attendance,
        "meetings_counted": meetings_counted,
        "open_actions": len(open_actions),
        "overdue_actions": len(overdue),
        "open_disputes": open_disputes,
        "ladder": _ladder(flag_set.ladder),
        "computed_at": flag_set.computed_at,
        "pages": {
            name: s.page(name)
            for name in ("agreements", "meetings", "actions", "disputes", "indicators", "feedback", "network")
        },
        "thresholds_url": reverse("insight:thresholds", args=[partnership.pk]),
        "may_tune": has_permission(user, Permission.PARTNERSHIP_EDIT, partnership),
    }


SEVERITY_ORDER = ("critical", "warning", "info")
_PLURAL = {
    "critical": ("critical", "critical"),
    "warning": ("warning", "warnings"),
    "info": ("note", "notes"),
}


def _flag_words(flags: list[dict[str, Any]]) -> str:
    """ "1 critical, 2 warnings" (the flags a person may see), or that there are none."""
    counts = [(sev, sum(1 for f in flags if f["severity"] == sev)) for sev in SEVERITY_ORDER]
    parts = [f"{n} {_PLURAL[sev][n != 1]}" for sev, n in counts if n]
    return ", ".join(parts) if parts else "No warning flags"


def place_facts(*, user: Any, partnerships: list[Any]) -> list[PlaceFact]:
    """For the place page: each partnership's warning flags (as its health page shows them to `user`) and its
    step on the integration ladder. One query for the stored flag sets, whatever the number of partnerships."""
    stored = {
        f.partnership_id: f for f in FlagSet.objects.filter(partnership__in=[p.pk for p in partnerships])
    }
    facts: list[PlaceFact] = []
    for partnership in partnerships:
        url = reverse("insight:health", args=[partnership.pk])
        flag_set = stored.get(partnership.pk)
        if flag_set is None:
            facts.append(PlaceFact(partnership.pk, "Warning flags", "Not worked out yet", url))
            continue
        flags = flags_visible(flag_set.flags, user=user, partnership=partnership)
        worst = next((sev for sev in SEVERITY_ORDER if any(f["severity"] == sev for f in flags)), "")
        titles = tuple(f["title"] for f in flags)  # stored most severe first
        facts.append(PlaceFact(partnership.pk, "Warning flags", _flag_words(flags), url, titles, worst))
        step = flag_set.ladder.get("step")
        if step:
            facts.append(PlaceFact(partnership.pk, "Integration", str(step).capitalize(), f"{url}#ladder"))
    return facts
