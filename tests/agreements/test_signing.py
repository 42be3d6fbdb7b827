"""Signing by hash: who may sign, stale hashes, coming into force, and members who join later."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.agreements import selectors, services
from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.models import Signature
from joinedup.core.models import AuditEvent
from joinedup.register import services as register_services
from tests.agreements.helpers import (
    CLAUSES,
    make_place,
    proposed_version,
    sign_all,
    signatory_for,
    triggers_dropped,
)
from tests.factories import PartnershipRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
S = VersionStatus


def test_signing_a_stale_hash_is_refused_with_a_clear_message():
    place = make_place(2)
    version = proposed_version(place)
    org = place.orgs[0]
    stale = "0" * 64
    with pytest.raises(ValidationError, match="This version has changed since you opened it"):
        services.version_sign(
            by=place.signatories[org.pk], version=version, organisation=org, content_hash=stale
        )
    assert not Signature.objects.exists()


def test_the_hash_a_signer_saw_for_an_earlier_version_does_not_sign_the_new_one():
    place = make_place(2)
    first = proposed_version(place)
    seen = first.content_hash
    services.proposal_revise(by=place.coordinator, version=first)
    draft = selectors.open_change(agreement=first.agreement)
    assert draft is not None
    draft = services.draft_save(
        by=place.coordinator,
        version=draft,
        expected_lock_version=draft.lock_version,
        clauses=[*CLAUSES, {"kind": "exit", "text": "Six months' notice."}],
    )
    second = services.draft_propose(by=place.coordinator, version=draft)
    org = place.orgs[0]
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.version_sign(
            by=place.signatories[org.pk], version=second, organisation=org, content_hash=seen
        )
    with pytest.raises(ValidationError, match="withdrawn"):
        services.version_sign(
            by=place.signatories[org.pk], version=first, organisation=org, content_hash=seen
        )


@pytest.mark.parametrize("who", ["plain_representative", "other_orgs_signatory", "coordinator", "stranger"])
def test_only_the_organisations_signatory_may_sign(who):
    place = make_place(2)
    version = proposed_version(place)
    org, other = place.orgs
    user = {
        "plain_representative": place.reps[org.pk],
        "other_orgs_signatory": place.signatories[other.pk],
        "coordinator": place.coordinator,
        "stranger": UserFactory(),
    }[who]
    with pytest.raises(PermissionDenied):
        services.version_sign(by=user, version=version, organisation=org, content_hash=version.content_hash)
    assert not Signature.objects.exists()


def test_a_signatory_in_another_partnership_cannot_sign_here():
    place, elsewhere = make_place(2), make_place(1)
    version = proposed_version(place)
    org = place.orgs[0]
    outsider = signatory_for(elsewhere.partnership, org)
    with pytest.raises(PermissionDenied):
        services.version_sign(
            by=outsider, version=version, organisation=org, content_hash=version.content_hash
        )


def test_the_version_comes_into_force_when_every_current_member_has_signed_and_supersedes_the_old():
    place = make_place(3)
    first = proposed_version(place)
    sign_all(place, first)
    assert first.status == S.IN_FORCE and first.in_force_at is not None
    second = proposed_version(place, agreement=first.agreement, review_interval_months=6)
    for i, org in enumerate(place.orgs):
        services.version_sign(
            by=place.signatories[org.pk], version=second, organisation=org, content_hash=second.content_hash
        )
        second.refresh_from_db()
        first.refresh_from_db()
        if i < len(place.orgs) - 1:
            assert second.status == S.PROPOSED and first.status == S.IN_FORCE
    assert second.status == S.IN_FORCE
    assert first.status == S.SUPERSEDED and first.superseded_at == second.in_force_at
    signature = Signature.objects.get(version=second, organisation=place.orgs[0])
    assert signature.user == place.signatories[place.orgs[0].pk]
    assert signature.content_hash == second.content_hash
    verbs = list(AuditEvent.objects.filter(target_id=str(second.pk)).values_list("verb", flat=True))
    assert verbs.count("agreement.signed") == 3 and verbs.count("agreement.in_force") == 1


def test_an_organisation_cannot_sign_twice():
    place = make_place(2)
    version = proposed_version(place)
    org = place.orgs[0]
    services.version_sign(
        by=place.signatories[org.pk], version=version, organisation=org, content_hash=version.content_hash
    )
    with pytest.raises(ValidationError, match="already signed"):
        services.version_sign(
            by=place.signatories[org.pk], version=version, organisation=org, content_hash=version.content_hash
        )


def test_observers_do_not_sign_and_past_members_cannot():
    place = make_place(2)
    place.add_member(role="observer")
    version = proposed_version(place)
    observer = place.orgs[2]
    with pytest.raises(ValidationError, match="not a current member"):
        services.version_sign(
            by=place.signatories[observer.pk],
            version=version,
            organisation=observer,
            content_hash=version.content_hash,
        )
    for org in place.orgs[:2]:
        services.version_sign(
            by=place.signatories[org.pk], version=version, organisation=org, content_hash=version.content_hash
        )
    version.refresh_from_db()
    assert version.status == S.IN_FORCE


def test_a_member_who_left_no_longer_holds_up_the_version():
    place = make_place(3)
    version = proposed_version(place)
    for org in place.orgs[:2]:
        services.version_sign(
            by=place.signatories[org.pk], version=version, organisation=org, content_hash=version.content_hash
        )
    register_services.membership_end(by=None, membership=place.memberships[2], left=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="not a current member"):
        services.version_sign(
            by=place.signatories[place.orgs[2].pk],
            version=version,
            organisation=place.orgs[2],
            content_hash=version.content_hash,
        )
    version.refresh_from_db()
    assert version.status == S.PROPOSED  # no signature since; it comes into force with the next


def test_a_new_member_makes_the_agreement_unsigned_by_all_until_it_signs():
    place = make_place(2)
    version = proposed_version(place)
    sign_all(place, version)
    agreement = version.agreement
    assert selectors.unsigned_current_members(agreement=agreement) == []
    newcomer = place.add_member(joined=datetime.date(2025, 6, 1))
    assert selectors.unsigned_current_members(agreement=agreement) == [newcomer]
    status = selectors.signing_status(version=version)
    assert not status.signed_by_all and status.unsigned == [newcomer]
    services.version_sign(
        by=place.signatories[newcomer.pk],
        version=version,
        organisation=newcomer,
        content_hash=version.content_hash,
    )
    assert selectors.unsigned_current_members(agreement=agreement) == []
    version.refresh_from_db()
    assert version.status == S.IN_FORCE  # signing late changes nothing else
    assert Signature.objects.filter(version=version, organisation=newcomer).exists()


def test_tampered_text_is_caught_at_signing():
    place = make_place(1)
    version = proposed_version(place)
    with (
        triggers_dropped()
    ):  # the database refuses the change otherwise (tests/agreements/test_unchangeable.py)
        version.clauses.filter(order=1).update(text="Something nobody agreed.")
    org = place.orgs[0]
    with pytest.raises(ValidationError, match="no longer matches its hash"):
        services.version_sign(
            by=place.signatories[org.pk], version=version, organisation=org, content_hash=version.content_hash
        )


def test_site_admin_without_a_signatory_role_cannot_sign():
    place = make_place(1)
    version = proposed_version(place)
    admin = UserFactory(is_superuser=True)
    PartnershipRoleFactory(user=admin, partnership=place.partnership, role="coordinator")
    with pytest.raises(PermissionDenied):
        services.version_sign(
            by=admin, version=version, organisation=place.orgs[0], content_hash=version.content_hash
        )
