"""Decisions (with their votes, declarations of interest and quorum snapshot), actions and disputes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.accounts.models import User
from joinedup.core.choices import AuditVerb
from joinedup.core.services import audit_record, model_copy, model_edit
from joinedup.governance import selectors
from joinedup.governance.choices import (
    CLOSED_DISPUTE_STATUSES,
    ActionStatus,
    DecisionMethod,
    DisputeStatus,
    MeetingState,
    VoteOption,
)
from joinedup.governance.models import Action, AgendaItem, Decision, Declaration, Dispute, Meeting, Vote
from joinedup.register.models import Membership, Organisation, Partnership, Person


@dataclass(frozen=True)
class ActionSpec:
    """An action agreed with a decision."""

    title: str
    owner_organisation: Organisation
    owner_person: Person | None = None
    due: datetime.date | None = None


def _member_ids(partnership_id: int) -> set[int]:
    return set(
        Membership.objects.filter(partnership_id=partnership_id).values_list("organisation_id", flat=True)
    )


def _check_votes(
    method: str, votes: dict[Organisation, str], voting: set[int], errors: dict[str, list[str]]
) -> None:
    if method == DecisionMethod.CONSENSUS and votes:
        errors.setdefault("votes", []).append(
            "A decision by consensus has no votes: choose 'By vote' or clear them."
        )
    if method == DecisionMethod.VOTE and not votes:
        errors.setdefault("votes", []).append("Record at least one organisation's vote.")
    for org, option in votes.items():
        if org.pk not in voting:
            errors.setdefault("votes", []).append(f"{org.name} is not a voting member, so it has no vote.")
        if option not in VoteOption.values:
            errors.setdefault("votes", []).append(f"{org.name}: choose for, against or abstain.")


def _check_actions(actions: list[ActionSpec], members: set[int], errors: dict[str, list[str]]) -> None:
    for n, spec in enumerate(actions, start=1):
        if not spec.title.strip():
            errors.setdefault("actions", []).append(f"Action {n}: say what is to be done.")
        if spec.owner_organisation.pk not in members:
            errors.setdefault("actions", []).append(
                f"Action {n}: {spec.owner_organisation.name} is not a member of the partnership."
            )


def decision_record(
    *,
    by: User | None,
    meeting: Meeting,
    title: str,
    text: str,
    method: str,
    item: AgendaItem | None = None,
    reasons: str = "",
    options_rejected: str = "",
    votes: dict[Organisation, str] | None = None,
    declarations: Iterable[tuple[str, str]] = (),
    actions: Iterable[ActionSpec] = (),
) -> Decision:
    """Record a decision of a held meeting with its votes, declarations and actions, all or nothing.

    The quorum is read from the meeting's attendance now and stored with the decision (quorate yes or no, and
    why), so a later change to the rule or the attendance does not rewrite what the record said."""
    votes = dict(votes or {})
    declared = [(name.strip(), interest.strip()) for name, interest in declarations]
    wanted = list(actions)
    errors: dict[str, list[str]] = {}
    if meeting.state != MeetingState.HELD:
        errors.setdefault("__all__", []).append(
            "Record the attendance first: decisions are taken at a held meeting."
        )
    if not title.strip():
        errors["title"] = ["Give the decision a short title."]
    if not text.strip():
        errors["text"] = ["Say what was decided."]
    if method not in DecisionMethod.values:
        errors["method"] = ["Choose how it was decided."]
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = ["That agenda item belongs to another meeting."]
    voting = {
        m.organisation_id
        for m in selectors.voting_members(partnership_id=meeting.partnership_id, on=meeting.start.date())
    }
    _check_votes(method, votes, voting, errors)
    for n, (name, interest) in enumerate(declared, start=1):
        if not name or not interest:
            errors.setdefault("declarations", []).append(
                f"Declaration {n}: give both the name and the interest."
            )
    _check_actions(wanted, _member_ids(meeting.partnership_id), errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        result = selectors.meeting_quorum(meeting=meeting)
        decision = Decision.objects.create(
            meeting=meeting,
            item=item,
            title=title.strip(),
            text=text.strip(),
            reasons=reasons.strip(),
            options_rejected=options_rejected.strip(),
            method=method,
            quorate=None if result is None else result.quorate,
            quorum_reason="No quorum rule is recorded for the partnership."
            if result is None
            else result.summary,
            recorded_by=by if by is not None and by.is_authenticated else None,
        )
        Vote.objects.bulk_create(
            [Vote(decision=decision, organisation=o, option=v) for o, v in votes.items()]
        )
        Declaration.objects.bulk_create(
            [Declaration(decision=decision, name=n, interest=i) for n, i in declared]
        )
        audit_record(
            by=by,
            verb=AuditVerb.DECISION_RECORDED,
            target=decision,
            data={
                "quorate": decision.quorate,
                "method": method,
                "votes": {o.name: v for o, v in votes.items()},
                "declarations": len(declared),
            },
        )
        for spec in wanted:
            action_save(
                by=by,
                partnership=meeting.partnership,
                title=spec.title,
                owner_organisation=spec.owner_organisation,
                owner_person=spec.owner_person,
                due=spec.due,
                meeting=meeting,
                decision=decision,
            )
    return decision


class DecisionFields(TypedDict, total=False):
    title: str
    text: str
    reasons: str
    options_rejected: str


DECISION_FIELDS = frozenset(DecisionFields.__annotations__)


def decision_update(*, by: User | None, decision: Decision, **fields: Unpack[DecisionFields]) -> Decision:
    """Correct the words of a recorded decision. Its method, votes and the quorum stored with it stay as they
    were recorded; the audit event keeps the words before and after."""
    with transaction.atomic():
        row, changes = model_edit(
            Decision, decision, fields, service="decision_update", allowed=DECISION_FIELDS
        )
        errors = {f: ["This cannot be empty."] for f in ("title", "text") if not getattr(row, f).strip()}
        if errors:
            raise ValidationError(errors)
        if not changes:
            return model_copy(row, decision)
        row.save(update_fields=list(changes))
        audit_record(by=by, verb=AuditVerb.DECISION_UPDATED, target=row, data=changes)
    return model_copy(row, decision)


# ---- actions ------------------------------------------------------------------------------------------------


class ActionFields(TypedDict, total=False):
    title: str
    owner_organisation: Organisation
    owner_person: Person | None
    due: datetime.date | None
    status: str
    completed: datetime.date | None
    meeting: Meeting | None
    decision: Decision | None


ACTION_FIELDS = frozenset(ActionFields.__annotations__)


def action_save(
    *,
    by: User | None,
    partnership: Partnership | None = None,
    action: Action | None = None,
    **fields: Unpack[ActionFields],
) -> Action:
    """Add an action (partnership given) or change one. Done needs the date it was completed; any other
    status has none."""
    if (action is None) == (partnership is None):
        raise TypeError("action_save() takes a partnership for a new action, or the action to change")
    with transaction.atomic():
        row, changes = model_edit(Action, action, fields, service="action_save", allowed=ACTION_FIELDS)
        if partnership is not None:
            row.partnership = partnership
        if row.status == ActionStatus.DONE and row.completed is None:
            raise ValidationError({"completed": "Give the date the action was completed."})
        if row.status != ActionStatus.DONE and row.completed is not None:
            raise ValidationError(
                {"completed": "Only a done action has a completed date: clear it, or choose Done."}
            )
        if row.owner_organisation_id not in _member_ids(row.partnership_id):
            raise ValidationError({"owner_organisation": "Choose an organisation of the partnership."})
        if row.meeting is not None and row.meeting.partnership_id != row.partnership_id:
            raise ValidationError({"meeting": "That meeting belongs to another partnership."})
        row.full_clean()
        if action is not None and not changes:
            return model_copy(row, action)
        row.save()
        audit_record(
            by=by,
            verb=AuditVerb.ACTION_CREATED if action is None else AuditVerb.ACTION_UPDATED,
            target=row,
            data=changes,
        )
    return model_copy(row, action)


# ---- disputes -----------------------------------------------------------------------------------------------


class DisputeFields(TypedDict, total=False):
    topic: str
    description: str
    raised_by: Organisation
    status: str
    escalation_step: str
    raised_on: datetime.date
    closed_on: datetime.date | None


DISPUTE_FIELDS = frozenset(DisputeFields.__annotations__)


def dispute_save(
    *,
    by: User | None,
    partnership: Partnership | None = None,
    dispute: Dispute | None = None,
    partners: Iterable[Organisation] | None = None,
    **fields: Unpack[DisputeFields],
) -> Dispute:
    """Log a dispute or tension (partnership given) or move one on: open → being resolved → resolved or
    escalated. Escalated needs the escalation step taken; resolved and escalated need the date."""
    if (dispute is None) == (partnership is None):
        raise TypeError("dispute_save() takes a partnership for a new dispute, or the dispute to change")
    with transaction.atomic():
        row, changes = model_edit(Dispute, dispute, fields, service="dispute_save", allowed=DISPUTE_FIELDS)
        if partnership is not None:
            row.partnership = partnership
        members = _member_ids(row.partnership_id)
        errors: dict[str, list[str]] = {}
        if row.raised_by_id not in members:
            errors["raised_by"] = ["Choose an organisation of the partnership."]
        chosen = None if partners is None else list(partners)
        if chosen is not None and any(o.pk not in members for o in chosen):
            errors["partners"] = ["Choose organisations of the partnership."]
        if row.status in CLOSED_DISPUTE_STATUSES and row.closed_on is None:
            errors["closed_on"] = ["Give the date it was resolved or escalated."]
        if row.status not in CLOSED_DISPUTE_STATUSES and row.closed_on is not None:
            errors["closed_on"] = ["Only a resolved or escalated dispute has this date: clear it."]
        if row.status == DisputeStatus.ESCALATED and not row.escalation_step.strip():
            errors["escalation_step"] = ["Say which step of the disputes clause was taken."]
        if row.closed_on is not None and row.raised_on is not None and row.closed_on < row.raised_on:
            errors["closed_on"] = ["It cannot end before it was raised."]
        if errors:
            raise ValidationError(errors)
        row.full_clean()
        row.save()
        if chosen is not None:
            before = sorted(o.name for o in row.partners.all()) if dispute is not None else []
            row.partners.set(chosen)
            after = sorted(o.name for o in chosen)
            if before != after:
                changes["partners"] = [", ".join(before), ", ".join(after)]
        if dispute is None or changes:
            audit_record(
                by=by,
                verb=AuditVerb.DISPUTE_RAISED if dispute is None else AuditVerb.DISPUTE_UPDATED,
                target=row,
                data=changes,
            )
    return model_copy(row, dispute)
