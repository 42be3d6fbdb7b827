"""The pack's sections about how the partnership works together (its agreement, governance, flags and the
integration ladder, and a partner's own part), from the health page's picture alone: no queries here."""

from __future__ import annotations

from typing import Any

from joinedup.reports.pack import Section, Table

DIRECTIONS = {"start": "Started", "deeper": "Moved deeper"}


def _date_words(day: Any) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _member(health: dict[str, Any], key: str) -> Any:
    return next((m for m in health["snapshot"].members if m.key == key), None)


def organisation_section(health: dict[str, Any], organisation: Any, key: str, membership: Any) -> Section:
    """A partner's own part: its representatives, contributions, signatures, attendance, actions, indicators."""
    s = health["snapshot"]
    section = Section("organisation", f"{organisation.name} in this partnership")
    people = [p.name for p in membership.representatives.all()] if membership is not None else []
    unnamed = getattr(membership, "representatives_unnamed", 0) if membership is not None else 0
    reps = Table(
        "Representatives",
        "Representatives",
        "The people who represent the organisation in the partnership now.",
        ["Representative"],
        [[name] for name in people],
    )
    if unnamed:
        section.paragraphs.append(
            f"{unnamed} more representative{'s are' if unnamed != 1 else ' is'} not named here (service users "
            "and carers are named only to the partnership's coordinators)."
        )
    signatures = Table(
        "Signatures",
        "Signatures on the agreements in force",
        "Whether the organisation has signed the version of each agreement now in force.",
        ["Agreement", "Signed by this organisation"],
        [[a.title, "No" if key in a.unsigned else "Yes"] for a in s.agreements if a.in_force],
    )
    contributions = Table(
        "Contributions",
        "Contributions under the agreements in force",
        "The money the organisation puts in under each agreement, and its share of everything put in.",
        ["Agreement", "Amount (£)", "Share of all contributions (%)"],
    )
    for a in s.agreements:
        if a.in_force and key in a.contributions:
            total = sum(a.contributions.values())
            share = round(100 * a.contributions[key] / total) if total else None
            contributions.rows.append([a.title, a.contributions[key], share])
    row = next((r for r in health["attendance"] if r.url == getattr(_member(health, key), "url", None)), None)
    if row is not None and row.of:
        section.paragraphs.append(
            f"Someone attended for {organisation.name} at {row.present} of the last {row.of} meetings held."
        )
    actions = _actions_table([a for a in s.actions if a.owner == organisation.name and not a.done], health)
    actions.key, actions.title = "Its actions", "Its open actions"
    owned = [i for i in health["indicators"] if i["owner"] == organisation.name]
    section.bullets = [f"It owns the indicator {i['title']}." for i in owned]
    section.tables = [reps, signatures, contributions, actions]
    return section


def agreement_section(health: dict[str, Any], key: str | None) -> Section:
    section = Section("agreement", "Agreement")
    table = Table(
        "Agreements",
        "Agreements",
        "Each agreement: whether a version is in force, who has not signed it, and when its review is due.",
        ["Agreement", "In force", "Not signed by", "Review due", "Review overdue", "Reads as a contract"],
    )
    for a in health["agreements"]:
        table.rows.append(
            [
                a["title"],
                "Yes" if a["in_force"] else "No",
                "; ".join(a["unsigned"]) or ("Every current member signed" if a["in_force"] else None),
                a["review_due"],
                "Yes" if a["review_overdue"] else "No",
                "Yes" if a["contract_like"] else "No",
            ]
        )
        if a["waiting_since"]:
            section.paragraphs.append(
                f"A proposed new version of {a['title']} has waited for signatures since "
                f"{_date_words(a['waiting_since'])}."
            )
        if a["contract_like"]:
            section.paragraphs.append(
                f"{a['title']} reads as contract-like: {len(a['criteria_not_met'])} of the five partnership "
                f"criteria are not met ({'; '.join(a['criteria_not_met'])})."
            )
    if not table.rows:
        section.paragraphs.append("No agreement is recorded.")
    section.tables.append(table)
    return section


def _actions_table(actions: list[Any], health: dict[str, Any]) -> Table:
    today = health["snapshot"].today
    return Table(
        "Actions",
        "Open actions",
        "Actions not yet done, with their owner and due date; overdue ones are past that date.",
        ["Action", "Owner", "Due", "Overdue"],
        [
            [a.title, a.owner, a.due, "Yes" if a.due is not None and a.due < today else "No"]
            for a in sorted(actions, key=lambda a: (a.due is None, a.due or today, a.title))
        ],
    )


def governance_section(health: dict[str, Any], key: str | None) -> Section:
    s = health["snapshot"]
    section = Section("governance", "Governance: attendance, actions and disputes")
    counted = health["meetings_counted"]
    attendance = Table(
        "Attendance",
        "Attendance",
        f"Of the last {counted} meetings held, at how many someone attended for each member (in person, "
        "online or as a substitute).",
        ["Member", "Meetings attended", "Meetings counted"],
        [[r.name, r.present, r.of] for r in health["attendance"]],
    )
    if not counted:
        section.paragraphs.append("No meeting has been held yet.")
    open_actions = [a for a in s.actions if not a.done]
    section.paragraphs.append(
        f"{health['open_actions']} action{'s are' if health['open_actions'] != 1 else ' is'} open, of which "
        f"{health['overdue_actions']} {'are' if health['overdue_actions'] != 1 else 'is'} past the due date."
    )
    disputes = Table(
        "Disputes",
        "Disputes open, being resolved or escalated",
        "Each dispute not yet resolved, with the day it was raised.",
        ["Dispute", "Status", "Raised"],
        [[d.topic, d.status, d.raised] for d in health["open_disputes"]],
    )
    inquorate = [d for d in s.decisions if not d.quorate]
    decisions = Table(
        "Inquorate decisions",
        "Decisions recorded while the meeting was not quorate",
        "Decisions taken at a meeting that did not have enough members present to decide.",
        ["Decision", "Date"],
        [[d.title, d.date] for d in inquorate],
    )
    section.tables = [attendance, _actions_table(open_actions, health), disputes, decisions]
    return section


def flags_section(health: dict[str, Any]) -> Section:
    section = Section(
        "flags",
        "Warning flags",
        paragraphs=[
            "Flags come from what the literature on partnerships says goes wrong. Each is a prompt to look, "
            "with the evidence behind it and a suggested next step; they are never added up into a score. "
            f"{len(health['flags'])} flag{'s are' if len(health['flags']) != 1 else ' is'} raised "
            f"({health['counts']['critical']} critical, {health['counts']['warning']} warning, "
            f"{health['counts']['info']} for information)."
        ],
    )
    table = Table(
        "Flags",
        "Warning flags, most severe first",
        "Each flag raised, how serious it is, the evidence, what to do and why it matters.",
        ["Severity", "Flag", "Evidence", "What to do", "Why this matters"],
    )
    for f in health["flags"]:
        evidence = "; ".join(r["title"] + (f": {r['words']}" if r["words"] else "") for r in f["rows"])
        table.rows.append([f["severity_words"], f["title"], evidence, f["action"], f["source"]])
    section.tables.append(table)
    return section


def ladder_section(health: dict[str, Any]) -> Section:
    ladder = health["ladder"]
    section = Section(
        "ladder",
        "Integration ladder: how deep the joint working goes",
        paragraphs=[
            f"From the records, the partnership is at {ladder.get('step', 'an unknown step')}"
            + (f" ({ladder['coarse']})" if ladder.get("coarse") not in (None, ladder.get("step")) else "")
            + f". {ladder.get('meaning', '')}",
            "Because: " + "; ".join(ladder.get("reasons", [])) + ".",
            str(ladder.get("question", "")),
        ],
    )
    section.bullets = [
        f"{s['step'][:1].upper()}{s['step'][1:]}{' (here)' if s.get('here') else ''}: {s['meaning']}"
        for s in ladder.get("steps", [])
    ]
    section.tables.append(
        Table(
            "Journey",
            "The journey so far",
            "Each change of step, from the dates each agreement version was in force.",
            ["Date", "Change", "Step", "Because"],
            [
                [
                    m["date"],
                    DIRECTIONS.get(m["direction"], "Moved back"),
                    m["step"],
                    "; ".join(m.get("reasons", [])),
                ]
                for m in ladder.get("journey", [])
            ],
        )
    )
    return section
