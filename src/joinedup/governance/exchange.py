"""The board's record in the JSON export (core.exchange_spec): the quorum rule, meetings with their agenda items
(whose notes are the minutes), attendance and decisions (with votes and declarations of interest), actions
and disputes. Not exported: meeting papers (uploaded files; `joinedup backup` keeps them)."""

from __future__ import annotations

from joinedup.core.exchange_spec import Table
from joinedup.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Dispute,
    Meeting,
    QuorumRule,
    Vote,
)

quorum_rules = Table(
    name="quorum_rules",
    model=QuorumRule,
    fields=("min_count", "min_share_percent", "constituencies", "source", "updated_at"),
)
items = Table(
    name="items",
    model=AgendaItem,
    parent="meeting",
    key="governance.agenda_item",
    fields=("number", "title", "is_private", "note"),
)
attendance = Table(
    name="attendance",
    model=Attendance,
    parent="meeting",
    fields=("name", "status", "substitute_for"),
    refs={"organisation": "organisation", "person": "person"},
)
votes = Table(
    name="votes", model=Vote, parent="decision", fields=("option",), refs={"organisation": "organisation"}
)
declarations = Table(name="declarations", model=Declaration, parent="decision", fields=("name", "interest"))
decisions = Table(
    name="decisions",
    model=Decision,
    parent="meeting",
    key="governance.decision",
    fields=(
        "title",
        "text",
        "reasons",
        "options_rejected",
        "method",
        "quorate",
        "quorum_reason",
        "recorded_at",
    ),
    refs={"item": "governance.agenda_item", "recorded_by": "user"},
    children=(votes, declarations),
)
meetings = Table(
    name="meetings",
    model=Meeting,
    key="governance.meeting",
    fields=("kind", "state", "title", "start", "end", "place", "online", "created_at", "updated_at"),
    children=(items, attendance, decisions),
)
actions = Table(
    name="actions",
    model=Action,
    key="governance.action",
    fields=("title", "due", "status", "completed", "created_at"),
    refs={
        "meeting": "governance.meeting",
        "decision": "governance.decision",
        "owner_organisation": "organisation",
        "owner_person": "person",
    },
)
disputes = Table(
    name="disputes",
    model=Dispute,
    fields=("topic", "description", "status", "escalation_step", "raised_on", "closed_on"),
    refs={"raised_by": "organisation"},
    many={"partners": "organisation"},
)

TABLES = (quorum_rules, meetings, actions, disputes)
