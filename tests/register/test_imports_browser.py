"""The import page in real Chromium: a coordinator uploads a bad file, then a good one; both pages pass axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.register.models import Organisation
from tests.conftest import axe_check, grant, login
from tests.factories import PartnershipFactory, UserFactory
from tests.register.test_imports import ods_row, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Any) -> None:
    violations = axe_check(page)
    assert not violations, f"axe found serious or critical problems on {page.url}: {violations}"


def test_coordinator_imports_a_file_in_the_browser(page: Any, tmp_path: Path) -> None:
    user = UserFactory(email="coordinator@example.org")
    grant(user, PartnershipFactory(), role="coordinator")
    bad = write_csv(
        tmp_path / "bad.csv", [ods_row("RAA", "Trust A"), ods_row("RBB", "Trust B", opened="2020-04-01")]
    )
    good = write_csv(tmp_path / "good.csv", [ods_row("RAA", "Trust A"), ods_row("RBB", "Trust B")])
    login(page, "coordinator@example.org")

    page.goto("/register/organisations/import/")
    assert_accessible(page)
    page.get_by_label("File to import").set_input_files(str(bad))
    page.get_by_label("File format").select_option("ods")
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_role("heading", name="Nothing was imported").wait_for()
    assert page.get_by_role("cell", name="11 (open date)").is_visible()
    assert_accessible(page)
    assert Organisation.objects.count() == 0

    page.get_by_role("link", name="Import a corrected file").click()
    page.get_by_label("File to import").set_input_files(str(good))
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("The file was imported.").wait_for()
    assert_accessible(page)
    assert Organisation.objects.count() == 2
