"""A coordinator's journey through the register in real Chromium: accessibility, charts, CSP, small screens.

Every page is scanned with axe-core (no serious or critical violations allowed), the landscape chart must
actually draw, and no page may raise a JavaScript error or a Content-Security-Policy violation.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import axe_check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENTAL_HEALTH = "Northshire Community Mental Health Partnership"

# Collects CSP violations reported to the page itself (the console message is checked as well).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


@pytest.fixture
def northshire(db: None) -> dict[str, str]:
    """The demo place, as `joinedup demo` builds it (about 7 s, so each test here builds it once)."""
    from joinedup.demo.northshire import build_northshire

    demo = build_northshire(seed=2026)
    return {**demo["login"], "partnership": MENTAL_HEALTH}


def watch_csp(page: Any) -> list[str]:
    """Record Content-Security-Policy messages from the console and violation events on the page."""
    messages: list[str] = []
    page.on(
        "console", lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.add_init_script(CSP_LISTENER)
    return messages


def assert_no_csp_violations(page: Any, console: list[str]) -> None:
    events = page.evaluate("window.__cspViolations || []")
    assert not console and not events, f"CSP violations on {page.url}: {console} {events}"


def assert_accessible(page: Any) -> None:
    violations = axe_check(page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations
    )


def assert_chart_drawn(page: Any) -> None:
    page.wait_for_selector(".app-chart[data-vega-ready] svg", timeout=10_000)
    marks = page.locator(".app-chart svg .mark-rect path").count()
    assert marks > 0, "the landscape chart drew no cells"


def test_coordinator_journey(page: Any, northshire: dict[str, str]) -> None:
    csp = watch_csp(page)
    # a wrong password is refused with an accessible error
    login_page = page.goto("/register/landscape/")
    assert login_page is not None and "/accounts/login/" in page.url
    page.get_by_label("E-mail address").fill(northshire["email"])
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector(".nhsuk-error-summary")
    assert "/accounts/login/" in page.url
    assert_accessible(page)

    login(page, northshire["email"], northshire["password"])
    assert northshire["email"] in page.get_by_role("navigation", name="Account").inner_text()
    assert_accessible(page)

    # the partnership, from the header's list of the user's partnerships
    page.get_by_role("navigation", name="Your partnerships").get_by_role(
        "link", name=northshire["partnership"]
    ).click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == northshire["partnership"]
    assert_accessible(page)

    # its members
    members = page.locator("#members + * table, #members ~ .app-table-scroll table").first
    assert members.locator("tbody tr").count() >= 3
    first_member = members.locator("tbody tr td a").first
    organisation_name = first_member.inner_text()
    first_member.click()
    page.wait_for_selector("h1")
    assert organisation_name in page.locator("h1").inner_text()
    assert_accessible(page)

    # the landscape of the partnership
    page.go_back()
    page.get_by_role("link", name="Landscape of this partnership").click()
    page.wait_for_selector("h1")
    assert northshire["partnership"] in page.locator("h1").inner_text()
    assert_chart_drawn(page)
    grid = page.locator("table.app-grid-table")
    assert grid.locator("tbody th[scope=row]").count() >= 3
    assert_accessible(page)
    assert_no_csp_violations(page, csp)

    # the landscape of everything the coordinator can see, through the filter form
    page.get_by_label("Partnership", exact=True).select_option(label="All your partnerships")
    page.get_by_role("button", name="Show landscape").click()
    page.wait_for_url("**/register/landscape/?partnership=**")
    assert page.locator("h1").inner_text() == "All your partnerships"
    assert_chart_drawn(page)
    assert page.locator("#bridges ~ .app-table-scroll table tbody tr").count() >= 1
    assert_accessible(page)
    assert_no_csp_violations(page, csp)

    # log out
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")
    page.goto("/register/landscape/")
    assert "/accounts/login/" in page.url


def test_real_csp_small_screen_and_keyboard(
    browser: Any, live_server: Any, northshire: dict[str, str]
) -> None:
    """The `page` fixture bypasses CSP to inject axe; this context does not, so the real policy applies.

    (The same build of Northshire also serves the 320 px and keyboard checks, which need no axe.)
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        csp = watch_csp(page)
        login(page, northshire["email"], northshire["password"])

        # the skip link is the first thing the keyboard reaches, and it moves focus to the main content
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "maincontent"

        # at 320 px wide nothing makes the page scroll sideways (wide tables scroll inside .app-table-scroll)
        page.get_by_role("navigation", name="Your partnerships").get_by_role(
            "link", name=northshire["partnership"]
        ).click()
        page.wait_for_selector("h1")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 322, f"the partnership page is {width}px wide at 320px; it should reflow"

        page.get_by_role("link", name="Landscape of this partnership").click()
        assert_chart_drawn(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 322, f"the landscape page is {width}px wide at 320px; wide parts should scroll inside"

        # the chart's tooltip appears, styled by joinedup.css (vega-tooltip's own inline style breaks the CSP)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.locator(".app-chart svg .mark-rect path").last.hover()
        tooltip = page.locator("#vg-tooltip-element.visible")
        tooltip.wait_for()
        assert "Role" in tooltip.inner_text()
        assert tooltip.evaluate("el => getComputedStyle(el).position") == "fixed"

        assert_no_csp_violations(page, csp)
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        context.close()


@pytest.fixture(autouse=True)
def _front_end_assets_are_served() -> None:
    """Without the vendored NHS.UK styles and Vega the pages fail axe and draw no charts; say why up front."""
    from django.contrib.staticfiles import finders

    for asset in ("vendor/nhsuk/nhsuk-frontend.min.css", "vendor/vega/vega-embed.min.js"):
        if finders.find(asset) is None:
            pytest.fail(
                f"static file {asset} is not found: run `make assets`, and check that settings.STATICFILES_DIRS "
                "includes src/joinedup/static (where scripts/build_assets.mjs puts the vendored files)"
            )
