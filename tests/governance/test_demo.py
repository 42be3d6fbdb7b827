"""The demo's board: 10 meetings held with attendance, one partner's attendance fading, one inquorate decision,
20 actions (some overdue at the demo's AS_OF), 2 disputes (one escalated)."""

from __future__ import annotations

import pytest

from joinedup.governance import selectors
from joinedup.governance.choices import OPEN_ACTION_STATUSES
from joinedup.governance.models import Action, Attendance, Decision, Dispute, Meeting
from joinedup.governance.northshire import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from joinedup.demo.northshire import build_northshire

    return build_northshire(seed=2026)


def test_the_boards_record(demo):
    mh = demo["partnerships"]["mh"]
    held = list(Meeting.objects.filter(partnership=mh, kind="board", state="held").order_by("start"))
    assert len(held) == 10
    assert all(Attendance.objects.filter(meeting=m).exists() for m in held)
    assert Meeting.objects.filter(partnership=mh, state="scheduled").count() == 1

    coast = demo["organisations"]["pcn_coast"]
    last4 = [Attendance.objects.get(meeting=m, organisation=coast).status for m in held[-4:]]
    assert last4.count("absent") == 3 and "present" in last4
    _, rates = selectors.attendance_rates(partnership=mh, last=4)
    by_name = {r.organisation.name: r for r in rates}
    assert by_name[coast.name].present == 1 and by_name[coast.name].absent == 3
    assert by_name[coast.name].percent == 25

    decisions = Decision.objects.filter(meeting__partnership=mh)
    inquorate = list(decisions.filter(quorate=False))
    assert len(inquorate) == 1 and "0 local authority voting members there" in inquorate[0].quorum_reason
    assert not decisions.filter(quorate__isnull=True).exists()
    assert decisions.filter(method="vote").count() == 3

    actions = Action.objects.filter(partnership=mh)
    assert actions.count() == 20
    overdue = actions.filter(status__in=OPEN_ACTION_STATUSES, due__lt=AS_OF)
    assert overdue.count() == 5
    assert actions.filter(status__in=OPEN_ACTION_STATUSES, due__gte=AS_OF).exists()

    disputes = Dispute.objects.filter(partnership=mh)
    assert disputes.count() == 2
    escalated = disputes.get(status="escalated")
    assert "Disputes go first to the directors" in escalated.escalation_step
    assert disputes.filter(status="resolved").count() == 1


def test_the_demo_pages_read_well(demo, client):
    mh = demo["partnerships"]["mh"]
    client.force_login(demo["users"]["coordinator"])
    meetings = client.get(f"/governance/partnerships/{mh.pk}/meetings/").content.decode()
    assert "Northshire Coastal Primary Care Network" in meetings and "3 of 6" in meetings
    inquorate = Decision.objects.get(meeting__partnership=mh, quorate=False)
    page = client.get(f"/governance/meetings/{inquorate.meeting_id}/").content.decode()
    assert "Not quorate" in page
    home = client.get(f"/register/partnerships/{mh.pk}/").content.decode()
    assert "Next meeting:" in home and "overdue" in home  # overdue is read against the day the page is shown
    rep = demo["users"]["trust_rep"]
    client.force_login(rep)
    assert "Action: Open two local crisis beds" in client.get("/").content.decode()
