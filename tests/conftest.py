"""Shared fixtures. PostgreSQL-only tests carry @pytest.mark.postgres; browser tests use the `page` fixture.

Outside CI, tests that need PostgreSQL or Chromium skip when those are missing. In CI (CI=true) they fail
instead, so nothing that should run can quietly skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from hypothesis import settings as hypothesis_settings

from joinedup.agreements.integrity import purge_allowed_flag
from joinedup.core.mail import plain_text_of
from tests.factories import PASSWORD, PartnershipRoleFactory, UserFactory
from tests.sso_provider.fixtures import sso, sso_live, sso_provider  # noqa: F401  (the test OpenID provider)

IN_CI = os.environ.get("CI", "").lower() == "true"
REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"

# Property tests explore new examples on every run here; in CI they run the same examples every time, so
# whether a submission lands is not decided by chance (a failure found here is fixed, then pinned by a test).
hypothesis_settings.register_profile("ci", derandomize=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")


def skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/joinedup)")


@pytest.fixture(autouse=True)
def _flush_may_remove_signed_versions(request: pytest.FixtureRequest) -> Iterator[None]:
    """The flush after a transactional test on SQLite deletes every row, signed agreement versions too, which
    the database's triggers otherwise refuse (joinedup.agreements.integrity). For a transactional test this
    allows it from its teardown, just before that flush; every test starts with the triggers refusing."""
    purge_allowed_flag(False)
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("_django_db_helper")  # set up before this fixture, so torn down after it
    yield
    if transactional:
        purge_allowed_flag(True)


@pytest.fixture(autouse=True)
def _no_axes_lockouts(settings: Any) -> None:
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _every_email_is_plain_text() -> Iterator[None]:
    """Every message any test makes the product send has a plain-text body (GOV.UK Notify sends only text)."""
    yield
    for message in getattr(mail, "outbox", []):
        assert plain_text_of(message).strip(), f"the e-mail {message.subject!r} has no plain-text body"


@pytest.fixture
def user(db: None) -> Any:
    return UserFactory()


@pytest.fixture
def admin_user(db: None) -> Any:
    return UserFactory(is_superuser=True, is_staff=True)


def grant(user: Any, partnership: Any, role: str = "member", **kwargs: Any) -> Any:
    return PartnershipRoleFactory(user=user, partnership=partnership, role=role, **kwargs)


@pytest.fixture
def password() -> str:
    return PASSWORD


# ---- browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        skip_or_fail("Debian's chromium is not installed (make browser installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    # axe-core is injected as a script tag, which the page's strict CSP would refuse; the test context
    # bypasses CSP for that alone. Pages themselves are also checked for CSP violations (see axe_check).
    context = browser.new_context(bypass_csp=True, base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def axe_check(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the current page; return serious and critical violations (the test asserts none)."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def page_check(page: Any, name: str) -> None:
    """Assert axe finds no serious or critical problem on the page; with JOINEDUP_SCREENSHOTS=DIR, also save a
    full-page screenshot there as NAME.png (to look at what was built)."""
    violations = axe_check(page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations
    )
    shots = os.environ.get("JOINEDUP_SCREENSHOTS", "")
    if shots:
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


def login(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Ids that select their test again when named on the command line: pytest writes control and non-ASCII
    characters of a parameter as backslash escapes that it then cannot match, and mutmut runs tests by id
    (docs/testing.md). Such values get an id with `~` for the backslash. (An id must also be the same in every
    run: `gzip.compress(..., mtime=0)`, not a time stamp.)"""
    if isinstance(val, bytes | str):
        text = val.decode("latin-1") if isinstance(val, bytes) else val
        if not (text.isascii() and text.isprintable()) or "\\" in text:
            return text.encode("unicode_escape").decode("ascii").replace("\\", "~")
    return None
