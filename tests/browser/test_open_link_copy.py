"""The open link a coordinator makes is copied with one button (it is shown only once), in real Chromium."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.assessments.helpers import make_wave, partnership_with_members
from tests.conftest import grant, login, page_check
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("JOINEDUP_SCREENSHOTS", "")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_open_link_is_copied_with_its_button(page: Any, width: int) -> None:
    partnership, _orgs = partnership_with_members()
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    wave = make_wave(partnership)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)
    page.goto(f"/surveys/waves/{wave.pk}/")
    page.get_by_label("Also make an open link that anyone can use (for example for service users)").check()
    page.get_by_role("button", name="Open for answers").click()
    link = page.get_by_label("Open link").input_value()
    assert "/s/" in link
    page.get_by_role("button", name="Copy the link").click()
    page.get_by_role("status").filter(has_text="Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    page_check(page, f"open-link-{width}")
