"""What governance lends the shell: record kinds other apps link to, timeline entries, "needs you" items."""

from __future__ import annotations

import datetime

import pytest

from joinedup.core.registry import needs_for, record_kinds, records_resolve, timeline_for
from joinedup.governance import records, services
from tests.conftest import grant
from tests.factories import PersonFactory, UserFactory
from tests.governance.helpers import fill_board, make_board

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def board():
    return fill_board(make_board())


def test_decisions_and_actions_are_record_kinds(board):
    assert {"governance.decision", "governance.action"} <= {k.key for k in record_kinds}
    options = records.decision_options(partnership=board.partnership)
    assert [o.id for o in options] == [board.decision.pk]  # the private one is not offered for linking
    found = records_resolve(
        [
            ("governance.decision", board.decision.pk),
            ("governance.action", board.action.pk),
            ("governance.decision", 999999),
        ]
    )
    ref = found[("governance.decision", board.decision.pk)]
    assert (
        ref.url == f"/governance/decisions/{board.decision.pk}/"
        and ref.partnership_id == board.partnership.pk
    )
    assert "Budget agreed" in ref.title
    assert found[("governance.action", board.action.pk)].title == "Publish the budget (open)"
    assert ("governance.decision", 999999) not in found


def test_timeline_respects_private_items_and_the_limit(board):
    services.dispute_save(
        by=None,
        dispute=board.dispute,
        status="escalated",
        closed_on=datetime.date(2026, 3, 1),
        escalation_step="Clause 12",
    )
    observer, member = UserFactory(), UserFactory()
    grant(observer, board.partnership, "observer")
    grant(member, board.partnership, "member")
    seen = [
        (e.kind, e.title) for e in records.timeline(user=observer, partnership=board.partnership, limit=30)
    ]
    assert ("Decision", "Budget agreed") in seen and ("Decision", "Seek legal advice") not in seen
    assert ("Dispute", "Escalated: Who pays for out-of-area beds") in seen
    assert ("Meeting", "Board March 2026 held") in seen
    assert ("Decision", "Seek legal advice") in [
        (e.kind, e.title) for e in records.timeline(user=member, partnership=board.partnership, limit=30)
    ]
    assert len(records.timeline(user=member, partnership=board.partnership, limit=2)) == 2
    assert len(timeline_for(user=member, partnership=board.partnership, limit=3)) == 3


def test_needs_go_to_the_owner_and_to_who_represents_the_owning_organisation(board):
    rep = UserFactory()
    grant(rep, board.partnership, "representative", organisation=board.council)
    mine = [n for n in needs_for(user=rep, today=TODAY) if n.title.startswith("Action:")]
    assert [(n.title, n.overdue) for n in mine] == [("Action: Publish the budget", True)]
    assert (
        mine[0].reason
        == "Northshire County Council owns it and you represent it; it was due on 1 April 2026."
    )

    owner = UserFactory()
    grant(owner, board.partnership, "member")
    person = PersonFactory(user=owner)
    later = services.action_save(
        by=None,
        partnership=board.partnership,
        title="Write the report",
        owner_organisation=board.nhs[0],
        owner_person=person,
        due=datetime.date(2027, 1, 31),
    )
    got = [n for n in needs_for(user=owner, today=TODAY) if n.title.startswith("Action:")]
    assert [(n.title, n.overdue, n.reason) for n in got] == [
        ("Action: Write the report", False, "It is yours; it is due by 31 January 2027.")
    ]
    services.action_save(by=None, action=later, status="done", completed=TODAY)
    assert not [n for n in needs_for(user=owner, today=TODAY) if n.title.startswith("Action:")]

    stranger = UserFactory()
    grant(stranger, board.partnership, "member")
    assert not [n for n in needs_for(user=stranger, today=TODAY) if n.title.startswith("Action:")]
