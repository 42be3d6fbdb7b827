"""Drafts, optimistic locking, proposals (immutable, hashed), comments and positions."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from joinedup.agreements import selectors, services
from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.content import content_hash, content_of
from joinedup.agreements.models import AgreementVersion, Position
from joinedup.core.models import AuditEvent
from tests.agreements.helpers import CLAUSES, make_place, proposed_version, sign_all

pytestmark = pytest.mark.django_db
S = VersionStatus


def test_a_draft_starts_as_a_copy_of_the_version_in_force():
    place = make_place(2)
    first = proposed_version(place, review_interval_months=12, risk_share="proportional")
    sign_all(place, first)
    draft = services.draft_start(by=place.coordinator, agreement=first.agreement)
    assert draft.number == 2 and draft.based_on == first and draft.status == S.DRAFT
    assert [(c.kind, c.text) for c in draft.clauses.all()] == [(c["kind"], c["text"]) for c in CLAUSES]
    assert (draft.review_interval_months, draft.risk_share) == (12, "proportional")
    with pytest.raises(ValidationError, match="already a draft"):
        services.draft_start(by=place.coordinator, agreement=first.agreement)


def test_the_first_draft_is_blank():
    place = make_place(1)
    agreement = services.agreement_create(
        by=place.coordinator, partnership=place.partnership, kind="alliance", title="A"
    )
    draft = services.draft_start(by=place.coordinator, agreement=agreement)
    assert draft.number == 1 and not draft.clauses.exists() and draft.term == ""


def test_a_second_editor_gets_a_conflict_with_both_texts_and_nothing_is_lost():
    place = make_place(2)
    agreement = services.agreement_create(
        by=place.coordinator, partnership=place.partnership, kind="memorandum", title="M"
    )
    draft = services.draft_start(by=place.coordinator, agreement=agreement)
    opened = draft.lock_version
    alice, bob = place.reps[place.orgs[0].pk], place.reps[place.orgs[1].pk]
    services.draft_save(
        by=alice,
        version=draft,
        expected_lock_version=opened,
        clauses=[{"kind": "aims", "text": "Alice's aims."}],
    )
    stale = AgreementVersion.objects.get(pk=draft.pk)
    with pytest.raises(services.DraftConflict) as caught:
        services.draft_save(
            by=bob,
            version=stale,
            expected_lock_version=opened,
            clauses=[{"kind": "aims", "text": "Bob's aims."}],
            review_interval_months=18,
        )
    conflict = caught.value
    assert "Someone else saved this draft" in conflict.messages[0]
    assert [c.text for c in conflict.current.clauses] == ["Alice's aims."]
    assert [c.text for c in conflict.submitted.clauses] == ["Bob's aims."]
    assert conflict.submitted.fields["review_interval_months"] == 18
    assert conflict.saved_by == alice and conflict.current_lock_version == opened + 1
    # the draft still holds Alice's text; Bob can save again against the new lock version
    assert [c.text for c in draft.clauses.all()] == ["Alice's aims."]
    services.draft_save(
        by=bob,
        version=stale,
        expected_lock_version=conflict.current_lock_version,
        clauses=[{"kind": "aims", "text": "Alice's aims."}, {"kind": "exit", "text": "Bob's exit clause."}],
    )
    assert [c.text for c in draft.clauses.all()] == ["Alice's aims.", "Bob's exit clause."]


def test_a_proposed_version_is_immutable():
    place = make_place(1)
    version = proposed_version(place)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.draft_save(
            by=place.coordinator, version=version, expected_lock_version=version.lock_version, clauses=[]
        )
    stale_copy = AgreementVersion.objects.get(pk=version.pk)
    stale_copy.status = S.DRAFT  # a caller holding an old in-memory draft still cannot change it
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.draft_save(
            by=place.coordinator, version=stale_copy, expected_lock_version=version.lock_version, clauses=[]
        )
    assert version.clauses.count() == len(CLAUSES)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.draft_propose(by=place.coordinator, version=version)


def test_the_database_refuses_a_proposed_version_without_a_hash_and_two_in_force():
    place = make_place(1)
    version = proposed_version(place)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(content_hash="")
    sign_all(place, version)
    other = AgreementVersion.objects.create(
        agreement=version.agreement,
        number=9,
        status=S.SUPERSEDED,
        content_hash="x",
        proposed_at=version.proposed_at,
        in_force_at=version.in_force_at,
        superseded_at=version.in_force_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementVersion.objects.filter(pk=other.pk).update(status=S.IN_FORCE, superseded_at=None)


def test_the_hash_is_sha256_of_canonical_json_stable_and_changes_with_a_clause():
    place = make_place(1)
    version = proposed_version(place, review_interval_months=12)
    content = content_of(version)
    canonical = json.dumps(
        {
            "clauses": [{"kind": c["kind"], "order": i, "text": c["text"]} for i, c in enumerate(CLAUSES, 1)],
            "contributions": [],
            "fields": {
                "chair_organisation_id": None,
                "chairing": "",
                "decision_rule": "",
                "end_date": None,
                "host_organisation_id": None,
                "review_interval_months": 12,
                "risk_share": "",
                "term": "",
            },
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    assert version.content_hash == hashlib.sha256(canonical.encode()).hexdigest() == content_hash(content)
    same = proposed_version(make_place(1), review_interval_months=12)
    assert same.content_hash == version.content_hash
    changed = [dict(c) for c in CLAUSES]
    changed[1]["text"] += " Minutes are published."
    assert (
        proposed_version(make_place(1), clauses=changed, review_interval_months=12).content_hash
        != version.content_hash
    )


def test_revising_a_proposal_withdraws_it_and_starts_a_draft_from_it():
    place = make_place(1)
    version = proposed_version(place)
    draft = services.proposal_revise(by=place.coordinator, version=version, reason="Objections")
    version.refresh_from_db()
    assert version.status == S.WITHDRAWN and version.content_hash
    assert draft.based_on == version and draft.number == 2 and draft.clauses.count() == len(CLAUSES)
    assert AuditEvent.objects.filter(verb="agreement.proposal_withdrawn", target_id=str(version.pk)).exists()


def test_fields_are_validated():
    place = make_place(1)
    agreement = services.agreement_create(
        by=place.coordinator, partnership=place.partnership, kind="memorandum", title="M"
    )
    draft = services.draft_start(by=place.coordinator, agreement=agreement)
    save = lambda **kw: services.draft_save(  # noqa: E731
        by=place.coordinator, version=draft, expected_lock_version=draft.lock_version, **kw
    )
    with pytest.raises(ValidationError, match="date the agreement ends"):
        save(term="fixed_end")
    with pytest.raises(ValidationError, match="Only an agreement with a fixed term"):
        save(term="open_ended", end_date=datetime.date(2030, 1, 1))
    with pytest.raises(ValidationError, match="which partner"):
        save(chairing="fixed_partner")
    with pytest.raises(ValidationError, match="no text"):
        save(clauses=[{"kind": "aims", "text": "  "}])
    with pytest.raises(ValidationError, match="not a member"):
        save(contributions=[{"organisation_id": 999999, "kind": "money", "amount": 5}])
    with pytest.raises(ValidationError, match="at least one clause"):
        services.draft_propose(by=place.coordinator, version=draft)


def test_positions_one_per_organisation_objection_needs_a_reason():
    place = make_place(2)
    version = proposed_version(place)
    org = place.orgs[0]
    rep = place.reps[org.pk]
    with pytest.raises(ValidationError, match="objects"):
        services.position_record(by=rep, version=version, organisation=org, position="object")
    services.position_record(by=rep, version=version, organisation=org, position="support")
    services.position_record(
        by=rep, version=version, organisation=org, position="object", reason="Too costly."
    )
    assert list(Position.objects.values_list("position", "reason")) == [("object", "Too costly.")]
    with pytest.raises(PermissionDenied):
        services.position_record(
            by=place.reps[place.orgs[1].pk], version=version, organisation=org, position="abstain"
        )
    assert AuditEvent.objects.filter(verb="agreement.position_recorded").count() == 2


def test_comments_are_threaded_per_clause():
    place = make_place(2)
    version = proposed_version(place)
    risk = version.clauses.get(kind="risk_share")
    a, b = place.reps[place.orgs[0].pk], place.reps[place.orgs[1].pk]
    first = services.comment_add(by=a, version=version, clause=risk, text="Cap the share?")
    reply = services.comment_add(by=b, version=version, parent=first, text="Yes, at the contribution.")
    general = services.comment_add(by=b, version=version, text="Looks good overall.")
    threads = selectors.comment_threads(version=version)
    assert reply.clause == risk
    assert [t.comment for t in threads[risk.pk]] == [first]
    assert [r.comment for r in threads[risk.pk][0].replies] == [reply]
    assert [t.comment for t in threads[None]] == [general]
    other = proposed_version(make_place(1))
    with pytest.raises(ValidationError, match="another version"):
        services.comment_add(by=a, version=other, clause=risk, text="Wrong place.")


def _blank_draft(place):
    agreement = services.agreement_create(
        by=place.coordinator, partnership=place.partnership, kind="memorandum", title="M"
    )
    return services.draft_start(by=place.coordinator, agreement=agreement)


def test_a_draft_save_records_each_changed_field_before_and_after():
    place = make_place(1)
    draft = _blank_draft(place)
    services.draft_save(
        by=place.coordinator,
        version=draft,
        expected_lock_version=draft.lock_version,
        risk_share="proportional",
    )
    services.draft_save(
        by=place.coordinator,
        version=draft,
        expected_lock_version=draft.lock_version,
        risk_share="proportional",
        review_interval_months=12,
    )
    first, second = AuditEvent.objects.filter(verb="agreement.draft_saved").order_by("pk")
    assert first.data["changes"] == {"risk_share": ["", "proportional"]}
    assert second.data["changes"] == {"review_interval_months": ["None", "12"]}


def test_a_misspelt_draft_field_raises_and_saves_nothing():
    place = make_place(1)
    draft = _blank_draft(place)
    fields = {"risk_shares": "proportional"}
    with pytest.raises(TypeError, match="'risk_shares'"):
        services.draft_save(
            by=place.coordinator, version=draft, expected_lock_version=draft.lock_version, **fields
        )
    assert AgreementVersion.objects.get(pk=draft.pk).lock_version == draft.lock_version
    assert not AuditEvent.objects.filter(verb="agreement.draft_saved").exists()


def test_a_top_level_service_refuses_to_run_inside_another_transaction():
    """proposal_revise is durable: what it returns has been committed, so nothing may wrap it."""
    place = make_place(1)
    version = proposed_version(place)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.proposal_revise(by=place.coordinator, version=version)
    version.refresh_from_db()
    assert version.status == S.PROPOSED
