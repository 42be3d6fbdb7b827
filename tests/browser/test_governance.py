"""A coordinator records a board meeting in real Chromium, at 1280 and 375 px, with an axe-core scan of every
page: schedules it, adds an agenda item, records everyone's attendance in one table, records a decision with
the votes, a declaration of interest and an action, and reads the minutes."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.governance.models import Action, Attendance, Decision
from tests.conftest import login, page_check
from tests.governance.helpers import make_board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_coordinator_records_a_meeting_attendance_a_decision_and_actions(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    board = make_board(nhs=8)  # ten organisations: eight NHS members, the council, an associate
    login(page, board.coordinator.email)

    page.goto(f"/governance/partnerships/{board.partnership.pk}/meetings/")
    page_check(page, f"governance-meetings-{width}")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Partnership board, March 2026")
    page.get_by_label("Starts").fill("2026-03-04T10:00")
    page.get_by_label("Where").fill("County Hall, Room 2")
    page_check(page, f"governance-schedule-{width}")
    page.get_by_role("button", name="Schedule meeting").click()
    page.wait_for_url("**/governance/meetings/*/")

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title").fill("Budget for 2026/27")
    page.get_by_role("button", name="Save item").click()
    page.wait_for_url("**/governance/meetings/*/")

    page.get_by_role("link", name="Record attendance").click()
    page_check(page, f"governance-attendance-{width}")
    rows = page.locator("table.app-attendance-table tbody tr")
    assert rows.count() == 10 + 3  # one row per organisation (no representatives named), three spare rows
    for n in range(10):
        status = "apologies" if n == 3 else "present"
        rows.nth(n).locator("select[name$='-status']").select_option(status)
    spare = rows.nth(10)
    spare.locator("select[name$='-organisation']").select_option(label="Northshire County Council")
    spare.locator("input[name$='-name']").fill("Deputy director")
    spare.locator("select[name$='-status']").select_option("substitute")
    # a substitute without whom they stand in for is refused, naming the row
    page.get_by_role("button", name="Save attendance").click()
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "Row 11 (Northshire County Council): say whom the substitute stands in for." in summary
    page_check(page, f"governance-attendance-error-{width}")
    page.locator("table.app-attendance-table tbody tr").nth(10).locator(
        "input[name$='-substitute_for']"
    ).fill("Director of adult social care")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_url("**/governance/meetings/*/")
    assert Attendance.objects.count() == 11
    assert "Quorate" in page.locator("main").inner_text()
    page_check(page, f"governance-meeting-held-{width}")

    page.get_by_role("link", name="Record a decision", exact=True).click()
    page.get_by_label("Title").fill("Budget held flat")
    page.get_by_label("What was decided").fill("The pooled fund stays at £14.2 million.")
    page.get_by_label("Reasons").fill("No partner can add money this year.")
    page.get_by_label("Options considered and rejected").fill("A 3% uplift.")
    page.get_by_label("Agenda item").select_option(label="1. Budget for 2026/27")
    page.get_by_label("By vote").check()
    page.get_by_label("NHS trust 1").select_option("for")
    page.get_by_label("NHS trust 2").select_option("abstain")
    page.get_by_label("Northshire County Council").select_option("for")
    page.get_by_label("Declaration 1: who").fill("Sam Patel")
    page.get_by_label("Declaration 1: interest").fill("Trustee of a charity that receives a grant")
    page.get_by_label("Action 1: what").fill("Tell the finance directors")
    page.get_by_label("Action 1: owner organisation").select_option(label="Northshire County Council")
    page.get_by_label("Action 1: due by").fill("2026-04-01")
    page_check(page, f"governance-decision-form-{width}")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/governance/decisions/*/")
    decision = Decision.objects.get()
    assert decision.quorate is True and decision.votes.count() == 3
    assert Action.objects.get().owner_organisation == board.council
    assert "Sam Patel: Trustee of a charity that receives a grant" in page.locator("main").inner_text()
    page_check(page, f"governance-decision-{width}")

    page.get_by_role("link", name="Back to").click()
    page_check(page, f"governance-meeting-{width}")
    page.get_by_role("link", name="Printable minutes").click()
    minutes = page.locator("main").inner_text()
    for words in (
        "Deputy director",
        "substitute for Director of adult social care",
        "Budget held flat",
        "Northshire County Council: for",
        "Tell the finance directors",
        "Quorate: 8 of 9 voting members",
    ):
        assert words in minutes, words
    page_check(page, f"governance-minutes-{width}")
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Back to the meeting").is_visible()
    page.emulate_media(media="screen")
