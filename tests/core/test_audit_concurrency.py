"""Real threads on PostgreSQL: writers appending to the same audit chain at once keep one valid chain."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from joinedup.core.audit import chains_verify, partnership_chain
from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditChainHead, AuditEvent
from joinedup.core.services import audit_record
from tests.agreements.test_concurrency import run_together
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WRITERS, EACH = 8, 5


def test_concurrent_writers_keep_one_chain_per_partnership() -> None:
    partnership = PartnershipFactory()
    targets: list[Any] = [MembershipFactory(partnership=partnership) for _ in range(WRITERS)]

    def writer(target: Any) -> Any:
        def write() -> int:
            for i in range(EACH):
                with transaction.atomic():
                    audit_record(by=None, verb=AuditVerb.MEMBERSHIP_UPDATED, target=target, data={"i": i})
                    # a second chain in the same transactions, so both heads are contended
                    audit_record(by=None, verb=AuditVerb.ORGANISATION_UPDATED, target=target.organisation)
            return EACH

        return write

    results = run_together([writer(t) for t in targets])
    assert results == [EACH] * WRITERS, results
    chain = partnership_chain(partnership.pk)
    events = list(AuditEvent.objects.filter(chain=chain).order_by("pk"))
    assert len(events) == WRITERS * EACH
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]  # one line, no forks
    assert len({e.prev_hash for e in events}) == len(events)
    assert AuditChainHead.objects.get(chain=chain).count == WRITERS * EACH
    reports = chains_verify()
    assert all(r.intact for r in reports), [r.problem for r in reports]
    assert sum(r.events for r in reports) == 2 * WRITERS * EACH


def test_the_first_events_of_a_new_chain_arriving_together_make_one_head() -> None:
    organisations = [OrganisationFactory() for _ in range(WRITERS)]
    partnership = PartnershipFactory()

    def writer(organisation: Any) -> Any:
        return lambda: audit_record(by=None, verb=AuditVerb.PARTNERSHIP_UPDATED, target=partnership).pk

    results = run_together([writer(o) for o in organisations])
    assert all(isinstance(r, int) for r in results), results
    assert AuditChainHead.objects.get(chain=partnership_chain(partnership.pk)).count == WRITERS
    assert all(r.intact for r in chains_verify(partnership_chain(partnership.pk)))
