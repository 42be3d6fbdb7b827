"""Writes: each all or nothing, each with its audit event, each refusing bad input with where it is wrong."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.core.models import AuditEvent
from joinedup.governance import services
from joinedup.governance.choices import PAPER_MAX_BYTES
from joinedup.governance.models import Action, Attendance, Decision, Dispute, Paper, Vote
from tests.governance.helpers import START, fill_board, hold_meeting, make_board

pytestmark = pytest.mark.django_db


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))


def test_recording_attendance_holds_the_meeting_and_is_audited():
    board = make_board()
    meeting = hold_meeting(board)
    assert meeting.state == "held"
    assert Attendance.objects.filter(meeting=meeting).count() == 4
    assert verbs()[-3:] == ["meeting.scheduled", "meeting.attendance_recorded", "meeting.held"]


def test_bad_attendance_rows_are_all_refused_and_named_by_row():
    board = make_board()
    meeting = hold_meeting(board)
    before = list(Attendance.objects.filter(meeting=meeting).values_list("pk", flat=True))
    rows = [
        services.AttendanceRow(organisation=board.nhs[0], status="present", name="A"),
        services.AttendanceRow(organisation=board.council, status="substitute", name="B"),
        services.AttendanceRow(organisation=board.nhs[0], status="present", name="A"),
    ]
    with pytest.raises(ValidationError) as error:
        services.attendance_record(by=board.coordinator, meeting=meeting, rows=rows)
    assert error.value.messages == [
        "Row 2 (Northshire County Council): say whom the substitute stands in for.",
        "Row 3 (NHS trust 1): A is listed twice.",
    ]
    assert list(Attendance.objects.filter(meeting=meeting).values_list("pk", flat=True)) == before


def test_a_decision_stores_the_quorum_with_its_votes_declarations_and_actions():
    board = fill_board(make_board())
    d = board.decision
    assert d.quorate is True
    assert d.quorum_reason.startswith("Quorate: 3 of 3 voting members were there")
    assert sorted(Vote.objects.filter(decision=d).values_list("option", flat=True)) == ["against", "for"]
    assert d.declarations.get().name == "Sam Patel"
    assert board.action.meeting == board.meeting and board.action.partnership == board.partnership
    assert "decision.recorded" in verbs() and "action.created" in verbs()


def test_an_inquorate_meeting_marks_its_decision_and_says_why():
    board = make_board()
    meeting = hold_meeting(board, council_there=False)
    d = services.decision_record(
        by=board.coordinator, meeting=meeting, title="Go ahead", text="Yes.", method="consensus"
    )
    assert d.quorate is False and d.inquorate
    assert "0 local authority voting members there" in d.quorum_reason


def test_without_a_rule_a_decision_is_not_checked():
    board = make_board(rule=False)
    meeting = hold_meeting(board)
    d = services.decision_record(
        by=board.coordinator, meeting=meeting, title="Go", text="Yes.", method="consensus"
    )
    assert d.quorate is None and "No quorum rule" in d.quorum_reason


def test_a_bad_decision_writes_nothing_and_names_each_field():
    board = make_board()
    meeting = hold_meeting(board)
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            by=board.coordinator,
            meeting=meeting,
            title="",
            text="",
            method="vote",
            votes={board.associate: "for"},
            declarations=[("Sam", "")],
            actions=[
                services.ActionSpec(
                    title="x",
                    owner_organisation=board.nhs[0].__class__.objects.create(name="Elsewhere", sector="nhs"),
                )
            ],
        )
    problems = error.value.message_dict
    assert set(problems) == {"title", "text", "votes", "declarations", "actions"}
    assert problems["votes"] == ["Carers together is not a voting member, so it has no vote."]
    assert problems["actions"] == ["Action 1: Elsewhere is not a member of the partnership."]
    assert not Decision.objects.exists() and not Action.objects.exists()
    assert AuditEvent.objects.count() == count


def test_a_failing_action_rolls_back_the_whole_decision(monkeypatch):
    board = make_board()
    meeting = hold_meeting(board)
    real = services.decisions.action_save

    def broken(**kwargs):
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.decisions, "action_save", broken)
    with pytest.raises(RuntimeError):
        services.decision_record(
            by=board.coordinator,
            meeting=meeting,
            title="T",
            text="X",
            method="vote",
            votes={board.nhs[0]: "for"},
            actions=[services.ActionSpec(title="Do it", owner_organisation=board.council)],
        )
    assert not Decision.objects.exists() and not Vote.objects.exists() and not Action.objects.exists()


def test_consensus_has_no_votes_and_a_scheduled_meeting_takes_no_decisions():
    board = make_board()
    meeting = services.meeting_save(
        by=board.coordinator, partnership=board.partnership, title="Later", start=START, online=True
    )
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            by=board.coordinator,
            meeting=meeting,
            title="T",
            text="X",
            method="consensus",
            votes={board.nhs[0]: "for"},
        )
    assert "Record the attendance first" in str(error.value)
    assert "A decision by consensus has no votes" in str(error.value)


def test_meeting_needs_a_place_or_online_and_ends_after_it_starts():
    board = make_board()
    with pytest.raises(ValidationError) as error:
        services.meeting_save(by=None, partnership=board.partnership, title="T", start=START)
    assert "place" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_save(
            by=None,
            partnership=board.partnership,
            title="T",
            start=START,
            end=START - datetime.timedelta(hours=1),
            online=True,
        )
    assert "end" in error.value.message_dict


def test_meeting_save_refuses_fields_it_does_not_set():
    board = make_board()
    with pytest.raises(TypeError, match="partnership_id"):
        services.meeting_save(
            by=None, partnership=board.partnership, title="T", start=START, partnership_id=3
        )  # type: ignore[call-arg]


def test_cancelling_is_audited_as_cancelled():
    board = make_board()
    meeting = services.meeting_save(
        by=None, partnership=board.partnership, title="T", start=START, online=True
    )
    services.meeting_save(by=None, meeting=meeting, state="cancelled")
    assert verbs()[-1] == "meeting.cancelled"
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_record(by=None, meeting=meeting, rows=[])


def test_agenda_numbers_are_unique_in_a_meeting():
    board = fill_board(make_board())
    with pytest.raises(ValidationError) as error:
        services.agenda_item_save(by=None, meeting=board.meeting, number=1, title="Again")
    assert error.value.message_dict == {"number": ["This meeting already has an item 1."]}


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("tool.exe", b"MZ\x90\x00", "not a .exe file"),
        ("notes.pdf", b"\x7fELF\x02\x01", "is a program"),
        ("run.pdf", b"#!/bin/sh\nrm -rf /", "is a program"),
        ("empty.pdf", b"", "empty"),
        ("noext", b"hello", "without an extension"),
    ],
)
def test_papers_refuse_programs_and_empty_files(name, data, problem):
    board = make_board()
    meeting = hold_meeting(board)
    with pytest.raises(ValidationError) as error:
        services.paper_add(by=None, meeting=meeting, title="X", upload=SimpleUploadedFile(name, data))
    assert problem in " ".join(error.value.message_dict["file"])
    assert not Paper.objects.exists()


def test_papers_are_capped_in_size():
    board = make_board()
    meeting = hold_meeting(board)
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * PAPER_MAX_BYTES)
    with pytest.raises(ValidationError, match="larger than 20 MB"):
        services.paper_add(by=None, meeting=meeting, title="X", upload=big)


def test_a_paper_is_kept_under_media_root_and_audited(settings):
    board = fill_board(make_board())
    paper = board.paper
    assert paper.file.path.startswith(str(settings.MEDIA_ROOT))
    with paper.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 budget"
    assert paper.filename == "budget.pdf" and paper.size == 15
    assert "meeting.paper_added" in verbs()


def test_an_action_done_needs_its_date_and_others_have_none():
    board = fill_board(make_board())
    with pytest.raises(ValidationError) as error:
        services.action_save(by=None, action=board.action, status="done")
    assert "completed" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.action_save(by=None, action=board.action, completed=datetime.date(2026, 3, 1))
    done = services.action_save(
        by=None, action=board.action, status="done", completed=datetime.date(2026, 3, 30)
    )
    assert done.status == "done"
    assert verbs()[-1] == "action.updated"


def test_a_dispute_escalates_only_with_the_step_and_date():
    board = fill_board(make_board())
    with pytest.raises(ValidationError) as error:
        services.dispute_save(by=None, dispute=board.dispute, status="escalated")
    assert set(error.value.message_dict) == {"closed_on", "escalation_step"}
    services.dispute_save(
        by=None,
        dispute=board.dispute,
        status="escalated",
        closed_on=datetime.date(2026, 3, 1),
        escalation_step="Clause 12.3: referred to the chief executives.",
    )
    x = Dispute.objects.get()
    assert x.status == "escalated" and x.closed_on == datetime.date(2026, 3, 1)
    assert verbs()[-1] == "dispute.updated"


def test_a_dispute_between_outsiders_is_refused():
    board = make_board()
    outsider = board.nhs[0].__class__.objects.create(name="Elsewhere", sector="nhs")
    with pytest.raises(ValidationError) as error:
        services.dispute_save(
            by=None,
            partnership=board.partnership,
            topic="T",
            raised_by=outsider,
            raised_on=datetime.date(2026, 1, 1),
            partners=[outsider],
        )
    assert set(error.value.message_dict) == {"raised_by", "partners"}
    assert not Dispute.objects.exists()


def test_quorum_rule_problems_are_named():
    board = make_board(rule=False)
    with pytest.raises(ValidationError) as error:
        services.quorum_rule_save(
            by=None,
            partnership=board.partnership,
            min_count=-1,
            min_share_percent=120,
            constituencies=[("mars", 1), ("nhs", 0)],
        )
    assert set(error.value.message_dict) == {"min_count", "min_share_percent", "constituencies"}


def test_correcting_a_decision_keeps_its_votes_and_quorum_and_is_audited():
    board = fill_board(make_board())
    d = services.decision_update(
        by=board.coordinator, decision=board.decision, text="The pooled budget is held at £14.2m."
    )
    d.refresh_from_db()
    assert d.text == "The pooled budget is held at £14.2m." and d.quorate is True and d.votes.count() == 2
    event = AuditEvent.objects.order_by("pk").last()
    assert event.verb == "decision.updated" and event.data["text"][0] == "The pooled budget is held flat."
    with pytest.raises(ValidationError):
        services.decision_update(by=None, decision=d, title=" ")
    with pytest.raises(TypeError, match="quorate"):
        services.decision_update(by=None, decision=d, quorate=False)  # type: ignore[call-arg]
