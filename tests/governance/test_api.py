"""The read-only API: meetings, decisions (votes, counts, declarations, stored quorum), actions; private items
left out without MEETING_PRIVATE_VIEW; another partnership's records answer 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.governance.helpers import fill_board, make_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return fill_board(make_board())


def client_for(board, role):
    user = UserFactory()
    grant(
        user,
        board.partnership if role != "outsider" else PartnershipFactory(),
        "member" if role == "outsider" else role,
    )
    client = Client()
    client.force_login(user)
    return client


def test_decisions_with_votes_counts_and_declarations(board):
    got = (
        client_for(board, "member")
        .get(f"/api/v1/partnerships/{board.partnership.pk}/decisions")
        .json()["items"]
    )
    by_title = {d["title"]: d for d in got}
    assert set(by_title) == {"Budget agreed", "Seek legal advice"}
    budget = by_title["Budget agreed"]
    assert budget["method"] == "vote" and budget["quorate"] is True
    assert budget["counts"] == [{"option": "against", "value": 1}, {"option": "for", "value": 1}]
    assert budget["declarations"] == [{"name": "Sam Patel", "interest": "Trustee of a bidding charity"}]


def test_an_observer_gets_no_private_decision_or_item(board):
    observer = client_for(board, "observer")
    titles = [
        d["title"]
        for d in observer.get(f"/api/v1/partnerships/{board.partnership.pk}/decisions").json()["items"]
    ]
    assert titles == ["Budget agreed"]
    meeting = observer.get(f"/api/v1/meetings/{board.meeting.pk}").json()
    assert [i["title"] for i in meeting["agenda_items"]] == ["Budget 2026/27"]
    assert meeting["quorum"]["quorate"] is True and meeting["quorum"]["voting_members"] == 3
    assert len(meeting["attendance"]) == 4


def test_actions_list(board):
    got = (
        client_for(board, "observer")
        .get(f"/api/v1/partnerships/{board.partnership.pk}/actions")
        .json()["items"]
    )
    assert [(a["title"], a["owner_organisation"], a["overdue"]) for a in got] == [
        ("Publish the budget", "Northshire County Council", True)
    ]


def test_another_partnership_answers_404(board):
    outsider = client_for(board, "outsider")
    assert outsider.get(f"/api/v1/meetings/{board.meeting.pk}").status_code == 404
    assert outsider.get(f"/api/v1/partnerships/{board.partnership.pk}/actions").status_code == 404
