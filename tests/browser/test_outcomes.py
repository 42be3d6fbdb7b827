"""A coordinator imports measurements: a file with a bad row is refused naming its row and column, a good one
is kept; the indicator page shows its SPC chart and the table of values. Real Chromium at 1280 and 375 px,
every page scanned with axe (no serious or critical problems); screenshots with JOINEDUP_SCREENSHOTS=DIR."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest

from joinedup.outcomes import services
from tests.browser.test_journey import watch_csp
from tests.conftest import login
from tests.conftest import page_check as check
from tests.factories import PASSWORD
from tests.outcomes.helpers import make_indicator, quarters

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALUES = [19.6, 13.8, 14.2, 14.6, 15.9, 17.1, 18.2, 18.9, 16.0, 15.1, 15.6, 14.8]


def indicator_with_history() -> Any:
    setup = make_indicator(
        title="Days from referral to first contact",
        definition="The median number of days from a referral to the first contact.",
        unit="days (median)",
        direction="decrease",
        target_value=14.0,
    )
    coordinator = setup.coordinator
    coordinator.set_password(PASSWORD)
    coordinator.save()
    today = datetime.date(2026, 12, 7)
    periods = quarters(len(VALUES))
    for period, value in zip(periods, VALUES, strict=True):
        services.measurement_record(
            by=coordinator, indicator=setup.indicator, period=period, value=value, today=today
        )
    services.indicator_edit(
        by=coordinator,
        indicator=setup.indicator,
        fields={},
        trajectory={p: t for p, t in zip(periods[8:], (17.0, 16.0, 15.0, 14.0), strict=True)},
    )
    services.indicator_rebase(
        by=coordinator, indicator=setup.indicator, period=periods[8], reason="The six hubs opened"
    )
    return setup


@pytest.mark.parametrize("width", [1280, 375])
def test_an_import_with_a_bad_row_is_refused_and_the_indicator_page_shows_its_chart(
    page: Any, width: int
) -> None:
    setup = indicator_with_history()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, setup.coordinator.email)

    page.goto(f"/outcomes/indicators/{setup.indicator.pk}/measurements/import/")
    page.get_by_role("heading", name="Import measurements").wait_for()
    check(page, f"outcomes-import-{width}")
    bad = b"period,value\n2027-01,14.1\n2027-04,about 13\n"
    page.get_by_label("CSV file of measurements").set_input_files(
        files=[{"name": "measurements.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Import the file").click()
    summary = page.locator("#import-problems")
    summary.wait_for()
    problems = summary.all_text_contents()[0]
    assert "row 2, column period" in problems  # the quarter has not started yet
    assert "row 3, column value: 'about 13' is not a number" in problems
    check(page, f"outcomes-import-refused-{width}")

    page.goto(f"/outcomes/indicators/{setup.indicator.pk}/")
    page.get_by_role("heading", name="Days from referral to first contact").wait_for()
    page.wait_for_selector("#spc-chart[data-vega-ready] svg", timeout=10_000)
    assert page.locator("#spc-chart svg .mark-symbol path").count() >= len(VALUES)
    table = page.get_by_role("table", name="Figures by period")
    assert table.locator("tbody th").count() == len(VALUES)
    assert "New line from here: rebased: The six hubs opened" in table.inner_text()
    assert "Provisional limits" in page.content()
    check(page, f"outcomes-indicator-{width}")
    shots = os.environ.get("JOINEDUP_SCREENSHOTS", "")
    if shots:
        page.locator("#spc-chart").screenshot(path=f"{shots}/outcomes-chart-{width}.png")


def test_a_coordinator_adds_an_indicator_from_the_catalogue_and_records_a_figure(page: Any) -> None:
    setup = indicator_with_history()
    partnership = setup.place.partnership
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, setup.coordinator.email)
    page.goto(f"/register/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Days from referral to first contact").wait_for()
    check(page, "outcomes-partnership-page-1280")
    page.goto(f"/outcomes/partnerships/{partnership.pk}/")
    check(page, "outcomes-list-1280")
    page.get_by_role("link", name="Add an indicator from the catalogue").click()
    check(page, "outcomes-catalogue-1280")
    page.get_by_role("link", name="Still at home 91 days after leaving hospital into reablement").click()
    assert (
        page.get_by_label("Title").input_value()
        == "Still at home 91 days after leaving hospital into reablement"
    )
    page.get_by_label("Owner organisation").select_option(label=setup.place.orgs[1].name)
    page.get_by_label("Target value").fill("85")
    page.get_by_role("button", name="Add the indicator").click()
    page.locator(".nhsuk-error-summary").wait_for()  # a target needs its date
    assert "Give the date of the target" in page.locator(".nhsuk-error-summary").inner_text()
    check(page, "outcomes-create-error-1280")
    page.get_by_label("Date the target is for").fill("2027-03-31")
    page.get_by_role("button", name="Add the indicator").click()
    page.get_by_role(
        "heading", name="Still at home 91 days after leaving hospital into reablement"
    ).wait_for()
    assert "No measurements yet" in page.content()
    page.get_by_role("link", name="Record a measurement").first.click()
    page.get_by_label("Period").fill("2025/26")
    page.get_by_label("Value").fill("81.5")
    page.get_by_role("button", name="Record it").click()
    page.get_by_role("heading", name="How the figures read").wait_for()
    assert "2025/26: 81.5 recorded" in page.content()
    assert "No limits yet" in page.content()
    check(page, "outcomes-one-point-1280")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_demo_trend_of_concern_reads_on_its_page_without_breaking_the_csp(page: Any, width: int) -> None:
    from joinedup.demo.northshire import build_northshire

    demo = build_northshire(seed=2026)
    csp = watch_csp(page)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, demo["login"]["email"], demo["login"]["password"])
    partnership = demo["partnerships"]["mh"]
    page.goto(f"/register/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Days from referral to first contact").first.click()
    page.wait_for_selector("#spc-chart[data-vega-ready] svg", timeout=10_000)
    reading = page.locator(".nhsuk-inset-text").inner_text()
    assert "Special cause: concern" in reading and "Hit and miss" in reading
    check(page, f"outcomes-demo-trend-{width}")
    experience = demo["indicators"]["service-user-experience"]
    page.goto(f"/outcomes/indicators/{experience.pk}/")
    page.wait_for_selector("#spc-chart[data-vega-ready] svg", timeout=10_000)
    assert "Consistently failing the target" in page.locator(".nhsuk-inset-text").inner_text()
    check(page, f"outcomes-demo-experience-{width}")
    shots = os.environ.get("JOINEDUP_SCREENSHOTS", "")
    if shots:
        page.locator("#spc-chart").screenshot(path=f"{shots}/outcomes-demo-chart-{width}.png")
    assert not csp, csp
