"""In real Chromium, at 1280 and 375 px, with axe: a system leader opens their place from home and follows a
partnership's results link; a coordinator checks an ODS file and reads what would change, field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.register.models import Organisation
from joinedup.surveys import services as survey_services
from tests.assessments.helpers import add_answers, make_wave
from tests.conftest import grant, login, page_check
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.register.test_import_changes import practice_row
from tests.register.test_imports import write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_system_leader_reads_their_place(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    board = PartnershipFactory(name="Northshire Health and Wellbeing Board", area="Northshire")
    fund = PartnershipFactory(name="Northshire Better Care Fund Partnership", parent=board, area="Northshire")
    team = PartnershipFactory(name="Kingsford Neighbourhood Team", parent=board, area="Kingsford")
    council = OrganisationFactory(name="Northshire County Council")
    for partnership in (board, fund, team):
        MembershipFactory(partnership=partnership, organisation=council)
    MembershipFactory(
        partnership=fund, organisation=OrganisationFactory(name="Northshire Integrated Care Board")
    )
    wave = make_wave(fund, title="Better Care Fund health check 2026", min_group_size=3)
    survey_services.wave_open(by=None, wave=wave, open_link=False)
    add_answers(wave, council, 3)
    grant(UserFactory(email="leader@example.org"), board, "system_leader")
    login(page, "leader@example.org")

    page.get_by_role("link", name="Your place").click()
    page.get_by_role("heading", name="Your place", level=1).wait_for()
    for name in (board.name, fund.name, team.name):
        assert page.get_by_role("heading", name=name).is_visible()
    assert page.get_by_text("Part of Northshire Health and Wellbeing Board").first.is_visible()
    page_check(page, f"place-{width}")

    page.get_by_role("link", name="Better Care Fund health check 2026").click()
    page.get_by_role("heading", name="Better Care Fund health check 2026").first.wait_for()
    assert page.get_by_role("link", name="Download").count() == 0  # reading, not copying
    page_check(page, f"place-results-{width}")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_ods_check_lists_what_would_change(page: Any, tmp_path: Path, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    grant(UserFactory(email="coordinator@example.org"), PartnershipFactory(), "coordinator")
    OrganisationFactory(
        name="MILLBROOK SURGERY",
        sector="nhs",
        ods_code="G81001",
        org_type="GP practice (Kingsford PCN)",
        postcode="NS1 1AA",
    )
    path = write_csv(
        tmp_path / "epraccur.csv",
        [
            practice_row("G81001", "MILLBROOK MEDICAL CENTRE", role="RO76", postcode="NS1 9ZZ"),
            practice_row("G81002", "RIVERSIDE SURGERY", role="RO999"),
        ],
    )
    login(page, "coordinator@example.org")

    page.goto("/register/organisations/import/")
    page.get_by_label("File to import").set_input_files(str(path))
    page.get_by_label("File format").select_option("ods")
    page.get_by_label("Check the file only").check()
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_role("heading", name="What would change").wait_for()
    assert page.get_by_role("cell", name="MILLBROOK MEDICAL CENTRE").is_visible()
    assert page.get_by_role("heading", name="Kept as they are").is_visible()
    assert page.get_by_role("cell", name="GP practice (Kingsford PCN)").is_visible()
    assert page.get_by_text("RO999").is_visible()
    page_check(page, f"ods-check-{width}")
    assert Organisation.objects.get(ods_code="G81001").name == "MILLBROOK SURGERY"
