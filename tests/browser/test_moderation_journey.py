"""A coordinator takes a name out of a comment before its release, in real Chromium, with axe at 1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.assessments.moderation import MARKER
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant, login
from tests.conftest import page_check as check
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_coordinator_removes_a_name_from_a_waiting_comment(page: Any, width: int) -> None:
    partnership, orgs = partnership_with_members()
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 5, compute=False)
    add_answers(wave, orgs["trust"], 1, comment="Dr Quillfeather never answers e-mails", compute=False)
    add_answers(wave, orgs["council"], 4, comment="Joint visits have helped families a lot", compute=False)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)

    page.goto(f"/assessments/waves/{wave.pk}/comments/")
    check(page, f"comments-{width}")
    card = page.locator(".nhsuk-card", has_text="Dr Quillfeather")
    card.get_by_label("Words to remove").fill("Nobody")
    card.get_by_role("button", name="Remove these words").click()
    assert "Those words are not in the comment" in page.locator("main").inner_text()
    check(page, f"comments-error-{width}")
    card = page.locator(".nhsuk-card", has_text="Dr Quillfeather")
    card.get_by_label("Words to remove").fill("Dr Quillfeather")
    card.get_by_role("button", name="Remove these words").click()
    text = page.locator("main").inner_text()
    assert f"{MARKER} never answers e-mails" in text and "Quillfeather" not in text
    check(page, f"comments-done-{width}")
