"""What the load's people do. A respondent answers a survey through its personal link (about you, each section,
check, send) and then sends feedback through the form's short link; now and then they send the last page twice,
as a double tap or a retry after a dropped connection does. A coordinator signs in once and then reads the
partnership's health page, the wave's results and the "needs you" home, over and over.

Every acknowledged submission (the "sent" or "thank you" page came back) is counted, so the run can check that
each is in the database once."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from loadtest.browser import Browser, Page, Stats, filled_form

RESEND = 0.15  # the share of final pages sent twice
SENT = "Your answers have"  # what the page after sending says ("been sent", "already been sent")


@dataclass
class Ledger:
    """What the servers acknowledged, for checking against the database afterwards."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    surveys: set[str] = field(default_factory=set)  # invitation tokens whose answers were acknowledged
    feedback: set[str] = field(default_factory=set)  # the page's one-time values acknowledged
    feedback_without_value: int = 0
    resent: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, kind: str, key: str) -> None:
        with self.lock:
            (self.surveys if kind == "survey" else self.feedback).add(key)

    def count_resend(self) -> None:
        with self.lock:
            self.resent += 1

    def fail(self, what: str) -> None:
        with self.lock:
            if len(self.failures) < 50:
                self.failures.append(what)


def _once_value(page: Page) -> str:
    marker = 'name="once" value="'
    return page.body.split(marker, 1)[1].split('"', 1)[0] if marker in page.body else ""


def answer_survey(browser: Browser, token: str, ledger: Ledger, rng: random.Random) -> None:
    page = browser.get(f"/s/{token}/", "survey page")
    for _ in range(30):
        if page.status != 200:
            ledger.fail(f"survey page {page.path} answered {page.status}")
            return
        action, data = filled_form(page, rng)
        final = page.path.rstrip("/").endswith("/check")
        page = browser.post(action, data, "survey submit" if final else "survey page")
        # "sent", or "already sent" when the answer to the first try was lost (its server was killed after the
        # write) and this is the other server answering the same page sent again
        if final and page.status == 200 and SENT in page.body:
            ledger.add("survey", token)
            if rng.random() < RESEND:  # the same page sent again: it must say "sent", and keep nothing twice
                ledger.count_resend()
                again = browser.post(action, data, "survey submit")
                if again.status != 200 or SENT not in again.body:
                    ledger.fail(f"a survey sent twice answered {again.status} at {again.path}")
            return
    ledger.fail(f"survey {token[:6]}... did not finish in 30 pages")


def send_feedback(browser: Browser, path: str, ledger: Ledger, rng: random.Random) -> None:
    page = browser.get(path, "feedback page")
    once = _once_value(page)
    if page.status != 200 or not once:
        ledger.fail(f"feedback form answered {page.status}")
        return
    action, data = filled_form(page, rng)
    sent = browser.post(action, data, "feedback submit")
    if sent.path.rstrip("/").endswith("/thanks") and rng.random() < RESEND:
        ledger.count_resend()
        sent = browser.post(action, data, "feedback submit")
    if sent.path.rstrip("/").endswith("/thanks"):
        ledger.add("feedback", once)
    else:
        ledger.fail(f"feedback answered {sent.status} at {sent.path}")


def respondent(
    n: int, seed: dict[str, Any], work: Any, stop: float, servers: Any, stats: Stats, ledger: Ledger
) -> None:
    rng = random.Random(n)
    browser = Browser(servers, n, stats)
    while time.monotonic() < stop:
        token = work()
        if token is None:
            return
        try:
            answer_survey(browser, token, ledger, rng)
            send_feedback(browser, seed["feedback"], ledger, rng)
        except Exception as exc:
            ledger.fail(f"respondent {n}: {type(exc).__name__}: {exc}")


def coordinator(
    n: int,
    seed: dict[str, Any],
    stop: float,
    servers: Any,
    stats: Stats,
    ledger: Ledger,
    reading: float = 0.0,
) -> None:
    """Sign in, then read the pages until `stop` (or, with `reading`, for that many seconds after signing in)."""
    rng = random.Random(1000 + n)
    browser = Browser(servers, n, stats)
    try:
        page = browser.get("/accounts/login/", "sign in")
        action, data = filled_form(page, rng)
        data.update(username=seed["coordinators"][n % len(seed["coordinators"])], password=seed["password"])
        signed_in = browser.post(action, data, "sign in")
        if "/accounts/login" in signed_in.path:
            ledger.fail(f"coordinator {n} could not sign in ({signed_in.status})")
            return
        if reading:
            stop = time.monotonic() + reading
        kinds = ["health page", "results page", "needs-you home"]
        while time.monotonic() < stop:
            for path, kind in zip(seed["pages"], kinds, strict=False):
                page = browser.get(path, kind)
                if page.status != 200 or "/accounts/login" in page.path:
                    ledger.fail(f"{kind} answered {page.status} at {page.path}")
    except Exception as exc:
        ledger.fail(f"coordinator {n}: {type(exc).__name__}: {exc}")


def healthz(n: int, stop: float, servers: Any, stats: Stats) -> None:
    browser = Browser(servers, n, stats)
    while time.monotonic() < stop:
        browser.get("/healthz", "healthz")
