"""The coordinator of the demo's mental-health partnership asks for Northshire Mind's governance pack from the
partnership page, watches the job and downloads it, in real Chromium at 1280 and 375 px with an axe-core scan of
the form, the job page and the pack itself (the HTML pack is a page people read too)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from joinedup.demo.northshire import build_northshire
from tests.conftest import login, page_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_coordinator_downloads_a_partners_governance_pack(page: Any, width: int, tmp_path: Path) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    demo = build_northshire()
    mh = demo["partnerships"]["mh"]
    login(page, demo["login"]["email"], demo["login"]["password"])

    page.goto(f"/register/partnerships/{mh.pk}/")
    page.get_by_role("link", name="Download a review pack").click()
    page.wait_for_url(f"**/reports/partnerships/{mh.pk}/pack/")
    page_check(page, f"reports-form-{width}")
    page.get_by_label("Which pack").select_option(label="Governance pack of Northshire Mind")
    page.get_by_label("Web page (HTML)").check()
    page.get_by_role("button", name="Make the pack").click()
    page.wait_for_url("**/jobs/*/")
    link = page.get_by_role("link", name=re.compile("Download the pack"))
    link.first.wait_for(timeout=60_000)
    page_check(page, f"reports-job-{width}")
    with page.expect_download() as download:
        link.first.click()
    saved = tmp_path / "pack.html"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith("-northshire-mind-governance-pack.html")

    page.set_content(saved.read_text(encoding="utf-8"))
    page_check(page, f"reports-pack-{width}")
    headings = page.locator("h2").all_inner_texts()
    assert headings[:3] == ["Contents", "Northshire Mind in this partnership", "Agreement"]
    assert page.locator("figure img").count() >= 3  # the charts, as images with descriptions
    assert all(alt for alt in page.locator("figure img").evaluate_all("els => els.map(e => e.alt)"))
