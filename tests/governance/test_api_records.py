"""Governance API, recording: attendance, decisions, actions and disputes through the same services as the
pages; GOVERNANCE_RECORD needed (403 without, and for a read-only token), another partnership's records 404,
refused fields named."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.governance.models import Action, Attendance, Decision, Dispute
from tests.api_helpers import Api, token_for
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.factories.governance import MeetingFactory
from tests.governance.helpers import fill_board, make_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def board() -> Any:
    return fill_board(make_board())


def _api(board: Any, *, can_write: bool = True) -> Api:
    return Api(token_for(board.coordinator, [board.partnership], can_write=can_write))


def test_attendance_replaces_what_was_recorded_and_holds_the_meeting(board: Any) -> None:
    meeting = MeetingFactory(partnership=board.partnership)
    api = _api(board)
    url = f"/api/v1/meetings/{meeting.pk}/attendance"
    rows = [
        {"organisation_id": board.nhs[0].pk, "status": "present", "name": "Ann"},
        {"organisation_id": board.council.pk, "status": "substitute", "name": "Bo", "substitute_for": "Cy"},
    ]
    put = api.send("put", url, {"rows": rows})
    assert put.status_code == 200, put.content
    assert [(a["organisation_id"], a["status"]) for a in put.json()] == [
        (board.nhs[0].pk, "present"),
        (board.council.pk, "substitute"),
    ]
    meeting.refresh_from_db()
    assert meeting.state == "held"
    bad = api.send("put", url, {"rows": [{"organisation_id": board.nhs[0].pk, "status": "substitute"}]})
    assert bad.status_code == 422 and "stands in for" in bad.json()["detail"]
    outsider = api.send("put", url, {"rows": [{"organisation_id": 999999, "status": "present"}]})
    assert (
        outsider.status_code == 422 and outsider.json()["invalid_params"][0]["name"] == "rows.organisation_id"
    )
    assert Attendance.objects.filter(meeting=meeting).count() == 2  # all or nothing
    walked = api.get(url).json()["items"]
    assert len(walked) == 2


def test_a_decision_with_votes_and_actions(board: Any) -> None:
    api = _api(board)
    body = {
        "title": "Beds agreed",
        "text": "Ten more beds.",
        "method": "vote",
        "votes": {str(board.nhs[0].pk): "for", str(board.council.pk): "against"},
        "actions": [{"title": "Open the beds", "owner_organisation_id": board.council.pk}],
    }
    made = api.post(f"/api/v1/meetings/{board.meeting.pk}/decisions", body)
    assert made.status_code == 201, made.content
    got = made.json()
    assert got["counts"] == [{"option": "against", "value": 1}, {"option": "for", "value": 1}]
    assert Action.objects.filter(decision_id=got["id"], title="Open the beds").exists()
    assert api.get(f"/api/v1/decisions/{got['id']}").json()["title"] == "Beds agreed"
    refused = api.post(f"/api/v1/meetings/{board.meeting.pk}/decisions", {**body, "votes": {"x": "for"}})
    assert refused.status_code == 422 and refused.json()["invalid_params"][0]["name"] == "votes.x"


def test_actions_are_added_and_moved_on(board: Any) -> None:
    api = _api(board)
    url = f"/api/v1/partnerships/{board.partnership.pk}/actions"
    made = api.post(
        url, {"title": "Write to the trust", "owner_organisation_id": board.nhs[0].pk, "due": "2026-03-01"}
    )
    assert made.status_code == 201, made.content
    action = f"/api/v1/actions/{made.json()['id']}"
    no_day = api.send("patch", action, {"status": "done"})
    assert no_day.status_code == 422 and no_day.json()["invalid_params"][0]["name"] == "completed"
    done = api.send("patch", action, {"status": "done", "completed": "2026-02-20"})
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["due"] == "2026-03-01"
    assert api.get(url, {"status": "done"}).json()["items"][0]["id"] == made.json()["id"]
    assert api.send("patch", action, {"title": None}).status_code == 422


def test_disputes_are_logged_and_moved_on(board: Any) -> None:
    api = _api(board)
    url = f"/api/v1/partnerships/{board.partnership.pk}/disputes"
    body = {
        "topic": "Budget share",
        "raised_by_id": board.council.pk,
        "partner_ids": [board.nhs[0].pk],
        "raised_on": "2026-02-01",
    }
    made = api.post(url, body)
    assert made.status_code == 201 and made.json()["partner_ids"] == [board.nhs[0].pk]
    dispute = f"/api/v1/disputes/{made.json()['id']}"
    escalated = api.send("patch", dispute, {"status": "escalated", "closed_on": "2026-03-01"})
    assert escalated.status_code == 422 and escalated.json()["invalid_params"][0]["name"] == "escalation_step"
    ok = api.send(
        "patch", dispute, {"status": "escalated", "closed_on": "2026-03-01", "escalation_step": "Chairs met"}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "escalated"
    assert api.get(url, {"status": "escalated"}).json()["items"][0]["topic"] == "Budget share"


def test_recording_is_refused_to_those_who_may_not(board: Any) -> None:
    url = f"/api/v1/partnerships/{board.partnership.pk}/actions"
    body = {"title": "Nope", "owner_organisation_id": board.nhs[0].pk}
    before = Action.objects.count(), Dispute.objects.count(), Decision.objects.count()
    assert Api().post(url, body).status_code == 401
    assert _api(board, can_write=False).post(url, body).status_code == 403
    observer = UserFactory()
    grant(observer, board.partnership, "observer")
    assert Api(token_for(observer, [board.partnership])).post(url, body).status_code == 403
    outsider = UserFactory()
    theirs = PartnershipFactory()
    grant(outsider, theirs, "coordinator")
    assert Api(token_for(outsider, [theirs])).post(url, body).status_code == 404
    assert (
        Api(token_for(outsider, [theirs]))
        .send("patch", f"/api/v1/actions/{board.action.pk}", {"status": "done"})
        .status_code
        == 404
    )
    assert (Action.objects.count(), Dispute.objects.count(), Decision.objects.count()) == before
