"""The Northshire demo's agreements: built through the services and reading as the issue describes."""

from __future__ import annotations

import datetime

import pytest

from joinedup.agreements import selectors
from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.models import AgreementVersion, Comment, Position
from joinedup.demo.northshire import build_northshire

pytestmark = pytest.mark.django_db
S = VersionStatus


@pytest.fixture
def demo():
    return build_northshire()


def test_mental_health_section_75_has_three_versions_the_latest_proposed(demo):
    agreement = demo["agreements"]["mh"]
    versions = {v.number: v for v in AgreementVersion.objects.filter(agreement=agreement)}
    assert {n: v.status for n, v in versions.items()} == {1: S.SUPERSEDED, 2: S.IN_FORCE, 3: S.PROPOSED}
    assert versions[2].in_force_at.date() == datetime.date(2024, 6, 1)
    v3 = versions[3]
    assert Comment.objects.filter(version=v3, parent__isnull=False).exists()
    assert set(Position.objects.filter(version=v3).values_list("position", flat=True)) == {
        "support",
        "object",
    }
    status = selectors.signing_status(version=v3)
    assert [o.name for o in status.unsigned] == [demo["organisations"]["county"].name]
    assert selectors.unsigned_current_members(agreement=agreement) == []
    diff = selectors.version_diff(old=versions[2], new=v3)
    assert {c.kind for c in diff.changed_clauses} == {"governance", "risk_share"}
    assert selectors.version_reading(version=versions[2]).verdict == "partly"  # weighted votes: trust 53%
    assert selectors.version_reading(version=v3).verdict == "partnership"


def test_forensic_terms_are_overdue_and_contract_like_and_the_board_reads_as_a_partnership(demo):
    forensic, hwb = demo["agreements"]["forensic"], demo["agreements"]["hwb"]
    admin = demo["users"]["admin"]
    overdue = selectors.reviews_overdue(user=admin, today=datetime.date(2026, 1, 1))
    assert forensic in [r.agreement for r in overdue]
    assert hwb not in [r.agreement for r in overdue]
    forensic_v = selectors.version_in_force(agreement=forensic)
    hwb_v = selectors.version_in_force(agreement=hwb)
    assert selectors.version_reading(version=forensic_v).verdict == "contract_like"
    assert selectors.version_reading(version=hwb_v).verdict == "partnership"
    assert selectors.unsigned_current_members(agreement=hwb) == []


def test_the_demo_council_signatory_can_sign_the_proposal(demo):
    from joinedup.agreements import services

    agreement = demo["agreements"]["mh"]
    v3 = selectors.open_change(agreement=agreement)
    services.version_sign(
        by=demo["users"]["council_signatory"],
        version=v3,
        organisation=demo["organisations"]["county"],
        content_hash=v3.content_hash,
    )
    v3.refresh_from_db()
    assert v3.status == S.IN_FORCE
