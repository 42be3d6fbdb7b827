"""The shipped warning-flag rules, one function each, registered with `flags.rule` (see `analysis.flags`).

Each reads only the snapshot and the thresholds, returns `Found` (the values its title names, the evidence with
the records behind it, the page to look at) or None. Sources and texts are in flag_files/flags.yaml."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from typing import Any

from joinedup.analysis.flag_snapshot import PartnershipSnapshot
from joinedup.analysis.flags import FlagSettings, Found, rule


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _record(title: str, url: str, **more: Any) -> dict[str, Any]:
    return {"title": title, "url": url, **more}


@rule("no_shared_outcomes", gives=("reason",))
def _no_shared_outcomes(s: PartnershipSnapshot, _t: FlagSettings) -> Found | None:
    aims = [a for a in s.agreements if a.in_force and a.has_aims_clause]
    outcomes = [i for i in s.indicators if i.kind == "outcome"]
    if aims and outcomes:
        return None
    reason = "no aims-and-outcomes clause in force" if not aims else "no outcome indicator is measured"
    evidence = {"aims_clauses_in_force": len(aims), "outcome_indicators": len(outcomes)}
    return Found({"reason": reason}, evidence, s.page("agreements" if not aims else "indicators"))


@rule("review_overdue")
def _review_overdue(s: PartnershipSnapshot, _t: FlagSettings) -> Found | None:
    late = [a for a in s.agreements if a.in_force and a.review_due is not None and a.review_due < s.today]
    if not late:
        return None
    records = [
        _record(
            a.title, a.url, review_due=a.review_due.isoformat(), days_overdue=(s.today - a.review_due).days
        )
        for a in late
        if a.review_due is not None
    ]
    return Found({"count": len(late)}, {"agreements": records}, late[0].url)


@rule("not_signed_by_all", gives=("detail",))
def _not_signed_by_all(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    current = {m.key for m in s.members}
    unsigned = [(a, [k for k in a.unsigned if k in current]) for a in s.agreements if a.in_force]
    unsigned = [(a, keys) for a, keys in unsigned if keys]
    wait = int(t["proposal_wait_days"])
    waiting = [
        a
        for a in s.agreements
        if a.proposal_waiting_since is not None and (s.today - a.proposal_waiting_since).days > wait
    ]
    if not unsigned and not waiting:
        return None
    parts = []
    if unsigned:
        parts.append(
            f"{sum(len(keys) for _a, keys in unsigned)} member(s) have not signed the version in force"
        )
    if waiting:
        parts.append(f"{len(waiting)} proposal(s) waiting more than {wait} days")
    evidence = {
        "unsigned": [
            _record(a.title, a.url, members=[s.member_name(k) for k in keys]) for a, keys in unsigned
        ],
        "waiting": [
            _record(
                a.title,
                a.url,
                since=a.proposal_waiting_since.isoformat(),
                days=(s.today - a.proposal_waiting_since).days,
            )
            for a in waiting
            if a.proposal_waiting_since is not None
        ],
    }
    first = unsigned[0][0] if unsigned else waiting[0]
    return Found({"detail": "; ".join(parts)}, evidence, first.url)


@rule("contract_like")
def _contract_like(s: PartnershipSnapshot, _t: FlagSettings) -> Found | None:
    readings = [a for a in s.agreements if a.in_force and a.contract_like]
    if not readings:
        return None
    first = readings[0]
    evidence = {
        "agreements": [_record(a.title, a.url, criteria_not_met=list(a.criteria_not_met)) for a in readings]
    }
    return Found({"count": len(first.criteria_not_met)}, evidence, first.url)


@rule("power_imbalance", gives=("reason",))
def _power_imbalance(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    reasons: list[str] = []
    evidence: dict[str, Any] = {}
    url = ""
    for a in s.agreements:
        total = sum(a.contributions.values())
        if not a.in_force or total <= 0 or not (a.fixed_chair or a.casting_vote):
            continue
        key, amount = max(a.contributions.items(), key=lambda kv: (kv[1], kv[0]))
        share = amount / total
        if share > t["contribution_share"]:
            holds = " and ".join(
                x for x, on in (("a fixed chair", a.fixed_chair), ("a casting vote", a.casting_vote)) if on
            )
            reasons.append(f"{s.member_name(key)} puts in {share:.0%} of the contributions, with {holds}")
            evidence["contributions"] = _record(
                a.title,
                a.url,
                member=s.member_name(key),
                share=round(share, 3),
                fixed_chair=a.fixed_chair,
                casting_vote=a.casting_vote,
            )
            url = url or a.url
    gaps = [g for g in s.gaps if g.dimension == "power" and g.to_discuss]
    if gaps:
        reasons.append(f"{gaps[0].high} and {gaps[0].low} see equality and power differently")
        evidence["gaps"] = [
            _record(g.title, g.url, high=g.high, low=g.low, difference=g.difference) for g in gaps
        ]
        url = url or gaps[0].url
    if not reasons:
        return None
    return Found({"reason": "; ".join(reasons)}, evidence, url)


@rule("low_trust", gives=("reason",))
def _low_trust(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    latest: dict[str, Any] = {}
    for reading in s.trust:  # latest first within each source
        latest.setdefault(reading.source, reading)
    low, falling = [], []
    for reading in latest.values():
        span = reading.high - reading.low
        share = (reading.score - reading.low) / span if span > 0 else 0.0
        if share < t["trust_low_share"]:
            low.append((reading, share))
        if reading.change_interval is not None and reading.change_interval[1] < 0:
            falling.append(reading)
    if not low and not falling:
        return None
    reason = " and ".join(x for x, on in (("low", low), ("falling", falling)) if on)
    records = [
        _record(
            r.wave,
            r.url,
            source=r.source,
            score=r.score,
            scale=[r.low, r.high],
            change=r.change,
            change_interval=list(r.change_interval) if r.change_interval else None,
        )
        for r in dict.fromkeys([r for r, _share in low] + falling)
    ]
    return Found({"reason": reason}, {"readings": records}, records[0]["url"])


@rule("perception_gap")
def _perception_gap(s: PartnershipSnapshot, _t: FlagSettings) -> Found | None:
    gaps = [g for g in s.gaps if g.to_discuss]
    if not gaps:
        return None
    records = [_record(g.title, g.url, high=g.high, low=g.low, difference=g.difference) for g in gaps]
    return Found({"count": len(gaps)}, {"gaps": records}, gaps[0].url)


@rule("peripheral_member")
def _peripheral_member(s: PartnershipSnapshot, _t: FlagSettings) -> Found | None:
    edge = [p for p in s.network if p.isolated or p.peripheral]
    if not edge:
        return None
    records = [
        _record(s.member_name(p.member), p.url, position="isolated" if p.isolated else "peripheral")
        for p in edge
    ]
    return Found({"count": len(edge)}, {"members": records}, edge[0].url)


@rule("fading_attendance")
def _fading_attendance(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    window = int(t["fading_window"])
    held = sorted((m for m in s.meetings if m.held and m.date <= s.today), key=lambda m: m.date)[-window:]
    if len(held) < window:
        return None
    absences = Counter(m.key for meeting in held for m in s.members if m.key not in meeting.present)
    fading = [m for m in s.members if absences[m.key] >= t["fading_absences"]]
    if not fading:
        return None
    records = [_record(m.name, m.url, absent=absences[m.key], of=len(held)) for m in fading]
    return Found(
        {"count": len(fading)}, {"members": records, "meetings": [m.url for m in held]}, s.page("meetings")
    )


@rule("inquorate_decision")
def _inquorate_decision(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    since = _months_before(s.today, int(t["inquorate_months"]))
    bad = [d for d in s.decisions if not d.quorate and since <= d.date <= s.today]
    if not bad:
        return None
    records = [_record(d.title, d.url, date=d.date.isoformat()) for d in bad]
    return Found({"count": len(bad)}, {"decisions": records}, bad[0].url)


@rule("overdue_actions")
def _overdue_actions(s: PartnershipSnapshot, _t: FlagSettings) -> Found | None:
    late = [a for a in s.actions if not a.done and a.due is not None and a.due < s.today]
    if not late:
        return None
    by_owner: dict[str, list[dict[str, Any]]] = {}
    for a in sorted(late, key=lambda a: (a.owner, a.due or s.today)):
        if a.due is not None:
            by_owner.setdefault(a.owner, []).append(
                _record(a.title, a.url, due=a.due.isoformat(), days_overdue=(s.today - a.due).days)
            )
    return Found({"count": len(late)}, {"by_owner": by_owner}, s.page("actions"))


@rule("measurement_burden", gives=("reason",))
def _measurement_burden(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    reasons: list[str] = []
    evidence: dict[str, Any] = {}
    members = len(s.members)
    per_partner = len(s.indicators) / members if members else 0.0
    if members and per_partner > t["indicators_per_partner"]:
        reasons.append(f"{per_partner:.1f} indicators per partner")
        evidence["indicators"] = len(s.indicators)
        evidence["members"] = members
    stale = [i for i in s.indicators if i.periods_without_data >= t["missing_periods"]]
    if stale:
        reasons.append(
            f"{len(stale)} indicator(s) without data for {int(t['missing_periods'])} periods or more"
        )
        evidence["without_data"] = [_record(i.name, i.url, periods=i.periods_without_data) for i in stale]
    if not reasons:
        return None
    return Found({"reason": "; ".join(reasons)}, evidence, s.page("indicators"))


@rule("outcome_concern")
def _outcome_concern(s: PartnershipSnapshot, _t: FlagSettings) -> Found | None:
    concern = [
        i for i in s.indicators if i.variation == "special_cause_concern" or i.assurance == "consistent_fail"
    ]
    if not concern:
        return None
    records = [_record(i.name, i.url, variation=i.variation, assurance=i.assurance) for i in concern]
    return Found({"count": len(concern)}, {"indicators": records}, concern[0].url)


@rule("pace_of_change", gives=("reason",))
def _pace_of_change(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    since = _months_before(s.today, int(t["pace_months"]))
    events = [
        e for e in s.changes if e.kind in ("reorganisation", "leader_change") and since <= e.date <= s.today
    ]
    reasons: list[str] = []
    evidence: dict[str, Any] = {}
    if len(events) >= t["pace_events"]:
        reasons.append(f"{len(events)} reorganisations or leader changes in {int(t['pace_months'])} months")
        evidence["events"] = [_record(e.title, e.url, date=e.date.isoformat(), kind=e.kind) for e in events]
    if s.representatives and s.representative_changes / s.representatives >= t["representative_turnover"]:
        reasons.append(f"{s.representative_changes} changes of representative for {s.representatives} seats")
        evidence["representatives"] = {"seats": s.representatives, "changes": s.representative_changes}
    if not reasons:
        return None
    return Found({"reason": "; ".join(reasons)}, evidence, s.page("timeline"))


@rule("no_service_user_voice", gives=("months",))
def _no_service_user_voice(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    months = int(t["voice_months"])
    since = _months_before(s.today, months)
    experts = [m for m in s.members if m.expert_by_experience]
    recent = [d for d in s.feedback_dates if since <= d <= s.today]
    if experts or recent:
        return None
    last = max(s.feedback_dates, default=None)
    evidence = {
        "expert_members": 0,
        "feedback_since": since.isoformat(),
        "last_feedback": last and last.isoformat(),
    }
    return Found({"months": months}, evidence, s.page("feedback"))


@rule("dispute_unresolved")
def _dispute_unresolved(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    days = int(t["dispute_days"])
    open_states = ("open", "resolving")
    bad = [
        d
        for d in s.disputes
        if d.status == "escalated" or (d.status in open_states and (s.today - d.raised).days > days)
    ]
    if not bad:
        return None
    records = [
        _record(
            d.topic, d.url, status=d.status, raised=d.raised.isoformat(), days_open=(s.today - d.raised).days
        )
        for d in bad
    ]
    return Found({"count": len(bad)}, {"disputes": records}, bad[0].url)


@rule("overload", gives=("count", "limit"))
def _overload(s: PartnershipSnapshot, t: FlagSettings) -> Found | None:
    limit = int(t["overload_partnerships"])
    heavy = [o for o in s.overload if len(o.partnerships) > limit]
    if not heavy:
        return None
    records = [_record(o.name, o.url, kind=o.kind, partnerships=list(o.partnerships)) for o in heavy]
    return Found({"count": len(heavy), "limit": limit}, {"sitting_in": records}, s.page("place"))
