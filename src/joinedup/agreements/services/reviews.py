"""Recording a review of an agreement; "revise" opens a draft, "end" ends the agreement."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.accounts.models import User
from joinedup.agreements.choices import ReviewOutcome, VersionStatus
from joinedup.agreements.models import Agreement, AgreementReview
from joinedup.agreements.services.negotiation import draft_start
from joinedup.core.choices import AuditVerb
from joinedup.core.services import audit_record
from joinedup.register.models import Person

S = VersionStatus


def review_record(
    *,
    by: User | None,
    agreement: Agreement,
    date: datetime.date,
    outcome: str,
    notes: str = "",
    participants: Iterable[Person] = (),
    participants_text: str = "",
) -> AgreementReview:
    """Record a review of the version in force. "revise" starts a draft from it (or links the draft
    already open); "end" marks the agreement ended on the review date."""
    with transaction.atomic():
        if outcome not in ReviewOutcome.values:
            raise ValidationError({"outcome": "Choose continue, revise or end."})
        if agreement.ended is not None:
            raise ValidationError("This agreement has already ended.")
        in_force = agreement.versions.filter(status=S.IN_FORCE).first()
        review = AgreementReview.objects.create(
            agreement=agreement,
            version=in_force,
            date=date,
            outcome=outcome,
            notes=notes.strip(),
            participants_text=participants_text.strip(),
            recorded_by=by,
        )
        people = list(participants)
        if people:
            review.participants.set(people)
        if outcome == ReviewOutcome.REVISE:
            open_change = agreement.versions.filter(status__in=[S.DRAFT, S.PROPOSED]).first()
            review.draft = open_change or draft_start(by=by, agreement=agreement)
            review.save(update_fields=["draft"])
        elif outcome == ReviewOutcome.END:
            agreement.ended = date
            agreement.save(update_fields=["ended"])
        audit_record(
            by=by,
            verb=AuditVerb.AGREEMENT_REVIEWED,
            target=agreement,
            data={
                "date": date.isoformat(),
                "outcome": outcome,
                "version": in_force.number if in_force else None,
                "draft": review.draft.number if review.draft else None,
            },
        )
    return review
