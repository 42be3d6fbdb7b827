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
from tests.factories.agreements import frozen_version, version_freeze
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


class Growing:
    """A frozen version whose members, clauses, contributions and signatures grow between the two counts.

    The database refuses new clauses on a version that is no longer a draft, so each size is a new agreement
    whose version is built as a draft with everything so far and then frozen; `url()` is the newest one's."""

    def __init__(self, partnership: Any, page: str, status: str = VersionStatus.IN_FORCE, **fields: Any):
        self.partnership, self.page, self.status, self.fields = partnership, page, status, fields
        self.orgs: list[Any] = []
        self.version: Any = None

    def add(self, n: int) -> Any:
        self.orgs += [MembershipFactory(partnership=self.partnership).organisation for _ in range(n)]
        self.version = frozen_version(
            agreement=AgreementFactory(partnership=self.partnership),
            number=1000,
            clauses=len(self.orgs),
            organisations=self.orgs,
            status=self.status,
            **self.fields,
        )
        for org in self.orgs:
            SignatureFactory(version=self.version, organisation=org, content_hash=self.version.content_hash)
        return self.version

    def url(self) -> str:
        if self.page == "detail":
            return reverse("agreements:detail", args=[self.version.agreement_id])
        if self.page == "api":
            return f"/api/v1/agreements/{self.version.agreement_id}"
        return (
            reverse("agreements:version", args=[self.version.agreement_id, self.version.number]) + self.page
        )


def test_agreement_list(client: Any, partnership: Any) -> None:
    org = MembershipFactory(partnership=partnership).organisation

    def add(n: int) -> None:
        for _ in range(n):
            version = in_force(partnership)
            SignatureFactory(version=version, organisation=org, content_hash=version.content_hash)
            AgreementVersionFactory(agreement=version.agreement)  # a draft of the next version

    assert_num_queries_stable(client, reverse("agreements:list", args=[partnership.pk]), setup=add)


def test_agreement_detail_with_its_versions_reviews_and_signatures(client: Any, partnership: Any) -> None:
    growing = Growing(partnership, "detail", review_interval_months=12)

    def add(n: int) -> None:
        version = growing.add(n)
        for _ in range(len(growing.orgs)):
            AgreementReviewFactory(agreement=version.agreement, version=version)
            AgreementVersionFactory(
                agreement=version.agreement,
                proposed=True,
                status=VersionStatus.SUPERSEDED,
                in_force_at=WHEN,
                superseded_at=WHEN,
            )

    assert_num_queries_stable(client, growing.url, setup=add)


def test_version_in_force(client: Any, partnership: Any) -> None:
    growing = Growing(partnership, "")
    assert_num_queries_stable(client, growing.url, setup=growing.add)


def test_proposal_with_its_comments_positions_and_signatures(client: Any, partnership: Any) -> None:
    growing = Growing(partnership, "proposal/", status=VersionStatus.PROPOSED)

    def add(n: int) -> None:
        version = growing.add(n)
        for org, clause in zip(growing.orgs, version.clauses.all(), strict=True):
            PositionFactory(version=version, organisation=org)
            CommentFactory(version=version, clause=clause, organisation=org)
            CommentFactory(version=version)

    growing.add(0)
    first = reverse("agreements:version", args=[growing.version.agreement_id, growing.version.number])
    assert client.get(first)["Location"].endswith("/proposal/")
    assert_num_queries_stable(client, growing.url, setup=add)


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
    state: dict[str, Any] = {"orgs": []}

    def add(n: int) -> None:
        state["orgs"] += [MembershipFactory(partnership=partnership).organisation for _ in range(n)]
        orgs = state["orgs"]
        old = AgreementVersionFactory(agreement=AgreementFactory(partnership=partnership), number=1000)
        for version in (old, None):
            if version is None:  # the next draft, once the first is in force
                old = version_freeze(old, status=VersionStatus.IN_FORCE, in_force_at=WHEN)
                version = AgreementVersionFactory(agreement=old.agreement, number=1001, based_on=old)
            for org in orgs:
                ClauseFactory(version=version, text=f"Clause for {org.name} in {version.number}")
                ContributionFactory(version=version, organisation=org, amount=version.number)
        state["old"] = old

    assert_num_queries_stable(
        client, lambda: reverse("agreements:diff", args=[state["old"].agreement_id]), setup=add
    )


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
            version = frozen_version(agreement=AgreementFactory(partnership=partnership), number=1000)
            SignatureFactory(version=version, organisation=org, content_hash=version.content_hash)

    assert_num_queries_stable(client, f"/api/v1/partnerships/{partnership.pk}/agreements", setup=add)


def test_api_agreement_detail(client: Any, partnership: Any) -> None:
    growing = Growing(partnership, "api")
    assert_num_queries_stable(client, growing.url, setup=growing.add)
