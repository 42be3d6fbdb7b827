"""The audit record is tamper-evident: every event carries its predecessor's hash, and `joinedup audit verify`
names the first broken link when an event is edited, deleted or slipped in behind JoinedUp's back (raw SQL)."""

from __future__ import annotations

import hashlib
import importlib
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from joinedup.core.audit import REGISTER_CHAIN, chains_verify, event_hash, hashed_fields
from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditChainHead, AuditEvent
from joinedup.core.services import audit_record
from tests.factories import (
    AgreementVersionFactory,
    ClauseFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
V = AuditVerb


def verify(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def record(n: int, target: Any = None, by: Any = None) -> list[AuditEvent]:
    target = target or PartnershipFactory()
    return [
        audit_record(by=by, verb=V.PARTNERSHIP_UPDATED, target=target, data={"n": i, "name": [str(i), "x"]})
        for i in range(n)
    ]


def test_events_join_the_chain_of_the_partnership_their_target_belongs_to() -> None:
    partnership = PartnershipFactory()
    membership = MembershipFactory(partnership=partnership)
    version = AgreementVersionFactory(agreement__partnership=partnership)
    clause = ClauseFactory(version=version)
    organisation = OrganisationFactory()
    chains = {
        audit_record(by=None, verb=V.PARTNERSHIP_UPDATED, target=t).chain
        for t in (partnership, membership, version, version.agreement, clause)
    }
    assert chains == {f"partnership:{partnership.pk}"}
    assert audit_record(by=None, verb=V.ORGANISATION_UPDATED, target=organisation).chain == REGISTER_CHAIN


def test_each_event_carries_the_hash_of_the_one_before_it_in_its_chain() -> None:
    user = UserFactory()
    first, second, third = record(3, by=user)
    other = audit_record(by=None, verb=V.ORGANISATION_CREATED, target=OrganisationFactory())
    assert first.prev_hash == "" and second.prev_hash == first.hash and third.prev_hash == second.hash
    assert other.prev_hash == ""  # its own chain
    stored = AuditEvent.objects.get(pk=second.pk)
    # the hash is SHA-256 of the canonical JSON of the stored fields, computed here independently
    fields = {
        "chain": stored.chain,
        "prev_hash": first.hash,
        "actor": user.email,
        "verb": "partnership.updated",
        "target_type": "register.partnership",
        "target_id": stored.target_id,
        "target_label": stored.target_label,
        "data": {"n": 1, "name": ["1", "x"]},
        "created_at": stored.created_at.isoformat(timespec="microseconds").replace("+00:00", "+00:00"),
    }
    assert hashed_fields(stored) == fields
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert stored.hash == hashlib.sha256(text.encode()).hexdigest() == event_hash(stored)
    head = AuditChainHead.objects.get(chain=stored.chain)
    assert (head.count, head.hash, head.last_event_id) == (3, third.hash, third.pk)


def test_data_that_changes_on_storage_still_verifies() -> None:
    """Integer keys and tuples come back from the JSON column as strings and lists; the hash is of that."""
    audit_record(by=None, verb=V.PARTNERSHIP_UPDATED, target=PartnershipFactory(), data={1: (1, 2), "é": 0.1})
    assert all(r.intact for r in chains_verify())


def test_intact_chains_exit_0_and_say_how_many_events() -> None:
    record(3)
    record(2)
    assert verify() == (0, "5 events, chains intact.\n", "")


def test_an_edited_event_is_named_and_exits_1() -> None:
    events = record(3)
    sql("UPDATE core_auditevent SET target_label = %s WHERE id = %s", ["Someone else", events[1].pk])
    code, _, err = verify()
    assert code == 1
    assert f"event {events[1].pk} (partnership.updated" in err
    assert "no longer matches its hash: it was changed after it was written" in err
    assert "1 of 1 audit chain broken" in err


def test_an_edited_event_whose_hash_was_recomputed_breaks_the_next_link() -> None:
    events = record(3)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.data = {"n": 99}
    sql(
        "UPDATE core_auditevent SET data = %s, hash = %s WHERE id = %s",
        [json.dumps(forged.data), event_hash(forged), forged.pk],
    )
    code, _, err = verify()
    assert code == 1
    assert f"event {events[2].pk} (partnership.updated" in err and "was not written straight after" in err


def test_a_deleted_event_is_found() -> None:
    events = record(4)
    sql("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    code, _, err = verify()
    assert code == 1
    assert f"event {events[2].pk}" in err and f"after event {events[0].pk}" in err
    assert "missing (deleted)" in err


def test_deleting_the_newest_events_is_found_too() -> None:
    events = record(3)
    sql("DELETE FROM core_auditevent WHERE id >= %s", [events[1].pk])
    code, _, err = verify()
    assert code == 1
    assert "JoinedUp recorded 3 event(s)" in err and "2 event(s) at its end are missing (deleted)" in err


def test_deleting_a_whole_chain_is_found() -> None:
    record(2)
    AuditEvent.objects.all().delete()
    code, _, err = verify()
    assert code == 1 and "the chain ends at no event" in err


@pytest.mark.parametrize("follows", [0, 1], ids=["forking-the-chain", "with-a-correct-link-and-hash"])
def test_an_inserted_event_is_found(follows: int) -> None:
    events = record(2)
    forged = AuditEvent(
        verb="partnership.updated",
        target_type="register.partnership",
        target_id=events[0].target_id,
        target_label="Forged",
        chain=events[0].chain,
        prev_hash=events[follows].hash,
        created_at=events[1].created_at,
    )
    forged.hash = event_hash(forged)
    sql(
        "INSERT INTO core_auditevent (actor_label, verb, target_type, target_id, target_label, data, created_at,"
        " chain, prev_hash, hash) VALUES ('', %s, %s, %s, %s, '{}', %s, %s, %s, %s)",
        [
            forged.verb,
            forged.target_type,
            forged.target_id,
            forged.target_label,
            forged.created_at,
            forged.chain,
            forged.prev_hash,
            forged.hash,
        ],
    )
    inserted = AuditEvent.objects.get(target_label="Forged")
    code, _, err = verify()
    assert code == 1
    assert f"event {inserted.pk} (partnership.updated" in err
    if follows == 1:  # only the head says it is not JoinedUp's
        assert f"JoinedUp recorded 2 event(s) ending with event {events[1].pk}" in err
        assert "an event was added at its end by going around JoinedUp" in err
    else:
        assert "was added to the record by going around JoinedUp" in err


def test_one_partnership_can_be_checked_alone() -> None:
    good, bad = PartnershipFactory(), PartnershipFactory()
    record(2, target=good)
    events = record(2, target=bad)
    sql("UPDATE core_auditevent SET verb = %s WHERE id = %s", ["partnership.created", events[0].pk])
    assert verify("--partnership", str(good.pk)) == (0, "2 events, chains intact.\n", "")
    assert verify("--partnership", good.name)[0] == 0
    code, _, err = verify("--partnership", str(bad.pk))
    assert code == 1 and f"Chain partnership:{bad.pk} ({bad.name}): event {events[0].pk}" in err
    assert verify("--register")[0] == 0


def test_an_unknown_partnership_is_a_plain_error() -> None:
    code, _, err = verify("--partnership", "999999")
    assert code == 2 and "No partnership has the number or name '999999'" in err


def test_the_migration_chains_the_events_already_stored() -> None:
    """Events written before the chains existed (no chain, no hashes) are linked in the order written."""
    from django.apps import apps

    migration = importlib.import_module("joinedup.core.migrations.0005_audit_hash_chain")
    partnership, organisation = PartnershipFactory(), OrganisationFactory()
    version = AgreementVersionFactory(agreement__partnership=partnership)
    user = UserFactory(email="early@example.org")
    old = [
        AuditEvent(
            actor=user, verb=v, target_type=t._meta.label_lower, target_id=str(t.pk), target_label=str(t)
        )
        for v, t in [
            (V.PARTNERSHIP_CREATED, partnership),
            (V.ORGANISATION_CREATED, organisation),
            (V.AGREEMENT_DRAFT_STARTED, version),
        ]
    ]
    old.append(AuditEvent(verb=V.PERSON_CREATED, target_type="register.person", target_id="999999"))  # gone
    AuditEvent.objects.bulk_create(old)
    migration.chain_existing(apps, None)
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.chain for e in events] == [
        f"partnership:{partnership.pk}",
        "register",
        f"partnership:{partnership.pk}",
        "register",
    ]
    assert events[2].prev_hash == events[0].hash and events[3].prev_hash == events[1].hash
    assert events[0].actor_label == "early@example.org"
    assert verify() == (0, "4 events, chains intact.\n", "")
