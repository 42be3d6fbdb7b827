"""Agreement pages and API cost the same number of queries for 5 agreements, members or clauses, or 50."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from joinedup.agreements.choices import VersionStatus
from tests.conftest import grant
from tests.factories import (
    AgreementFactory,
    AgreementReviewFactory,
    AgreementVersionFactory,
    ClauseFactory,
    CommentFactory,
    ContributionFactory,
    MembershipFactory,
    PartnershipFactory,
    PositionFactory,
    SignatureFactory,
    UserFactory,
)
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(2024, 1, 6, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator(client: Any) -> Any:
    user = UserFactory()
    grant(user, PartnershipFactory(), "coordinator")
    client.force_login(user)
    return user


@pytest.fixture
def partnership(coordinator: Any) -> Any:
    return coordinator.partnership_roles.get().partnership


def in_force(partnership: Any, **fields: Any) -> Any:
    agreement = AgreementFactory(partnership=partnership)
    return AgreementVersionFactory(agreement=agreement, number=1000, in_force=True, **fields)


def add_signing_members(version: Any) -> Any:
    """Member organisations, each with a clause, a contribution and a signature of `version`."""

    def add(n: int) -> None:
        for _ in range(n):
            org = MembershipFactory(partnership=version.agreement.partnership).organisation
            ClauseFactory(version=version)
            ContributionFactory(version=version, organisation=org)
            SignatureFactory(version=version, organisation=org, content_hash=version.content_hash)

    return add


def test_agreement_list(client: Any, partnership: Any) -> None:
    org = MembershipFactory(partnership=partnership).organisation

    def add(n: int) -> None:
        for _ in range(n):
            version = in_force(partnership)
            SignatureFactory(version=version, organisation=org, content_hash=version.content_hash)
            AgreementVersionFactory(agreement=version.agreement)  # a draft of the next version

    assert_num_queries_stable(client, reverse("agreements:list", args=[partnership.pk]), setup=add)


def test_agreement_detail_with_its_versions_reviews_and_signatures(client: Any, partnership: Any) -> None:
    version = in_force(partnership, review_interval_months=12)
    sign = add_signing_members(version)

    def add(n: int) -> None:
        sign(n)
        for _ in range(n):
            AgreementReviewFactory(agreement=version.agreement, version=version)
            AgreementVersionFactory(
                agreement=version.agreement,
                proposed=True,
                status=VersionStatus.SUPERSEDED,
                in_force_at=WHEN,
                superseded_at=WHEN,
            )

    assert_num_queries_stable(client, reverse("agreements:detail", args=[version.agreement_id]), setup=add)


def test_version_in_force(client: Any, partnership: Any) -> None:
    version = in_force(partnership)
    url = reverse("agreements:version", args=[version.agreement_id, version.number])
    assert_num_queries_stable(client, url, setup=add_signing_members(version))


def test_proposal_with_its_comments_positions_and_signatures(client: Any, partnership: Any) -> None:
    version = AgreementVersionFactory(agreement=AgreementFactory(partnership=partnership), proposed=True)

    def add(n: int) -> None:
        for _ in range(n):
            org = MembershipFactory(partnership=partnership).organisation
            clause = ClauseFactory(version=version)
            SignatureFactory(version=version, organisation=org, content_hash=version.content_hash)
            PositionFactory(version=version, organisation=org)
            CommentFactory(version=version, clause=clause, organisation=org)
            CommentFactory(version=version)

    url = reverse("agreements:version", args=[version.agreement_id, version.number])
    assert client.get(url)["Location"].endswith("/proposal/")
    assert_num_queries_stable(client, url + "proposal/", setup=add)


def test_draft_editor(client: Any, partnership: Any) -> None:
    version = AgreementVersionFactory(agreement=AgreementFactory(partnership=partnership))

    def add(n: int) -> None:
        for _ in range(n):
            org = MembershipFactory(partnership=partnership).organisation
            ClauseFactory(version=version)
            ContributionFactory(version=version, organisation=org)

    url = reverse("agreements:draft_edit", args=[version.agreement_id, version.number])
    assert_num_queries_stable(client, url, setup=add)
    page = client.get(url).content.decode()
    for contribution in version.contributions.all():  # each row still shows its own partner chosen
        assert f'<option value="{contribution.organisation_id}" selected>' in page


def test_diff_of_two_versions(client: Any, partnership: Any) -> None:
    old = in_force(partnership)
    new = AgreementVersionFactory(agreement=old.agreement, number=1001, based_on=old)

    def add(n: int) -> None:
        for _ in range(n):
            org = MembershipFactory(partnership=partnership).organisation
            for version in (old, new):
                ClauseFactory(version=version, text=f"Clause for {org.name} in {version.number}")
                ContributionFactory(version=version, organisation=org, amount=version.number)

    assert_num_queries_stable(client, reverse("agreements:diff", args=[old.agreement_id]), setup=add)


def test_reviews_due(client: Any, coordinator: Any) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            partnership = PartnershipFactory()
            grant(coordinator, partnership)
            version = in_force(partnership, review_interval_months=12)
            last = datetime.date.today() - datetime.timedelta(days=330)  # so due in about a month
            AgreementReviewFactory(agreement=version.agreement, version=version, date=last)
            in_force(partnership, review_interval_months=1)  # overdue

    assert_num_queries_stable(client, reverse("agreements:reviews_due"), setup=add)
    page = client.get(reverse("agreements:reviews_due")).content.decode()
    assert page.count("/agreements/") >= 100


def test_api_agreement_list(client: Any, partnership: Any) -> None:
    org = MembershipFactory(partnership=partnership).organisation

    def add(n: int) -> None:
        for _ in range(n):
            version = in_force(partnership)
            SignatureFactory(version=version, organisation=org, content_hash=version.content_hash)
            ClauseFactory(version=version)

    assert_num_queries_stable(client, f"/api/v1/partnerships/{partnership.pk}/agreements", setup=add)


def test_api_agreement_detail(client: Any, partnership: Any) -> None:
    version = in_force(partnership)
    url = f"/api/v1/agreements/{version.agreement_id}"
    assert_num_queries_stable(client, url, setup=add_signing_members(version))
