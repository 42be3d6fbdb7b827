"""Writes for the governance record. Keyword-only, the acting user as `by=`, one transaction and an audit event
each; a change made of many rows (attendance, a decision with its votes, declarations and actions) is saved all
or nothing, and a problem names the field or the row.

Not durable: the demo builds its board's record through them inside its one transaction.
"""

from joinedup.governance.services.decisions import (
    ActionSpec,
    action_save,
    decision_record,
    decision_update,
    dispute_save,
)
from joinedup.governance.services.meetings import (
    AttendanceRow,
    agenda_item_save,
    attendance_record,
    meeting_save,
    paper_add,
    quorum_rule_save,
)

__all__ = [
    "ActionSpec",
    "AttendanceRow",
    "action_save",
    "agenda_item_save",
    "attendance_record",
    "decision_record",
    "decision_update",
    "dispute_save",
    "meeting_save",
    "paper_add",
    "quorum_rule_save",
]
