"""Governance pages and API lists cost the same number of queries at 5 and at 50 of what they list."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.core.registry import needs_for
from joinedup.governance import records
from joinedup.governance.choices import VOTING_ROLES
from tests.conftest import grant
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.factories.governance import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    DeclarationFactory,
    DisputeFactory,
    MeetingFactory,
    PaperFactory,
    VoteFactory,
)
from tests.governance.helpers import Board, fill_board, make_board
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db
_n = itertools.count()


@pytest.fixture
def board() -> Board:
    return fill_board(make_board())


@pytest.fixture
def member(board: Board) -> Client:
    user = UserFactory()
    grant(user, board.partnership, "member")
    client = Client()
    client.force_login(user)
    return client


def add_member(board: Board) -> Any:
    org = OrganisationFactory(sector="nhs")
    MembershipFactory(
        partnership=board.partnership,
        organisation=org,
        joined=datetime.date(2023, 4, 1),
        role=sorted(VOTING_ROLES)[0],
    )
    return org


def grow_meeting(board: Board, n: int) -> None:
    meeting = board.meeting
    for _ in range(n):
        org = add_member(board)
        AttendanceFactory(meeting=meeting, organisation=org, status="present")
        item = AgendaItemFactory(meeting=meeting, number=100 + next(_n), is_private=next(_n) % 2 == 0)
        decision = DecisionFactory(meeting=meeting, item=item)
        VoteFactory(decision=decision, organisation=org)
        DeclarationFactory(decision=decision)
        ActionFactory(
            partnership=board.partnership, meeting=meeting, decision=decision, owner_organisation=org
        )
        PaperFactory(meeting=meeting, item=item)


@pytest.mark.parametrize("name", ["governance:meeting", "governance:minutes"])
def test_the_meeting_and_its_minutes(board, member, name):
    assert_num_queries_stable(
        member, reverse(name, args=[board.meeting.pk]), setup=lambda n: grow_meeting(board, n)
    )


def test_the_meeting_api(board, member):
    assert_num_queries_stable(
        member, f"/api/v1/meetings/{board.meeting.pk}", setup=lambda n: grow_meeting(board, n)
    )


def test_the_attendance_and_decision_forms(board):
    client = Client()
    client.force_login(board.coordinator)
    for name in ("governance:attendance", "governance:decision_create"):
        assert_num_queries_stable(
            client, reverse(name, args=[board.meeting.pk]), setup=lambda n: grow_meeting(board, n)
        )


def grow_meetings(board: Board, n: int) -> None:
    for _ in range(n):
        meeting = MeetingFactory(partnership=board.partnership)
        org = add_member(board)
        AttendanceFactory(meeting=meeting, organisation=org, status="apologies")
        DecisionFactory(meeting=meeting)


@pytest.mark.parametrize(
    "url", ["governance:meetings", "governance:decisions", "register:partnership_detail"]
)
def test_lists_of_meetings_and_decisions(board, member, url):
    assert_num_queries_stable(
        member, reverse(url, args=[board.partnership.pk]), setup=lambda n: grow_meetings(board, n)
    )


@pytest.mark.parametrize("url", ["/api/v1/partnerships/{}/meetings", "/api/v1/partnerships/{}/decisions"])
def test_api_lists_of_meetings_and_decisions(board, member, url):
    assert_num_queries_stable(
        member, url.format(board.partnership.pk), setup=lambda n: grow_meetings(board, n)
    )


def grow_actions(board: Board, n: int) -> None:
    for _ in range(n):
        org = add_member(board)
        ActionFactory(
            partnership=board.partnership,
            owner_organisation=org,
            meeting=board.meeting,
            due=datetime.date(2020, 1, 1),
        )
        x = DisputeFactory(partnership=board.partnership, raised_by=org)
        x.partners.set([org, board.council])


@pytest.mark.parametrize("url", ["governance:actions", "governance:disputes", "register:partnership_detail"])
def test_lists_of_actions_and_disputes(board, member, url):
    assert_num_queries_stable(
        member, reverse(url, args=[board.partnership.pk]), setup=lambda n: grow_actions(board, n)
    )


def test_api_list_of_actions(board, member):
    url = f"/api/v1/partnerships/{board.partnership.pk}/actions"
    assert_num_queries_stable(member, url, setup=lambda n: grow_actions(board, n))


def test_needs_at_five_and_fifty_partnerships():
    user = UserFactory()

    def add(n: int) -> None:
        for _ in range(n):
            p = PartnershipFactory()
            org = OrganisationFactory()
            MembershipFactory(partnership=p, organisation=org)
            grant(user, p, "representative", organisation=org)
            ActionFactory(partnership=p, owner_organisation=org)

    def count() -> None:
        user.__dict__.pop("_joinedup_permissions", None)
        needs_for(user=user, today=datetime.date(2026, 12, 7))

    assert_num_queries_stable(count, setup=add)


def test_record_kinds_resolve_in_fixed_queries(board):
    ids: list[int] = []

    def add(n: int) -> None:
        for _ in range(n):
            ids.append(DecisionFactory(meeting=board.meeting).pk)

    assert_num_queries_stable(lambda: records.decision_resolve(ids=ids), setup=add)
    assert_num_queries_stable(lambda: records.decision_options(partnership=board.partnership), setup=add)


def test_the_attendance_form_of_a_meeting_not_yet_recorded(board):
    client = Client()
    client.force_login(board.coordinator)
    from joinedup.governance import services

    meeting = services.meeting_save(
        by=None, partnership=board.partnership, title="Next", start=board.meeting.start, online=True
    )

    def add(n: int) -> None:
        from tests.factories import PersonFactory

        for _ in range(n):
            org = add_member(board)
            org.memberships.get().representatives.add(PersonFactory())

    assert_num_queries_stable(client, reverse("governance:attendance", args=[meeting.pk]), setup=add)
