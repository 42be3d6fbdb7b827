"""Reviews (due, overdue, revise, end) and the clause-by-clause diff."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from joinedup.agreements import selectors, services
from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.content import ClauseData, ContributionData, VersionContent
from joinedup.agreements.diff import versions_diff, word_diff
from joinedup.agreements.models import AgreementVersion
from joinedup.agreements.selectors import add_months
from tests.agreements.helpers import CLAUSES, make_place, proposed_version, sign_all
from tests.factories import UserFactory

D = datetime.date
S = VersionStatus


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 3, 31), 6, D(2024, 9, 30)),
        (D(2024, 11, 15), 2, D(2025, 1, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2023, 12, 1), 24, D(2025, 12, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def in_force_on(place, day: datetime.date, interval: int) -> AgreementVersion:
    version = proposed_version(place, review_interval_months=interval)
    sign_all(place, version)
    moment = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)
    AgreementVersion.objects.filter(pk=version.pk).update(in_force_at=moment)
    version.refresh_from_db()
    return version


@pytest.mark.django_db
def test_reviews_due_and_overdue_across_the_users_partnerships():
    overdue_place, soon_place, later_place, hidden = (
        make_place(1),
        make_place(1),
        make_place(1),
        make_place(1),
    )
    overdue = in_force_on(overdue_place, D(2023, 9, 1), 12)  # due 2024-09-01
    soon = in_force_on(soon_place, D(2024, 1, 31), 13)  # due 2025-02-28
    in_force_on(later_place, D(2024, 6, 1), 24)  # due 2026-06-01
    in_force_on(hidden, D(2023, 1, 1), 6)  # not the user's partnership
    user = UserFactory()
    for place in (overdue_place, soon_place, later_place):
        place.partnership.roles.create(user=user, role="member")
    today = D(2025, 1, 15)
    assert [(r.version, r.due, r.overdue) for r in selectors.reviews_due(user=user, today=today)] == [
        (overdue, D(2024, 9, 1), True),
        (soon, D(2025, 2, 28), False),
    ]
    assert [r.version for r in selectors.reviews_overdue(user=user, today=today)] == [overdue]
    assert len(selectors.review_schedule(user=user, today=today)) == 3
    # a review resets the clock
    services.review_record(by=user, agreement=overdue.agreement, date=D(2025, 1, 10), outcome="continue")
    assert selectors.reviews_overdue(user=user, today=today) == []
    assert selectors.next_review_due(version=overdue, last_review=D(2025, 1, 10)) == D(2026, 1, 10)


@pytest.mark.django_db
def test_a_revise_review_opens_a_draft_and_an_end_review_ends_the_agreement():
    place = make_place(2)
    version = in_force_on(place, D(2024, 1, 1), 12)
    review = services.review_record(
        by=place.coordinator,
        agreement=version.agreement,
        date=D(2025, 1, 5),
        outcome="revise",
        notes="Update.",
    )
    assert review.version == version and review.draft is not None
    assert review.draft.status == S.DRAFT and review.draft.based_on == version
    services.draft_propose(by=place.coordinator, version=review.draft)
    services.proposal_withdraw(by=place.coordinator, version=review.draft)
    services.review_record(
        by=place.coordinator, agreement=version.agreement, date=D(2025, 2, 1), outcome="end"
    )
    version.agreement.refresh_from_db()
    assert version.agreement.ended == D(2025, 2, 1)
    assert selectors.review_schedule(user=place.coordinator, today=D(2025, 3, 1)) == []
    with pytest.raises(ValidationError, match="ended"):
        services.draft_start(by=place.coordinator, agreement=version.agreement)


def content(*clauses: tuple[str, str], **fields) -> VersionContent:
    return VersionContent(
        clauses=tuple(ClauseData(kind=k, text=t, order=i) for i, (k, t) in enumerate(clauses, 1)),
        fields=fields,
    )


def test_diff_shows_exactly_the_changed_clauses():
    old = content(
        ("aims", "Better care."), ("governance", "The board meets monthly."), ("exit", "Six months.")
    )
    new = content(
        ("aims", "Better care."),
        ("governance", "The board meets every two months."),
        ("risk_share", "Shared equally."),
        review_interval_months=12,
    )
    diff = versions_diff(old, new)
    assert [(c.kind, c.status) for c in diff.clauses] == [
        ("aims", "unchanged"),
        ("governance", "changed"),
        ("exit", "removed"),  # removed clauses stay where they were: after their old neighbour
        ("risk_share", "added"),
    ]
    governance = diff.clauses[1]
    assert governance.words == (
        ("equal", "The board meets"),
        ("delete", "monthly."),
        ("insert", "every two months."),
    )
    assert [(f.name, f.old, f.new) for f in diff.fields] == [("review_interval_months", None, 12)]
    assert diff.has_changes and len(diff.changed_clauses) == 3


def test_moving_a_clause_is_not_a_change_and_repeated_kinds_match_in_turn():
    old = content(("aims", "A."), ("exit", "E."), ("aims", "Second aim."))
    new = content(("exit", "E."), ("aims", "A."), ("aims", "Second aim, changed."))
    diff = versions_diff(old, new)
    assert [(c.kind, c.occurrence, c.status) for c in diff.clauses] == [
        ("exit", 1, "unchanged"),
        ("aims", 1, "unchanged"),
        ("aims", 2, "changed"),
    ]
    assert not versions_diff(old, old).has_changes


def test_contribution_changes():
    money = ContributionData(organisation_id=1, kind="money", amount=None, unit="GBP")
    old = VersionContent(contributions=(money, ContributionData(organisation_id=2, kind="staff")))
    new = VersionContent(
        contributions=(
            ContributionData(organisation_id=1, kind="money", amount=5, unit="GBP"),
            ContributionData(organisation_id=3, kind="data"),
        )
    )
    changes = versions_diff(old, new).contributions
    assert [(c.status, (c.old or c.new).organisation_id) for c in changes] == [  # type: ignore[union-attr]
        ("changed", 1),
        ("removed", 2),
        ("added", 3),
    ]


def test_word_diff_reassembles_both_texts():
    old, new = "one two three four", "one three four five"
    runs = word_diff(old, new)
    assert " ".join(t for op, t in runs if op != "insert") == old
    assert " ".join(t for op, t in runs if op != "delete") == new


@pytest.mark.django_db
def test_version_diff_between_stored_versions():
    place = make_place(1)
    first = proposed_version(place)
    sign_all(place, first)
    clauses = [dict(c) for c in CLAUSES]
    clauses[2]["text"] = "Overspends are shared equally."
    second = proposed_version(place, agreement=first.agreement, clauses=clauses)
    diff = selectors.version_diff(old=first, new=second)
    assert [(c.kind, c.status) for c in diff.changed_clauses] == [("risk_share", "changed")]
