"""The pages as each role sees them: private items only for MEETING_PRIVATE_VIEW, recording only for
GOVERNANCE_RECORD; the forms record a meeting's attendance in one table and a decision with its votes,
declarations and actions on one page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.governance.models import Action, Attendance, Decision, Dispute, Meeting, QuorumRule
from tests.conftest import grant
from tests.factories import UserFactory
from tests.governance.helpers import Board, fill_board, make_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def board() -> Board:
    return fill_board(make_board())


def as_role(board: Board, role: str) -> Client:
    client = Client()
    if role == "coordinator":
        client.force_login(board.coordinator)
    else:
        user = UserFactory()
        grant(user, board.partnership, role)
        client.force_login(user)
    return client


def text(response: Any) -> str:
    return response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "member", "evaluator", "observer"])
def test_the_meeting_page_shows_private_items_only_to_those_who_may_see_them(board, role):
    page = text(as_role(board, role).get(reverse("governance:meeting", args=[board.meeting.pk])))
    sees = role in {"coordinator", "member"}
    assert "Budget 2026/27" in page and "Budget agreed" in page
    assert ("Contract dispute with a provider" in page) is sees
    assert ("Seek legal advice" in page) is sees
    assert ("Legal note" in page) is sees
    assert ("1 private item is not shown to you" in page) is (not sees)
    assert ("Record a decision" in page) is (role == "coordinator")
    assert "Quorate" in page and "3 of 3 voting members were there" in page


@pytest.mark.parametrize("role", ["member", "observer"])
def test_minutes_show_attendance_quorum_votes_declarations_and_actions(board, role):
    page = text(as_role(board, role).get(reverse("governance:minutes", args=[board.meeting.pk])))
    assert "minutes-print.css" in page
    for words in (
        "Lead of NHS trust 1",
        "substitute for Director of adult social care",
        "Carers lead",
        "Northshire County Council: against",
        "1 for, 1 against, no abstentions",
        "Sam Patel: Trustee of a bidding charity",
        "Publish the budget",
        "Quorate: 3 of 3 voting members were there",
    ):
        assert words in page, words
    assert ("Contract dispute with a provider" in page) is (role == "member")


def test_a_private_decision_action_and_paper_answer_404_without_the_right(board):
    observer = as_role(board, "observer")
    assert observer.get(reverse("governance:decision", args=[board.private_decision.pk])).status_code == 404
    assert observer.get(reverse("governance:paper", args=[board.private_paper.pk])).status_code == 404
    member = as_role(board, "member")
    assert member.get(reverse("governance:decision", args=[board.private_decision.pk])).status_code == 200
    got = member.get(reverse("governance:paper", args=[board.private_paper.pk]))
    assert got.status_code == 200 and got.content == b"%PDF-1.4 legal"
    assert got["Content-Disposition"] == 'attachment; filename="legal.pdf"'


def test_the_partnership_page_shows_the_section(board):
    page = text(
        as_role(board, "observer").get(reverse("register:partnership_detail", args=[board.partnership.pk]))
    )
    assert "Meetings and decisions" in page
    assert "which was quorate (3 of 3 voting members there)" in page
    assert "1 action open" in page
    assert "1 dispute or tension open or being resolved" in page
    # the timeline has the meeting and the public decision, not the private one
    assert "Budget agreed" in page and "Seek legal advice" not in page
    assert "Raised: Who pays for out-of-area beds" in page


def test_attendance_for_every_organisation_is_one_form(board):
    client = as_role(board, "coordinator")
    meeting = board.meeting
    url = reverse("governance:attendance", args=[meeting.pk])
    page = client.get(url)
    formset = page.context["formset"]
    assert len(formset.forms) == 4 + 3  # one row per organisation recorded, and three spare rows
    data: dict[str, Any] = {"att-TOTAL_FORMS": "5", "att-INITIAL_FORMS": "0"}
    orgs = [*board.nhs, board.council, board.associate]
    statuses = ["present", "present_online", "apologies", "in_attendance"]
    for n, (org, status) in enumerate(zip(orgs, statuses, strict=True)):
        data.update({f"att-{n}-organisation": org.pk, f"att-{n}-name": f"P{n}", f"att-{n}-status": status})
    data.update({"att-4-organisation": "", "att-4-name": "", "att-4-status": ""})
    response = client.post(url, data)
    assert response.status_code == 302
    assert sorted(Attendance.objects.filter(meeting=meeting).values_list("status", flat=True)) == sorted(
        statuses
    )


def test_a_substitute_without_whom_is_refused_naming_the_row(board):
    client = as_role(board, "coordinator")
    url = reverse("governance:attendance", args=[board.meeting.pk])
    data = {
        "att-TOTAL_FORMS": "2",
        "att-INITIAL_FORMS": "0",
        "att-0-organisation": board.nhs[0].pk,
        "att-0-name": "A",
        "att-0-status": "present",
        "att-1-organisation": board.council.pk,
        "att-1-name": "B",
        "att-1-status": "substitute",
    }
    page = text(client.post(url, data))
    assert "Row 2 (Northshire County Council): say whom the substitute stands in for." in page
    assert Attendance.objects.filter(meeting=board.meeting).count() == 4  # unchanged


def test_recording_a_decision_with_votes_declarations_and_actions(board):
    client = as_role(board, "coordinator")
    url = reverse("governance:decision_create", args=[board.meeting.pk])
    assert "NHS trust 2" in text(client.get(url))
    data = {
        "title": "Crisis café funded",
        "text": "Fund the crisis café for a year.",
        "reasons": "Fewer emergency admissions.",
        "options_rejected": "A helpline only.",
        "method": "vote",
        f"vote_{board.nhs[0].pk}": "for",
        f"vote_{board.nhs[1].pk}": "abstain",
        f"vote_{board.council.pk}": "for",
        "declaration_name_1": "Jo Bloggs",
        "declaration_interest_1": "Sits on the café's board",
        "action_title_1": "Sign the grant",
        "action_org_1": board.council.pk,
        "action_due_1": "2026-05-01",
    }
    response = client.post(url, data)
    decision = Decision.objects.get(title="Crisis café funded")
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    assert decision.votes.count() == 3 and decision.declarations.get().name == "Jo Bloggs"
    action = Action.objects.get(decision=decision)
    assert action.due == datetime.date(2026, 5, 1) and action.owner_organisation == board.council


def test_a_decision_form_with_problems_says_where(board):
    client = as_role(board, "coordinator")
    url = reverse("governance:decision_create", args=[board.meeting.pk])
    page = text(
        client.post(
            url,
            {
                "method": "consensus",
                "declaration_name_1": "Jo",
                "action_title_1": "X",
                f"vote_{board.nhs[0].pk}": "for",
            },
        )
    )
    assert "There is a problem" in page
    assert "Give both the name and the interest." in page
    assert "Choose the organisation that owns it." in page
    assert "What was decided: This field is required." in page


def test_schedule_a_meeting_and_add_an_item_and_a_paper(board):
    client = as_role(board, "coordinator")
    response = client.post(
        reverse("governance:meeting_create", args=[board.partnership.pk]),
        {"title": "Board May", "kind": "board", "start": "2026-05-06T10:00", "place": "", "online": "on"},
    )
    meeting = Meeting.objects.get(title="Board May")
    assert response.status_code == 302 and meeting.state == "scheduled" and meeting.online
    client.post(reverse("governance:item_add", args=[meeting.pk]), {"number": "1", "title": "Welcome"})
    assert meeting.items.get().title == "Welcome"
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        reverse("governance:paper_add", args=[meeting.pk]),
        {"title": "Tool", "file": SimpleUploadedFile("tool.exe", b"MZ\x00")},
    )
    assert "not a .exe file" in text(bad)
    good = client.post(
        reverse("governance:paper_add", args=[meeting.pk]),
        {"title": "Agenda", "file": SimpleUploadedFile("agenda.pdf", b"%PDF-1.4")},
    )
    assert good.status_code == 302 and meeting.papers.get().title == "Agenda"


def test_actions_list_overdue_first(board):
    client = as_role(board, "observer")
    page = text(client.get(reverse("governance:actions", args=[board.partnership.pk])))
    # the budget action was due on 1 April 2026, before today
    assert "Overdue" in page and "of which <strong>1 overdue</strong>" in page


def test_quorum_rule_form_saves_constituencies(board):
    client = as_role(board, "coordinator")
    response = client.post(
        reverse("governance:quorum_rule", args=[board.partnership.pk]),
        {
            "min_count": "3",
            "min_share_percent": "",
            "source": "Clause 9",
            "sector_nhs": "2",
            "sector_local_authority": "1",
        },
    )
    assert response.status_code == 302
    rule = QuorumRule.objects.get(partnership=board.partnership)
    assert rule.min_count == 3 and rule.min_share_percent is None
    assert rule.constituencies == [
        {"sector": "nhs", "minimum": 2},
        {"sector": "local_authority", "minimum": 1},
    ]
    page = text(client.get(reverse("governance:meetings", args=[board.partnership.pk])))
    assert (
        "at least 3 voting members are there, with at least 2 NHS voting members and at least 1 local authority voting member"
        in page
    )


def test_meeting_list_shows_attendance_rates_over_the_last_n(board):
    page = text(
        as_role(board, "observer").get(
            reverse("governance:meetings", args=[board.partnership.pk]), {"last": "3"}
        )
    )
    assert "of the last 1 meeting held" in page
    assert "Carers together" not in page.split("Attendance by organisation")[1]  # an associate has no vote


def test_dispute_escalated_through_the_form(board):
    client = as_role(board, "coordinator")
    url = reverse("governance:dispute_edit", args=[board.dispute.pk])
    base = {
        "topic": board.dispute.topic,
        "raised_by": board.council.pk,
        "partners": [board.council.pk, board.nhs[0].pk],
        "status": "escalated",
        "raised_on": "2026-02-01",
    }
    page = text(client.post(url, base))
    assert "Say which step of the disputes clause was taken." in page
    response = client.post(
        url, {**base, "closed_on": "2026-03-01", "escalation_step": "Clause 12.2: chief executives meet."}
    )
    assert response.status_code == 302
    assert Dispute.objects.get().status == "escalated"


def test_an_action_from_a_meeting_without_a_decision(board):
    client = as_role(board, "coordinator")
    url = reverse("governance:action_create", args=[board.partnership.pk])
    assert client.get(url, {"meeting": board.meeting.pk}).context["form"].initial["meeting"] == str(
        board.meeting.pk
    )
    response = client.post(
        url,
        {
            "title": "Book the next venue",
            "owner_organisation": board.council.pk,
            "status": "open",
            "meeting": board.meeting.pk,
        },
    )
    action = Action.objects.get(title="Book the next venue")
    assert response.status_code == 302 and action.meeting == board.meeting and action.decision is None
    page = text(client.get(reverse("governance:meeting", args=[board.meeting.pk])))
    assert "Book the next venue" in page


def test_meetings_are_listed_newest_first(board):
    from joinedup.governance import services

    later = services.meeting_save(
        by=None,
        partnership=board.partnership,
        title="Board, next year",
        start=datetime.datetime(2027, 1, 14, 10, tzinfo=datetime.UTC),
        online=True,
    )
    page = text(as_role(board, "observer").get(reverse("governance:meetings", args=[board.partnership.pk])))
    assert page.index(later.title) < page.index(board.meeting.title)


def test_a_coordinator_corrects_a_decisions_words(board):
    client = as_role(board, "coordinator")
    url = reverse("governance:decision_edit", args=[board.decision.pk])
    response = client.post(
        url, {"title": "Budget agreed", "text": "Held flat at £14.2m.", "reasons": "", "options_rejected": ""}
    )
    assert response.status_code == 302
    board.decision.refresh_from_db()
    assert board.decision.text == "Held flat at £14.2m." and board.decision.votes.count() == 2
    assert as_role(board, "member").post(url, {"title": "x", "text": "y"}).status_code == 403
