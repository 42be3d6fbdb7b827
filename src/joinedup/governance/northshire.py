"""The governance record's part of the Northshire demo: two years of the community mental health partnership's
board — ten meetings held every two to three months, with attendance, agenda items, decisions and 20 actions,
and a board meeting still to come. The Coastal primary care network's attendance fades (absent without apologies
from three of the last four meetings); the council's apologies leave one meeting without a local authority
member, so its one decision is marked as taken while inquorate; two disputes are logged, one escalated under the
agreement's disputes clause.

Every date is fixed. Whether an action is overdue is read against the day a page is shown; against AS_OF (the
end of November 2026, after the last meeting) five of the open actions are overdue.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from joinedup.governance import services
from joinedup.governance.models import Decision, Dispute, Meeting
from joinedup.governance.selectors import members_on
from joinedup.register.models import Organisation, Partnership

D = datetime.date
LONDON = ZoneInfo("Europe/London")
AS_OF = D(2026, 11, 30)

MEETING_DAYS = [
    D(2024, 11, 14),
    D(2025, 1, 23),
    D(2025, 4, 10),
    D(2025, 6, 19),
    D(2025, 9, 4),
    D(2025, 11, 13),
    D(2026, 1, 22),
    D(2026, 4, 16),
    D(2026, 7, 9),
    D(2026, 10, 8),
]
NEXT_MEETING = D(2027, 1, 14)
FADING = "pcn_coast"  # absent without apologies from meetings 7, 9 and 10
INQUORATE_MEETING = 6  # the council sends apologies: no local authority voting member

# Exceptions to "present": (meeting index, organisation key) -> status
ATTENDANCE: dict[tuple[int, str], str] = {
    (2, FADING): "apologies",
    (6, FADING): "absent",
    (8, FADING): "absent",
    (9, FADING): "absent",
    (6, "county"): "apologies",
    (3, "mh_trust"): "substitute",
    (8, "mh_trust"): "substitute",
    (4, "icb"): "apologies",
    (5, "mind"): "present_online",
    (7, "pcn_kingsford"): "present_online",
    (9, "pcn_kingsford"): "present_online",
}

# (meeting, title, text, reasons, rejected, method, votes {org: option} or None, private,
#  actions [(title, owner, owner person key or "", due, status, completed)])
DONE, OPEN, PROGRESS, DROPPED = "done", "open", "in_progress", "dropped"
DECISIONS: list[tuple[Any, ...]] = [
    (
        0,
        "Crisis café pilot approved",
        "Open an evening crisis café in Kingsford for a year, run by Mind.",
        "Evening crises end up in the emergency department; a café is cheaper and kinder.",
        "A telephone line only (people said they want somewhere to go).",
        "consensus",
        None,
        False,
        [
            (
                "Sign the grant agreement with Mind",
                "county",
                "council_rep",
                D(2024, 12, 20),
                DONE,
                D(2024, 12, 12),
            ),
            (
                "Agree how the café refers people to the crisis team",
                "mh_trust",
                "trust_rep",
                D(2025, 1, 15),
                DONE,
                D(2025, 1, 20),
            ),
        ],
    ),
    (
        1,
        "Budget for 2025/26 set",
        "The pooled fund for 2025/26 is £14.2 million, each partner's share as agreed.",
        "In line with the agreement's risk share.",
        "A 5% cut to the peer support budget.",
        "vote",
        {
            "mh_trust": "for",
            "county": "for",
            "icb": "for",
            "mind": "for",
            "pcn_kingsford": "abstain",
            "recovery": "for",
            "pcn_coast": "for",
        },
        False,
        [
            (
                "Publish the budget to the partners' boards",
                "county",
                "council_rep",
                D(2025, 2, 28),
                DONE,
                D(2025, 2, 26),
            ),
            ("Set quarterly budget reporting to the board", "county", "", D(2025, 4, 1), DONE, D(2025, 4, 2)),
        ],
    ),
    (
        2,
        "Substance-misuse service handed over",
        "The substance-misuse service moves to the trust from 1 April 2025.",
        "The contract was re-let.",
        "Extending the current contract by six months.",
        "consensus",
        None,
        False,
        [
            ("Transfer the caseload safely", "mh_trust", "trust_rep", D(2025, 5, 31), DONE, D(2025, 5, 30)),
            (
                "Write to people using the service about the change",
                "mh_trust",
                "",
                D(2025, 4, 30),
                DONE,
                D(2025, 4, 17),
            ),
        ],
    ),
    (
        3,
        "Peer support workers in every hub",
        "Each of the six locality hubs gets a peer support worker.",
        "Service users asked for it at the forum.",
        "Two central posts covering all hubs.",
        "consensus",
        None,
        False,
        [
            ("Recruit six peer support workers", "mind", "", D(2025, 10, 31), DONE, D(2025, 11, 20)),
            (
                "Agree supervision arrangements for peer workers",
                "mh_trust",
                "trust_rep",
                D(2025, 9, 1),
                DROPPED,
                None,
            ),
        ],
    ),
    (
        4,
        "Shared care plan target adopted",
        "By March 2027, 80% of people on the caseload have a shared care plan.",
        "People should not have to tell their story again.",
        "No target, only monitoring.",
        "consensus",
        None,
        False,
        [
            ("Report shared care plans every quarter", "icb", "", D(2026, 3, 31), PROGRESS, None),
            (
                "Train hub staff in writing shared plans",
                "mh_trust",
                "trust_rep",
                D(2026, 2, 28),
                DONE,
                D(2026, 3, 10),
            ),
        ],
    ),
    (
        4,
        "Improvement notice to a provider",
        "Issue an improvement notice to a supported-housing provider.",
        "Repeated missed visits.",
        "Ending the contract at once.",
        "consensus",
        None,
        True,
        [("Send the improvement notice", "county", "council_rep", D(2025, 9, 30), DONE, D(2025, 9, 25))],
    ),
    (
        5,
        "Winter plan agreed",
        "Extra crisis-team cover from December to March, paid from the contingency.",
        "Last winter's waits.",
        "Closing the café over winter.",
        "vote",
        {
            "mh_trust": "for",
            "county": "for",
            "icb": "for",
            "mind": "for",
            "pcn_kingsford": "for",
            "pcn_coast": "against",
        },
        False,
        [
            (
                "Staff the extra crisis-team shifts",
                "mh_trust",
                "trust_rep",
                D(2025, 12, 1),
                DONE,
                D(2025, 12, 1),
            ),
            ("Review how the winter plan worked", "icb", "", D(2026, 5, 31), DROPPED, None),
        ],
    ),
    (
        6,
        "Pooled budget held flat for 2026/27",
        "The pooled fund stays at £14.2 million for 2026/27.",
        "No partner can add money this year.",
        "A 3% uplift funded by the integrated care board alone.",
        "consensus",
        None,
        False,
        [
            ("Tell the partners' finance directors", "icb", "", D(2026, 2, 13), DONE, D(2026, 2, 10)),
            (
                "Propose savings that protect the crisis service",
                "mh_trust",
                "trust_rep",
                D(2026, 6, 30),
                PROGRESS,
                None,
            ),
        ],
    ),
    (
        7,
        "The January budget decision confirmed",
        "The board confirms the decision of 22 January, which was taken "
        "without a local authority member present.",
        "The January meeting was not quorate.",
        "",
        "consensus",
        None,
        False,
        [
            (
                "Minute the confirmation in the council's records",
                "county",
                "council_rep",
                D(2026, 5, 15),
                DONE,
                D(2026, 5, 12),
            )
        ],
    ),
    (
        8,
        "Fewer out-of-area placements",
        "Halve out-of-area placements by March 2027 with two new local beds.",
        "People placed far away lose touch with family and services.",
        "Buying more beds out of area.",
        "vote",
        {"mh_trust": "for", "county": "for", "icb": "for", "mind": "for", "pcn_kingsford": "for"},
        False,
        [
            ("Open two local crisis beds", "mh_trust", "trust_rep", D(2026, 10, 31), PROGRESS, None),
            ("Report out-of-area placements every month", "icb", "", D(2026, 8, 31), OPEN, None),
        ],
    ),
    (
        9,
        "Annual report approved",
        "The annual report for 2025/26 is approved for the partners' boards.",
        "",
        "",
        "consensus",
        None,
        False,
        [
            (
                "Invite the Coastal primary care network to talk about attending",
                "mh_trust",
                "",
                D(2026, 11, 20),
                OPEN,
                None,
            ),
            ("Plan the service-user forum's review of the year", "mind", "", D(2027, 1, 31), OPEN, None),
        ],
    ),
]


def _start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


def _rep_name(membership: Any) -> str:
    reps = sorted(membership.representatives.all(), key=lambda p: p.pk)
    return reps[0].name if reps else f"Representative of {membership.organisation.name}"


def _attendance(
    demo: Any, partnership: Partnership, index: int, day: datetime.date
) -> list[services.AttendanceRow]:
    keys = {org.pk: key for key, org in demo.organisations.items()}
    rows = []
    for m in members_on(partnership_id=partnership.pk, on=day, representatives=True):
        key = keys.get(m.organisation_id, "")
        if m.role in {"associate"}:
            continue  # associates come when their items are on the agenda
        status = ATTENDANCE.get((index, key), "in_attendance" if m.role == "observer" else "present")
        name = _rep_name(m)
        if status == "substitute":
            rows.append(
                services.AttendanceRow(
                    organisation=m.organisation,
                    status=status,
                    name="Deputy director of operations",
                    substitute_for=name,
                )
            )
        else:
            rows.append(services.AttendanceRow(organisation=m.organisation, status=status, name=name))
    county = demo.organisations["county"]
    if index != INQUORATE_MEETING:
        rows.append(
            services.AttendanceRow(organisation=county, status="in_attendance", name="Pooled fund accountant")
        )
    return rows


def _person(demo: Any, key: str) -> Any:
    return demo.people.get(key) if key else None


def _meeting(demo: Any, partnership: Partnership, index: int, day: datetime.date, minutes: int) -> Meeting:
    """One held board meeting: its attendance and agenda (an item for each decision taken at it)."""
    by = demo.users["coordinator"]
    meeting = services.meeting_save(
        by=by,
        partnership=partnership,
        kind="board",
        title=f"Partnership board, {day:%B %Y}",
        start=_start(day),
        end=_start(day) + datetime.timedelta(hours=2, minutes=minutes),
        place="Northshire County Hall, Committee Room 2",
        online=index >= 4,
    )
    services.attendance_record(by=by, meeting=meeting, rows=_attendance(demo, partnership, index, day))
    services.agenda_item_save(
        by=by,
        meeting=meeting,
        number=1,
        title="Minutes and actions of the last meeting",
        note="The minutes were agreed as a true record."
        if index
        else "The board's first meeting under its new rule.",
    )
    specs = [d for d in DECISIONS if d[0] == index]
    for number, spec in enumerate(specs, start=2):
        services.agenda_item_save(
            by=by,
            meeting=meeting,
            number=number,
            title="Provider performance (commercial in confidence)" if spec[7] else spec[1],
            is_private=spec[7],
        )
    services.agenda_item_save(by=by, meeting=meeting, number=len(specs) + 2, title="Any other business")
    return meeting


def _decisions(demo: Any, meeting: Meeting, index: int) -> list[Decision]:
    """The decisions of one meeting, each on its own agenda item, with their actions moved on as they went."""
    by = demo.users["coordinator"]
    org: dict[str, Organisation] = demo.organisations
    items = list(meeting.items.order_by("number"))
    taken = []
    for item, spec in zip(items[1:], [d for d in DECISIONS if d[0] == index], strict=False):
        _, title, text, reasons, rejected, method, votes, _private, actions = spec
        declarations = (
            [(_rep_name(demo.memberships[("mh", "mind")]), "Mind would run the café")] if index == 0 else []
        )
        decision = services.decision_record(
            by=by,
            meeting=meeting,
            item=item,
            title=title,
            text=text,
            reasons=reasons,
            options_rejected=rejected,
            method=method,
            votes={org[k]: v for k, v in (votes or {}).items()},
            declarations=declarations,
            actions=[
                services.ActionSpec(
                    title=a[0], owner_organisation=org[a[1]], owner_person=_person(demo, a[2]), due=a[3]
                )
                for a in actions
            ],
        )
        for action, spec_action in zip(decision.actions.order_by("pk"), actions, strict=True):
            status, completed = spec_action[4], spec_action[5]
            if status != OPEN:
                services.action_save(by=by, action=action, status=status, completed=completed)
        taken.append(decision)
    if index == len(MEETING_DAYS) - 1:
        services.paper_add(
            by=by,
            meeting=meeting,
            title="Annual report 2025/26 (draft)",
            upload=ContentFile(  # type: ignore[arg-type]
                b"Northshire Community Mental Health Partnership: annual report 2025/26 (draft).\n",
                name="annual-report-draft.txt",
            ),
            item=items[1],
        )
    return taken


def _disputes(demo: Any, partnership: Partnership) -> list[Dispute]:
    by = demo.users["coordinator"]
    org: dict[str, Organisation] = demo.organisations
    escalated = services.dispute_save(
        by=by,
        partnership=partnership,
        topic="Who pays the crisis service's overspend",
        description="The council says the trust's overspend on agency staff should not be shared; the trust says "
        "the winter plan caused it.",
        raised_by=org["county"],
        partners=[org["county"], org["mh_trust"], org["icb"]],
        raised_on=D(2025, 10, 2),
    )
    services.dispute_save(by=by, dispute=escalated, status="resolving")
    services.dispute_save(
        by=by,
        dispute=escalated,
        status="escalated",
        closed_on=D(2026, 2, 5),
        escalation_step=(
            "Disputes clause: \u201cDisputes go first to the directors, then to the chief executives, then to "
            "mediation.\u201d The directors met on 20 November 2025 without agreeing; the dispute went to the chief "
            "executives on 5 February 2026."
        ),
    )
    resolved = services.dispute_save(
        by=by,
        partnership=partnership,
        topic="Referral thresholds between GPs and the community teams",
        description="The Kingsford network says referrals are bounced back without advice.",
        raised_by=org["pcn_kingsford"],
        partners=[org["pcn_kingsford"], org["mh_trust"]],
        raised_on=D(2025, 5, 1),
    )
    services.dispute_save(
        by=by,
        dispute=resolved,
        status="resolved",
        closed_on=D(2025, 7, 10),
        escalation_step="Settled by the directors (the first step of the disputes clause): a shared referral guide.",
    )
    return [escalated, resolved]


def extend_northshire(demo: Any) -> None:
    rng = demo.rng_for("governance")
    partnership = demo.partnerships["mh"]
    by = demo.users["coordinator"]
    services.quorum_rule_save(
        by=by,
        partnership=partnership,
        min_count=None,
        min_share_percent=50,
        constituencies=[("nhs", 1), ("local_authority", 1)],
        source=(
            "Agreed by the board in November 2024 under the agreement's governance clause: at least half the "
            "voting members, with at least one NHS member and the council."
        ),
    )
    meetings, decisions = [], []
    for index, day in enumerate(MEETING_DAYS):
        meeting = _meeting(demo, partnership, index, day, rng.choice((0, 15, 30)))
        decisions += _decisions(demo, meeting, index)
        meetings.append(meeting)
    services.meeting_save(
        by=by,
        partnership=partnership,
        kind="board",
        title=f"Partnership board, {NEXT_MEETING:%B %Y}",
        start=_start(NEXT_MEETING),
        place="Northshire County Hall, Committee Room 2",
        online=True,
    )
    demo.extra["governance"] = {
        "meetings": meetings,
        "decisions": decisions,
        "as_of": AS_OF,
        "disputes": _disputes(demo, partnership),
    }
