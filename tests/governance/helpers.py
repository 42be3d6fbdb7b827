"""A board to record: a partnership with voting members of two sectors (and an associate that does not vote), a
coordinator, a quorum rule, and a held meeting with a public and a private item, attendance, a decision, an
action, a dispute and a paper, all written through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.governance import services
from joinedup.governance.models import Action, AgendaItem, Decision, Dispute, Meeting, Paper
from joinedup.register.models import Organisation, Partnership
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, PartnershipRoleFactory

START = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)


@dataclass
class Board:
    partnership: Partnership
    coordinator: Any
    nhs: list[Organisation]
    council: Organisation
    associate: Organisation
    meeting: Meeting | None = None
    public_item: AgendaItem | None = None
    private_item: AgendaItem | None = None
    decision: Decision | None = None
    private_decision: Decision | None = None
    action: Action | None = None
    dispute: Dispute | None = None
    paper: Paper | None = None
    private_paper: Paper | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def voting(self) -> list[Organisation]:
        return [*self.nhs, self.council]


def make_board(nhs: int = 2, *, rule: bool = True) -> Board:
    partnership = PartnershipFactory()
    coordinator = PartnershipRoleFactory(partnership=partnership, role="coordinator").user
    nhs_orgs = [OrganisationFactory(sector="nhs", name=f"NHS trust {i + 1}") for i in range(nhs)]
    council = OrganisationFactory(sector="local_authority", name="Northshire County Council")
    associate = OrganisationFactory(sector="voluntary", name="Carers together")
    for org in [*nhs_orgs, council]:
        MembershipFactory(partnership=partnership, organisation=org, joined=datetime.date(2023, 4, 1))
    MembershipFactory(
        partnership=partnership, organisation=associate, role="associate", joined=datetime.date(2023, 4, 1)
    )
    if rule:
        services.quorum_rule_save(
            by=coordinator,
            partnership=partnership,
            min_count=2,
            min_share_percent=50,
            constituencies=[("nhs", 1), ("local_authority", 1)],
            source="Clause 9: the board is quorate with half its voting members, one NHS and one council.",
        )
    return Board(
        partnership=partnership, coordinator=coordinator, nhs=nhs_orgs, council=council, associate=associate
    )


def hold_meeting(board: Board, *, council_there: bool = True, start: datetime.datetime = START) -> Meeting:
    by = board.coordinator
    meeting = services.meeting_save(
        by=by,
        partnership=board.partnership,
        title=f"Board {start:%B %Y}",
        kind="board",
        start=start,
        place="Room 2",
    )
    rows = [
        services.AttendanceRow(organisation=o, status="present", name=f"Lead of {o.name}") for o in board.nhs
    ]
    rows.append(
        services.AttendanceRow(
            organisation=board.council,
            status="substitute" if council_there else "apologies",
            name="Deputy director",
            substitute_for="Director of adult social care" if council_there else "",
        )
    )
    rows.append(
        services.AttendanceRow(organisation=board.associate, status="in_attendance", name="Carers lead")
    )
    services.attendance_record(by=by, meeting=meeting, rows=rows)
    return meeting


def fill_board(board: Board) -> Board:
    """A held meeting with everything recorded against it."""
    by = board.coordinator
    board.meeting = meeting = hold_meeting(board)
    board.public_item = services.agenda_item_save(by=by, meeting=meeting, number=1, title="Budget 2026/27")
    board.private_item = services.agenda_item_save(
        by=by,
        meeting=meeting,
        number=2,
        title="Contract dispute with a provider",
        is_private=True,
        note="Legal advice.",
    )
    board.decision = services.decision_record(
        by=by,
        meeting=meeting,
        item=board.public_item,
        title="Budget agreed",
        text="The pooled budget is held flat.",
        method="vote",
        votes={board.nhs[0]: "for", board.council: "against"},
        declarations=[("Sam Patel", "Trustee of a bidding charity")],
        actions=[
            services.ActionSpec(
                title="Publish the budget", owner_organisation=board.council, due=datetime.date(2026, 4, 1)
            )
        ],
    )
    board.action = board.decision.actions.get()
    board.private_decision = services.decision_record(
        by=by,
        meeting=meeting,
        item=board.private_item,
        title="Seek legal advice",
        text="Secret.",
        method="consensus",
    )
    board.dispute = services.dispute_save(
        by=by,
        partnership=board.partnership,
        topic="Who pays for out-of-area beds",
        raised_by=board.council,
        raised_on=datetime.date(2026, 2, 1),
        partners=[board.council, board.nhs[0]],
    )
    board.paper = services.paper_add(
        by=by,
        meeting=meeting,
        title="Budget paper",
        upload=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget"),
        item=board.public_item,
    )
    board.private_paper = services.paper_add(
        by=by,
        meeting=meeting,
        title="Legal note",
        upload=SimpleUploadedFile("legal.pdf", b"%PDF-1.4 legal"),
        item=board.private_item,
    )
    return board


@dataclass
class MatrixRecords:
    meeting: Meeting
    paper: Paper
    decision: Decision
    action: Action
    dispute: Dispute


def matrix_records(partnership: Partnership, orgs: list[Organisation], by: Any) -> MatrixRecords:
    """One of each record for the role × route matrix (tests/core/test_access_matrix.py)."""
    meeting = services.meeting_save(
        by=by, partnership=partnership, title="Board", start=START, place="Room 2"
    )
    services.attendance_record(
        by=by,
        meeting=meeting,
        rows=[services.AttendanceRow(organisation=o, status="present", name="X") for o in orgs],
    )
    item = services.agenda_item_save(by=by, meeting=meeting, number=1, title="Budget")
    services.agenda_item_save(by=by, meeting=meeting, number=2, title="Private matter", is_private=True)
    decision = services.decision_record(
        by=by,
        meeting=meeting,
        item=item,
        title="Budget agreed",
        text="Held flat.",
        method="consensus",
        actions=[services.ActionSpec(title="Publish it", owner_organisation=orgs[0])],
    )
    paper = services.paper_add(
        by=by, meeting=meeting, title="Budget", upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4")
    )
    dispute = services.dispute_save(
        by=by,
        partnership=partnership,
        topic="Beds",
        raised_by=orgs[0],
        raised_on=datetime.date(2026, 2, 1),
        partners=orgs,
    )
    return MatrixRecords(meeting, paper, decision, decision.actions.get(), dispute)
