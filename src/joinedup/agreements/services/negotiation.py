"""Agreements, drafts (optimistic locking), proposals, comments and positions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.agreements.choices import (
    AgreementKind,
    Chairing,
    ClauseKind,
    ContributionKind,
    DecisionRule,
    PositionKind,
    RiskShare,
    Section75Kind,
    Term,
    VersionStatus,
)
from joinedup.agreements.content import (
    FIELD_NAMES,
    ClauseData,
    ContributionData,
    VersionContent,
    content_hash,
    content_of,
    fields_of,
)
from joinedup.agreements.models import (
    Agreement,
    AgreementVersion,
    Clause,
    Comment,
    Contribution,
    Position,
)
from joinedup.agreements.selectors import signing_party_ids
from joinedup.core.choices import AuditVerb
from joinedup.core.permissions import Permission, has_permission
from joinedup.core.services import audit_record
from joinedup.register.models import Membership, Organisation, Partnership

S = VersionStatus
IMMUTABLE_MESSAGE = (
    "This version has been proposed and can no longer be changed. To change it, withdraw the proposal "
    "and start a new draft from it."
)
CONFLICT_MESSAGE = (
    "Someone else saved this draft while you were editing it. Their version is shown, and your text has "
    "been kept so you can combine the two and save again."
)
_CHOICES: dict[str, Any] = {
    "term": Term,
    "decision_rule": DecisionRule,
    "chairing": Chairing,
    "risk_share": RiskShare,
}


class DraftFields(TypedDict, total=False):
    """The structured fields draft_save may set (FIELD_NAMES; an organisation as the row or its id)."""

    term: str
    end_date: datetime.date | None
    review_interval_months: int | None
    decision_rule: str
    chairing: str
    chair_organisation: Organisation | None
    chair_organisation_id: int | None
    host_organisation: Organisation | None
    host_organisation_id: int | None
    risk_share: str


class DraftConflict(ValidationError):
    """A draft was saved by someone else since `expected_lock_version`. Carries both texts: nothing is lost.

    `current` is the draft as it now stands (with `current_lock_version`, to save against next);
    `submitted` is what this editor tried to save (clauses/contributions left unchanged are empty).
    """

    def __init__(
        self,
        *,
        current: VersionContent,
        current_lock_version: int,
        submitted: VersionContent,
        saved_by: User | None,
        saved_at: datetime.datetime | None,
    ) -> None:
        super().__init__(CONFLICT_MESSAGE, code="draft_conflict")
        self.current = current
        self.current_lock_version = current_lock_version
        self.submitted = submitted
        self.saved_by = saved_by
        self.saved_at = saved_at


def agreement_create(
    *, by: User | None, partnership: Partnership, kind: str, title: str, section75_kind: str = ""
) -> Agreement:
    with transaction.atomic():
        if kind not in AgreementKind.values:
            raise ValidationError({"kind": "Choose a kind of agreement."})
        if section75_kind and (
            kind != AgreementKind.SECTION_75 or section75_kind not in Section75Kind.values
        ):
            raise ValidationError(
                {"section75_kind": "Only a section 75 agreement has a section 75 arrangement."}
            )
        agreement = Agreement(
            partnership=partnership,
            kind=kind,
            section75_kind=section75_kind,
            title=title.strip(),
            created_by=by,
        )
        agreement.full_clean()
        agreement.save()
        audit_record(by=by, verb=AuditVerb.AGREEMENT_CREATED, target=agreement, data={"kind": kind})
    return agreement


def _open_change(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.filter(status__in=[S.DRAFT, S.PROPOSED]).first()


def _write_clauses(version: AgreementVersion, clauses: Iterable[Any]) -> None:
    """Add clause rows to a version from anything with kind, order and text (Clause rows or ClauseData)."""
    Clause.objects.bulk_create(
        Clause(version=version, kind=c.kind, order=c.order, text=c.text) for c in clauses
    )


def _write_contributions(version: AgreementVersion, contributions: Iterable[Any]) -> None:
    """Add contribution rows to a version from Contribution rows or ContributionData."""
    Contribution.objects.bulk_create(
        Contribution(
            version=version,
            organisation_id=c.organisation_id,
            kind=c.kind,
            amount=c.amount,
            unit=c.unit,
            period=c.period,
            description=c.description,
        )
        for c in contributions
    )


def draft_start(
    *, by: User | None, agreement: Agreement, from_version: AgreementVersion | None = None
) -> AgreementVersion:
    """A new draft: a copy of `from_version`, else of the version in force, else blank."""
    with transaction.atomic():
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()  # serialise numbering
        if agreement.ended is not None:
            raise ValidationError("This agreement has ended; it cannot be revised.")
        open_change = _open_change(agreement)
        if open_change is not None:
            raise ValidationError(
                f"There is already a draft or proposal (version {open_change.number}, "
                f"{open_change.get_status_display().lower()}). Finish or withdraw it before starting another."
            )
        source = from_version or agreement.versions.filter(status=S.IN_FORCE).first()
        if source is not None and source.agreement_id != agreement.pk:
            raise ValidationError("That version belongs to another agreement.")
        number = (agreement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = AgreementVersion(
            agreement=agreement, number=number, based_on=source, created_by=by, updated_by=by
        )
        if source is not None:
            for name, value in fields_of(source).items():
                setattr(draft, name, value)
        draft.save()
        if source is not None:
            _write_clauses(draft, source.clauses.all())
            _write_contributions(draft, source.contributions.all())
        audit_record(
            by=by,
            verb=AuditVerb.AGREEMENT_DRAFT_STARTED,
            target=draft,
            data={"based_on": source.number if source else None},
        )
    return draft


def _clean_clauses(clauses: Iterable[ClauseData | Mapping[str, Any]]) -> list[ClauseData]:
    cleaned = []
    for i, c in enumerate(clauses, start=1):
        kind, text = (c.kind, c.text) if isinstance(c, ClauseData) else (c.get("kind", ""), c.get("text", ""))
        if kind not in ClauseKind.values:
            raise ValidationError({"clauses": f"Clause {i}: choose a kind of clause."})
        if not str(text).strip():
            raise ValidationError({"clauses": f"Clause {i} ({ClauseKind(kind).label}) has no text."})
        cleaned.append(ClauseData(kind=kind, text=str(text).strip(), order=i))
    return cleaned


def _clean_contributions(
    partnership: Partnership, contributions: Iterable[ContributionData | Mapping[str, Any]]
) -> list[ContributionData]:
    cleaned = []
    for i, c in enumerate(contributions, start=1):
        if isinstance(c, ContributionData):
            item = c
        else:
            org = c.get("organisation")
            org_id = c.get("organisation_id") or getattr(org, "pk", org)
            amount = c.get("amount")
            item = ContributionData(
                organisation_id=int(org_id) if org_id is not None else 0,
                kind=c.get("kind", ""),
                amount=None if amount in (None, "") else amount,
                unit=c.get("unit", ""),
                period=c.get("period", ""),
                description=c.get("description", ""),
            )
        if item.kind not in ContributionKind.values:
            raise ValidationError({"contributions": f"Contribution {i}: choose a kind of contribution."})
        if item.amount is not None and item.amount < 0:
            raise ValidationError({"contributions": f"Contribution {i}: the amount cannot be negative."})
        cleaned.append(item)
    members = set(
        Membership.objects.filter(partnership=partnership).values_list("organisation_id", flat=True)
    )
    for i, item in enumerate(cleaned, start=1):
        if item.organisation_id not in members:
            raise ValidationError({"contributions": f"Contribution {i}: the partner is not a member."})
    return cleaned


def _clean_fields(fields: Mapping[str, Any], version: AgreementVersion) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("chair_organisation", "host_organisation"):
            name, value = f"{name}_id", getattr(value, "pk", value)
        if name not in FIELD_NAMES:
            raise TypeError(f"draft_save() got an unexpected field {name!r}")
        if name in _CHOICES and value not in ("", None, *_CHOICES[name].values):
            raise ValidationError({name: "Choose one of the options."})
        if name in _CHOICES:
            value = value or ""
        cleaned[name] = value
    merged = {**fields_of(version), **cleaned}
    if merged["end_date"] is not None and merged["term"] != Term.FIXED_END:
        raise ValidationError({"end_date": "Only an agreement with a fixed term has an end date."})
    if merged["term"] == Term.FIXED_END and merged["end_date"] is None:
        raise ValidationError({"end_date": "Give the date the agreement ends."})
    interval = merged["review_interval_months"]
    if interval is not None and not 1 <= int(interval) <= 120:
        raise ValidationError({"review_interval_months": "Give a review interval between 1 and 120 months."})
    if merged["chairing"] == Chairing.FIXED_PARTNER and merged["chair_organisation_id"] is None:
        raise ValidationError({"chair_organisation": "Say which partner always chairs."})
    return cleaned


def draft_save(
    *,
    by: User | None,
    version: AgreementVersion,
    expected_lock_version: int,
    clauses: Iterable[ClauseData | Mapping[str, Any]] | None = None,
    contributions: Iterable[ContributionData | Mapping[str, Any]] | None = None,
    **fields: Unpack[DraftFields],
) -> AgreementVersion:
    """Save a draft if nobody saved it since `expected_lock_version`; else raise DraftConflict.

    `clauses` / `contributions` replace the whole list when given (None: unchanged); `fields` are the
    structured fields (term, end_date, review_interval_months, decision_rule, chairing,
    chair_organisation, host_organisation, risk_share). The check-and-bump is one UPDATE ... WHERE
    lock_version = expected, so two saves at once cannot both win. A field it does not know raises
    TypeError. The audit event records each changed field as [before, after], "before" read from the
    stored draft at `expected_lock_version`.
    """
    if version.status != S.DRAFT:
        raise ValidationError(IMMUTABLE_MESSAGE, code="immutable")
    partnership = version.agreement.partnership
    clean_clauses = None if clauses is None else _clean_clauses(clauses)
    clean_contributions = None if contributions is None else _clean_contributions(partnership, contributions)
    clean_fields = _clean_fields(fields, version)
    with transaction.atomic():
        at_expected = AgreementVersion.objects.filter(
            pk=version.pk, status=S.DRAFT, lock_version=expected_lock_version
        )
        # Every save bumps lock_version, so the draft read at the expected version is the one updated below.
        before = at_expected.values(*clean_fields).first() or {}
        updated = at_expected.update(
            lock_version=F("lock_version") + 1, updated_at=timezone.now(), updated_by=by, **clean_fields
        )
        if not updated:
            current = AgreementVersion.objects.select_related("updated_by").get(pk=version.pk)
            if current.status != S.DRAFT:
                raise ValidationError(IMMUTABLE_MESSAGE, code="immutable")
            raise DraftConflict(
                current=content_of(current),
                current_lock_version=current.lock_version,
                submitted=VersionContent(
                    clauses=tuple(clean_clauses or ()),
                    fields={**fields_of(version), **clean_fields},
                    contributions=tuple(clean_contributions or ()),
                ),
                saved_by=current.updated_by,
                saved_at=current.updated_at,
            )
        if clean_clauses is not None:
            version.clauses.all().delete()
            _write_clauses(version, clean_clauses)
        if clean_contributions is not None:
            version.contributions.all().delete()
            _write_contributions(version, clean_contributions)
        version.refresh_from_db()
        audit_record(
            by=by,
            verb=AuditVerb.AGREEMENT_DRAFT_SAVED,
            target=version,
            data={
                "lock_version": version.lock_version,
                "fields": sorted(clean_fields),
                "changes": {
                    name: [str(before.get(name)), str(value)]
                    for name, value in clean_fields.items()
                    if before.get(name) != value
                },
            },
        )
    return version


def draft_propose(
    *, by: User | None, version: AgreementVersion, expected_lock_version: int | None = None
) -> AgreementVersion:
    """Freeze a draft as a proposal: from now on it is immutable and carries its content hash."""
    with transaction.atomic():
        current = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        if current.status != S.DRAFT:
            raise ValidationError("Only a draft can be proposed.")
        if expected_lock_version is not None and current.lock_version != expected_lock_version:
            raise ValidationError(
                "Someone saved this draft after you opened it. Check their changes, then propose it again."
            )
        if not current.clauses.exists():
            raise ValidationError("Add at least one clause before proposing the draft.")
        digest = content_hash(content_of(current))
        current.status, current.content_hash = S.PROPOSED, digest
        current.proposed_at, current.proposed_by = timezone.now(), by
        current.save(update_fields=["status", "content_hash", "proposed_at", "proposed_by", "updated_at"])
        audit_record(by=by, verb=AuditVerb.AGREEMENT_PROPOSED, target=current, data={"content_hash": digest})
    version.refresh_from_db()
    return version


def proposal_withdraw(*, by: User | None, version: AgreementVersion, reason: str = "") -> AgreementVersion:
    with transaction.atomic():
        current = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        if current.status != S.PROPOSED:
            raise ValidationError("Only a proposed version can be withdrawn.")
        current.status = S.WITHDRAWN
        current.save(update_fields=["status", "updated_at"])
        audit_record(
            by=by, verb=AuditVerb.AGREEMENT_PROPOSAL_WITHDRAWN, target=current, data={"reason": reason}
        )
    version.refresh_from_db()
    return version


def proposal_revise(*, by: User | None, version: AgreementVersion, reason: str = "") -> AgreementVersion:
    """Withdraw a proposal and start a new draft from it, in one transaction; returns the draft."""
    with transaction.atomic(durable=True):
        proposal_withdraw(by=by, version=version, reason=reason)
        return draft_start(by=by, agreement=version.agreement, from_version=version)


def comment_add(
    *,
    by: User,
    version: AgreementVersion,
    text: str,
    clause: Clause | None = None,
    parent: Comment | None = None,
    organisation: Any = None,
) -> Comment:
    """A comment on a draft or proposal, on one clause (or the whole version), optionally a reply."""
    with transaction.atomic():
        if version.status not in (S.DRAFT, S.PROPOSED):
            raise ValidationError("Comments are open only while a version is a draft or proposed.")
        if not text.strip():
            raise ValidationError({"text": "Write your comment."})
        if parent is not None:
            if parent.version_id != version.pk:
                raise ValidationError("That comment belongs to another version.")
            clause = clause or parent.clause
        if clause is not None and clause.version_id != version.pk:
            raise ValidationError({"clause": "That clause belongs to another version."})
        comment = Comment.objects.create(
            version=version,
            clause=clause,
            parent=parent,
            author=by,
            organisation=organisation,
            text=text.strip(),
        )
        audit_record(
            by=by,
            verb=AuditVerb.AGREEMENT_COMMENTED,
            target=version,
            data={"comment": comment.pk, "clause": clause.pk if clause else None},
        )
    return comment


def position_record(
    *, by: User, version: AgreementVersion, organisation: Any, position: str, reason: str = ""
) -> Position:
    """Record an organisation's position on a proposal; a second record replaces the first."""
    with transaction.atomic():
        partnership = version.agreement.partnership
        if version.status != S.PROPOSED:
            raise ValidationError("Positions are recorded on a proposed version.")
        if position not in PositionKind.values:
            raise ValidationError({"position": "Choose support, object or abstain."})
        if position == PositionKind.OBJECT and not reason.strip():
            raise ValidationError({"reason": "Say why your organisation objects."})
        if not has_permission(by, Permission.ORGANISATION_REPRESENT, partnership, organisation):
            raise PermissionDenied(f"You do not represent {organisation} in this partnership.")
        if organisation.pk not in signing_party_ids(partnership=partnership):
            raise ValidationError(f"{organisation} is not a current member of the partnership.")
        record, _ = Position.objects.update_or_create(
            version=version,
            organisation=organisation,
            defaults={
                "user": by,
                "position": position,
                "reason": reason.strip(),
                "recorded_at": timezone.now(),
            },
        )
        audit_record(
            by=by,
            verb=AuditVerb.AGREEMENT_POSITION_RECORDED,
            target=version,
            data={"organisation": organisation.pk, "position": position, "reason": reason.strip()},
        )
    return record
