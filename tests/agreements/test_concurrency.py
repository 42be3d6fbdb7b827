"""Real threads on PostgreSQL: signatures arriving together all count; draft saves at once lose nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from joinedup.agreements import services
from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.models import AgreementVersion, Signature
from joinedup.core.models import AuditEvent
from tests.agreements.helpers import make_place, proposed_version, sign_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = VersionStatus


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start every job at the same moment on its own thread (and connection); return results or errors."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = jobs[i]()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_concurrent_signatures_all_count_and_the_version_comes_into_force_once():
    place = make_place(6)
    first = proposed_version(place)
    sign_all(place, first)
    second = proposed_version(place, agreement=first.agreement, review_interval_months=6)

    def signer(org: Any) -> Callable[[], Any]:
        return lambda: services.version_sign(
            by=place.signatories[org.pk], version=second, organisation=org, content_hash=second.content_hash
        )

    results = run_together([signer(org) for org in place.orgs])
    assert not [r for r in results if isinstance(r, Exception)], results
    second.refresh_from_db()
    first.refresh_from_db()
    assert Signature.objects.filter(version=second).count() == 6
    assert second.status == S.IN_FORCE and first.status == S.SUPERSEDED
    assert AgreementVersion.objects.filter(agreement=first.agreement, status=S.IN_FORCE).count() == 1
    assert AuditEvent.objects.filter(verb="agreement.in_force", target_id=str(second.pk)).count() == 1
    assert AuditEvent.objects.filter(verb="agreement.superseded", target_id=str(first.pk)).count() == 1


def test_concurrent_draft_saves_one_wins_the_other_keeps_its_text():
    place = make_place(2)
    agreement = services.agreement_create(
        by=place.coordinator, partnership=place.partnership, kind="memorandum", title="M"
    )
    draft = services.draft_start(by=place.coordinator, agreement=agreement)
    opened = draft.lock_version
    editors = [place.reps[o.pk] for o in place.orgs]
    texts = ["First editor's aims.", "Second editor's aims."]

    def save(i: int) -> Callable[[], Any]:
        return lambda: services.draft_save(
            by=editors[i],
            version=AgreementVersion.objects.get(pk=draft.pk),
            expected_lock_version=opened,
            clauses=[{"kind": "aims", "text": texts[i]}],
        )

    results = run_together([save(0), save(1)])
    conflicts = [r for r in results if isinstance(r, services.DraftConflict)]
    saved = [r for r in results if isinstance(r, AgreementVersion)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    winner = texts[results.index(saved[0])]
    loser = texts[results.index(conflicts[0])]
    assert [c.text for c in draft.clauses.all()] == [winner]
    assert [c.text for c in conflicts[0].current.clauses] == [winner]
    assert [c.text for c in conflicts[0].submitted.clauses] == [loser]
    draft.refresh_from_db()
    assert draft.lock_version == opened + 1 == conflicts[0].current_lock_version
